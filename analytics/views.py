"""The players' session reports (`POST /analytics/session/`; apps: `POST /api/v2/playback-sessions/`)."""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .page_views import count_page_view
from .sessions import SessionRefused, is_bot, record


@csrf_exempt  # sendBeacon sends no header; the body's session token, bound to the viewer, stands in
@require_POST
def playback_session(request):
    """Merge a report into its play's session: 204 when recorded or ignored, 4xx with a sentence."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"error": _("Send JSON.")}, status=400)
    try:
        record(request, data)
    except SessionRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    return HttpResponse(status=204)


@csrf_exempt  # a beacon; counting a view is all it can do
@require_POST
def page_view(request):
    """Count one view of a live film page today (204); bots and prefetches are not counted."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    film = data.get("film") if isinstance(data, dict) else None
    if not isinstance(film, int) or isinstance(film, bool) or film <= 0:
        return JsonResponse({"error": _("Send JSON.")}, status=400)
    if not is_bot(request):
        count_page_view(film)
    return HttpResponse(status=204)
