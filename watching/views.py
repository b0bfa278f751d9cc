"""The watch page (the film for those who may watch it, else its trailer and what it costs) and the
player's progress reports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from films.models import FilmBasePage
from reelvision.redirects import local_url
from videos.models import VideoStatus

from .access import age_gate, can_watch
from .age import AgeCheckForm, AgeGate, TooYoung, confirm
from .playback import playback_config
from .progress import ProgressRefused, ProgressReport, record_progress
from .transcript import line_at


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
        "mutedStart": _("Playing without sound: press M or the speaker to turn it on."),
    }


# The longest film we would open at a moment (?t=); anything beyond is a mistyped link.
MAX_START_AT = 24 * 3600


def start_at(value: str | None) -> float | None:
    """`?t=` as seconds: a number from 0 to a day, else None (a broken link opens the film as usual)."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not (0 <= seconds <= MAX_START_AT):  # also refuses nan and inf
        return None
    return seconds


@never_cache
def watch_film(request, slug: str):
    film = get_object_or_404(
        FilmBasePage.objects.live().public().select_related("main_video", "trailer", "age_rating_decision"), slug=slug
    )
    film = film.specific
    stopped_by = age_gate(request.user, film)
    allowed = can_watch(request.user, film)
    want_trailer = request.GET.get("trailer") == "1" or not allowed
    config = None
    try:
        config = playback_config(request, film, trailer=want_trailer)
    except PermissionDenied:  # pragma: no cover - can_watch said yes a moment ago
        config = None
    at = start_at(request.GET.get("t"))
    if config:
        config["start_at"] = at if at is not None and not config["is_trailer"] else None
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
        "age_gate": stopped_by,
        "age_form": AgeCheckForm() if stopped_by == AgeGate.CONFIRM_AGE else None,
        "showing_trailer": bool(config and config["is_trailer"]),
        "main_ready": bool(main and main.status == VideoStatus.READY),
        "main_processing": bool(main and main.status in (VideoStatus.UPLOADING, VideoStatus.PROCESSING)),
        "start_at": at,
        # The line spoken at ?t= (a dialogue search result): shown beside the buy button to
        # viewers who may not watch; the others see it highlighted in the transcript.
        "line": line_at(film, at) if at is not None and not allowed else None,
        "transcript": bool(config and not config["is_trailer"] and config["captions"]),
    }
    response = render(request, "watching/watch.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def age_check(request):
    """The watch page's age form: a member's date of birth, checked once (`age.confirm`), then back
    to the film they wanted (`next`, on this site)."""
    back = local_url(request, request.POST.get("next"), "/")
    form = AgeCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter your date of birth."))
        return redirect(back)
    try:
        confirm(request.user, form.cleaned_data["birth_date"])
    except TooYoung as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you. Films rated 19+ play for you now."))
    return redirect(back)


# --- progress --------------------------------------------------------------------------------


@require_POST
def progress(request):
    """The watch page's reports: saved for "resume" (members) and counted as one view per viewer per day.

    The rules are in `watching.progress`; apps post the same report to `POST /api/v2/progress/`.
    """
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": _("Send JSON.")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": _("Send JSON.")}, status=400)
    try:
        report = ProgressReport.from_data(data)
        new_view = record_progress(request.user, report, anonymous_viewer=str(data.get("viewer", "")))
    except ProgressRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    return JsonResponse({"saved": True, "new_view": new_view})
