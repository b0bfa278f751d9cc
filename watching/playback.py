"""What a player needs to play a film for the current viewer: signed URLs, captions, where to resume."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail import hooks

from videos.models import Caption
from videos.playback import advisories, chapters, file_url

from .access import age_gate, can_watch
from .models import WatchProgress

RESUME_MIN_SECONDS = 5


def playback_config(request, film, *, trailer: bool = False, progress_url: str | None = None) -> dict | None:
    """The player's configuration, or None when the film has no ready video of that kind.

    Raises PermissionDenied for the main video when the viewer may not watch the film, and for
    either video of an adults-only film until the viewer's age is confirmed (`access.age_gate`). The player
    reports progress to `progress_url` (default: the site's /watch/progress/). Functions registered
    with the `playback_config` hook add keys: `(request, film, video, trailer) -> dict`.
    """
    video = film.trailer if trailer else film.main_video
    if video is None or not video.is_ready or not video.hls_master_key:
        return None
    if not trailer and not can_watch(request.user, film):
        raise PermissionDenied
    if trailer and age_gate(request.user, film) is not None:
        raise PermissionDenied  # an adults-only film's trailer waits behind the same gate

    def url(key: str, lifetime: int | None = None) -> str:
        return file_url(request, video, key, lifetime)

    resume_at = 0.0
    if request.user.is_authenticated and not trailer:
        progress = WatchProgress.objects.filter(user=request.user, video=video).first()
        if progress and not progress.completed and progress.position >= RESUME_MIN_SECONDS:
            resume_at = progress.position
    captions = [
        {"language": c.language, "label": c.label or c.language, "url": url(c.vtt_key)}
        for c in Caption.objects.filter(video=video)
    ]
    config = {
        "video_id": video.pk,
        "film_id": film.pk,
        "is_trailer": trailer,
        "master_url": url(video.hls_master_key, settings.VIDEO_PLAYBACK_URL_TTL),
        "poster_url": url(video.poster_key) if video.poster_key else "",
        "storyboard_vtt_url": url(video.storyboard_vtt_key) if video.storyboard_vtt_key else "",
        "captions": captions,
        "chapters": chapters(video),
        "advisories": advisories(video),
        "duration": video.duration or 0,
        "resume_at": resume_at,
        "progress_url": progress_url or reverse("watching:video_progress"),
    }
    # Other apps add what their part of the player needs (analytics: where to report the session).
    for extra in hooks.get_hooks("playback_config"):
        config.update(extra(request, film, video, trailer))
    return config
