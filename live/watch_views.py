"""Watching a premiere on the site: its page (the stream while live, the replay after), the live HLS
behind signed links, and how many are watching now."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from live import playback, tickets
from live.access import may_watch_premiere
from live.models import PremiereStatus
from live.schedule import replay_ready, shown
from videos.playback import file_url


@require_http_methods(["GET", "HEAD"])
def hls(request, premiere_id: int, path: str):
    """One file of the live HLS: the playlist (its fragments signed for this viewer) or a fragment."""
    viewer = playback.check(premiere_id, path, request.GET, request.user)
    if viewer is None:
        return HttpResponseForbidden(_("This link has expired or is not yours. Reload the page to get a new one."))
    premiere = shown().filter(pk=premiere_id, status=PremiereStatus.LIVE).first()
    if premiere is None:
        raise Http404
    if not may_watch_premiere(request.user, premiere):
        return HttpResponseForbidden(_("You have no ticket for this premiere."))
    file = playback.file_path(premiere, path)
    if file is None or not file.is_file():
        raise Http404
    if path.endswith(".m3u8"):
        playback.count_viewer(premiere.pk, viewer)

        def sign(fragment: str) -> str:
            return playback.signed_url(premiere.pk, fragment, viewer, playback.SEGMENT_URL_TTL)

        response = HttpResponse(playback.rewrite(file.read_text(), sign), content_type=playback.CONTENT_TYPES[".m3u8"])
        # A live playlist changes every fragment: never kept, by the browser or anything between.
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(file.open("rb"), content_type=playback.CONTENT_TYPES[".ts"])
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
@never_cache
def status(request, premiere_id: int):
    """`{"status": …, "viewers": n}`: the watch page polls it every 10 s for its "LIVE" badge."""
    premiere = get_object_or_404(shown(), pk=premiere_id)
    viewers = playback.viewer_count(premiere.pk) if premiere.status == PremiereStatus.LIVE else 0
    return JsonResponse({"status": premiere.status, "viewers": viewers})


def replay_config(request, premiere) -> dict:
    """The player's configuration for the replay (`live.access.may_stream_video` lets its viewers fetch it)."""
    video = premiere.replay
    return {
        "video_id": video.pk,
        "master_url": file_url(request, video, video.hls_master_key),
        "poster_url": file_url(request, video, video.poster_key) if video.poster_key else "",
        "storyboard_vtt_url": file_url(request, video, video.storyboard_vtt_key) if video.storyboard_vtt_key else "",
        "captions": [],
        "duration": video.duration or 0,
        "resume_at": 0,
        "is_trailer": False,
    }


@never_cache
def watch(request, premiere_id: int):
    """The premiere's page: a countdown before it starts, the live stream, then the replay."""
    premiere = get_object_or_404(shown(), pk=premiere_id)
    # Asked once: the page tells a holder they have a ticket, and a ticket lets them watch.
    has_ticket = bool(premiere.ticket_price) and tickets.holds_ticket(request.user, premiere)
    allowed = may_watch_premiere(request.user, premiere, holds_ticket=has_ticket)
    config = None
    if allowed and premiere.status == PremiereStatus.LIVE:
        config = playback.live_config(request, premiere)
    elif allowed and premiere.status == PremiereStatus.ENDED and replay_ready(premiere):
        config = replay_config(request, premiere)
    if config:
        config["strings"] = playback.player_strings()
        config["csrf_token"] = get_token(request)
    context = {
        "premiere": premiere,
        "page": premiere.page,
        "allowed": allowed,
        # A ticketed premiere: what a member without a ticket may buy, what a holder is told.
        "ticket_url": None if allowed else reverse("donations:buy_ticket", args=[tickets.item(premiere)]),
        "has_ticket": has_ticket,
        "config": config,
        "viewers": playback.viewer_count(premiere.pk) if premiere.status == PremiereStatus.LIVE else 0,
    }
    return render(request, "live/watch.html", context)
