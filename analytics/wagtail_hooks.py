from django.urls import reverse
from wagtail import hooks

from .sessions import session_token


@hooks.register("playback_config")
def session_reporting(request, film, video, trailer):
    """Where the player reports what a play watched, and the token that lets it (`sessions`); the
    catalogue's path, so a play opened from the catalogue or a film page counts as from there."""
    url = film.url or ""
    return {
        "catalogue_path": url[: url.rstrip("/").rfind("/") + 1],
        "session_url": reverse("analytics:playback_session"),
        "session_token": session_token(video, film, trailer=trailer, user=request.user),
    }
