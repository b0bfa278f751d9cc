"""The bare view: the same bytes as a real page, with no work behind them.

It answers under `/api/`, which the anonymous page cache leaves alone (no
lookup, no store), so it measures what every request pays anyway: gunicorn,
WSGI, URL resolving and the middleware stack. A cached page is compared
against it.
"""

from functools import cache

from django.conf import settings
from django.http import Http404, HttpResponse


@cache
def _saved_page(name: str) -> bytes:
    return (settings.BENCH_PAGES_DIR / f"{name}.html").read_bytes()


def bare_page(request, name):
    try:
        body = _saved_page(name)
    except FileNotFoundError:
        raise Http404(f"No saved page {name!r}; `bench_pages http` saves them.") from None
    return HttpResponse(body, content_type="text/html; charset=utf-8")
