"""The bare views: the same bytes as a real page, or the same answer to a player's session
report, with no work behind them.

They answer under `/api/`, which the anonymous page cache leaves alone (no
lookup, no store), so they measure what every request pays anyway: gunicorn,
WSGI, URL resolving and the middleware stack. A cached page, or a recorded
session report, is compared against them.
"""

import json
from functools import cache

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@cache
def _saved_page(name: str) -> bytes:
    return (settings.BENCH_PAGES_DIR / f"{name}.html").read_bytes()


def bare_page(request, name):
    try:
        body = _saved_page(name)
    except FileNotFoundError:
        raise Http404(f"No saved page {name!r}; `bench_pages http` saves them.") from None
    return HttpResponse(body, content_type="text/html; charset=utf-8")


@csrf_exempt  # as `analytics.views.playback_session`
@require_POST
def bare_session_report(request):
    """A player's session report read as the real endpoint reads it (its JSON parsed), nothing
    recorded: 204, the real endpoint's answer."""
    try:
        json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    return HttpResponse(status=204)
