"""The watch page: the film for those who may watch it, else its trailer and what it costs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from films.models import FilmBasePage
from videos.access import can_watch
from videos.models import VideoStatus
from videos.playback import playback_config


def player_strings() -> dict:
    return {
        "play": _("Play"),
        "pause": _("Pause"),
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "fullscreen": _("Full screen"),
        "captions": _("Captions"),
        "captionsOff": _("Off"),
        "quality": _("Quality"),
        "auto": _("Auto"),
        "seek": _("Seek"),
        "volume": _("Volume"),
        "resumed": _("Resumed at %(time)s."),
        "startOver": _("Start over"),
        "error": _("The video could not be loaded. Reload the page to try again."),
        "ended": _("You can no longer watch this film."),
    }


@never_cache
def watch_film(request, slug: str):
    film = get_object_or_404(FilmBasePage.objects.live().public().select_related("main_video", "trailer"), slug=slug)
    film = film.specific
    allowed = can_watch(request.user, film)
    want_trailer = request.GET.get("trailer") == "1" or not allowed
    config = None
    try:
        config = playback_config(request, film, trailer=want_trailer)
    except PermissionDenied:  # pragma: no cover - can_watch said yes a moment ago
        config = None
    if config:
        config["strings"] = player_strings()
        config["csrf_token"] = get_token(request)
        # Where the player asks for fresh links when the ones it has are refused.
        config["renew_url"] = reverse("api_playback", args=[film.pk])
    main = film.main_video
    context = {
        "page": film,
        "film": film,
        "config": config,
        "allowed": allowed,
        "showing_trailer": bool(config and config["is_trailer"]),
        "main_ready": bool(main and main.status == VideoStatus.READY),
        "main_processing": bool(main and main.status in (VideoStatus.UPLOADING, VideoStatus.PROCESSING)),
    }
    response = render(request, "videos/watch.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
