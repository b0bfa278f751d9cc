"""Whole-page cache for anonymous visitors.

A page is served from the cache only to a request that cannot carry anything
personal: a GET or HEAD with no session cookie, no pending messages cookie and
no `Authorization`/`X-Session-Token` header, outside the admin, the API and the
other excluded paths. A response is stored only when it came from such a GET,
is a 200 HTML page, set no cookie, started no session, is not `private`,
`no-store` or `no-cache`, does not vary on anything but the language, and was
rendered for an anonymous user. So a member (who always has a session) never
reads from it and never writes to it; a page with a CSRF token or a password
form (both set a cookie) is never stored.

The key holds the generation, the active language (chosen by LocaleMiddleware
from the language cookie or `Accept-Language`, so Korean and English copies
never mix), scheme and host, the path and the query parameters the page reads,
sorted (`?a=1&b=2` and `?b=2&a=1` are one entry). A page declares those: a page
model by its `cache_query_params` (none unless it says so; the catalogue reads
its filters and `page`), a view by `@reads_query_params(...)`. Any other
parameter is left out of the key, so `/?r=1` is served from the entry of `/`
and a random query string cannot make the server render a page again. Which
parameters a path reads is learnt when it is first rendered and kept beside its
pages. Only a render whose query held nothing but declared parameters is stored
(pages echo their own URL in links, so a render of `/?r=1` must not become the
copy of `/`); a view that declares nothing is stored only without a query.

Whatever still misses (a new search, a new filter, a page nobody has opened)
is rendered, and each visitor (by `reelvision.client_ip`) has a budget of
`ANONYMOUS_PAGE_MISSES_PER_MINUTE` of those; beyond it they are answered 429
with Retry-After, so one client cannot keep the server rendering.

Pages live in the `pages` cache, bounded and allowed to drop entries; the
budget lives in the default cache with the other rate limits, which nothing
here can push out.

Invalidation is by generation: publishing, unpublishing, moving or deleting a
page, changing who may view a page, or editing a genre, person or donation tier
bumps one counter, so every cached page (home rows, catalogue, collections,
person pages) is rebuilt on next request. That is coarse but never wrong, and
a site of this size republishes rarely. The counter lives with the pages (one
round trip fetches both): with several processes it must be a shared cache
(Redis via `REDIS_URL`, or production's file cache); with per-process local
memory, a publish in one gunicorn worker leaves the others serving the old
page until `ANONYMOUS_PAGE_CACHE_SECONDS` runs out. If the pages cache drops
the counter, it restarts above every number it had, so nothing stale is served.

A page whose content changes at a set time with nothing published (the home
page's banner ends at its notice's `banner_until`) says so while it renders
with `limit_lifetime(request, seconds)`: its copy is kept no longer than that.
"""

import functools
import hashlib
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as limits
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.http import split_header_value, urlencode
from django.utils.translation import get_language

from reelvision.client_ip import rate_limit_subject

PAGES_CACHE = "pages"
GENERATION_KEY = "pagecache:generation"
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/accounts/",
    "/_allauth/",
    "/_util/",
    "/static/",
    "/media/",
    "/documents/",
    "/i18n/",
    "/me/",
    "/watch/",
    # Not pages: video segments and playlists (a player fetches dozens a minute) and the funding
    # figures every project page polls. Never stored, and not counted against the miss budget.
    "/stream/",
    "/projects/live/",
)
# Headers that authenticate a request without a session: DRF/allauth headless
# tokens. Such a request may be answered with personal content.
CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_SESSION_TOKEN")
# The key already separates languages; any other Vary means the page depends
# on something the key does not hold (e.g. `Cookie`), so it is not stored.
VARY_COVERED_BY_KEY = {"accept-language"}
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}
HIT_HEADER = "X-Page-Cache"
# Where a view's declaration of the query parameters it reads is left for the middleware.
QUERY_PARAMS_ATTRIBUTE = "page_cache_query_params"
# Where a page that changes at a set time leaves how long it may be kept (`limit_lifetime`).
LIFETIME_ATTRIBUTE = "page_cache_lifetime"
MISS_WINDOW_SECONDS = 60


def pages_cache():
    """The cache that holds the pages (and anything else rebuilt once per generation)."""
    return caches[PAGES_CACHE]


def reads_query_params(*names: str):
    """Declare the GET parameters a view reads; the page cache keys its pages on those alone."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            declare_query_params(request, names)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def declare_query_params(request, names) -> None:
    """Record on the request which GET parameters the page being served reads."""
    setattr(request, QUERY_PARAMS_ATTRIBUTE, tuple(sorted(set(names))))


def limit_lifetime(request, seconds: float) -> None:
    """Keep the page being rendered for at most `seconds`, fewer than `ANONYMOUS_PAGE_CACHE_SECONDS`
    when what it shows changes at a set time (the home page's banner until the notice's
    `banner_until`); with less than a second left it is not stored at all. Publishing still
    retires it at once, as every page."""
    current = getattr(request, LIFETIME_ATTRIBUTE, None)
    setattr(request, LIFETIME_ATTRIBUTE, seconds if current is None else min(current, seconds))


def _fresh_generation() -> int:
    # A counter that was evicted must not restart at a number whose pages may still be cached.
    return time.time_ns() // 1000


def current_generation() -> int:
    pages = pages_cache()
    generation = pages.get(GENERATION_KEY)
    if generation is None:
        pages.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = pages.get(GENERATION_KEY)
    return generation


def kept_for_generation(name: str, compute: Callable[[], object]):
    """What `compute()` returns, kept in the pages cache under `name` until anything retires the
    cached pages (a new generation) or `ANONYMOUS_PAGE_CACHE_SECONDS` pass. An answer of None is
    not kept: it is asked again next time."""
    key = f"{name}:{current_generation()}"
    value = pages_cache().get(key)
    if value is None:
        value = compute()
        if value is not None:
            pages_cache().set(key, value, timeout=settings.ANONYMOUS_PAGE_CACHE_SECONDS)
    return value


def _next_generation() -> None:
    pages = pages_cache()
    try:
        pages.incr(GENERATION_KEY)
    except ValueError:
        pages.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def invalidate_all_pages() -> None:
    """Make every cached page stale. Called from signal handlers on publish/unpublish/move/delete.

    Once now and once more when the surrounding transaction commits: a visitor
    whose request lands between the two would otherwise render the old content
    (the change is not committed yet) and store it under the new generation.
    """
    _next_generation()
    transaction.on_commit(_next_generation)


def _address(request) -> str:
    return f"{request.scheme}://{request.get_host()}{request.path}"


def _params_key(request, generation: int) -> str:
    digest = hashlib.sha256(_address(request).encode()).hexdigest()
    return f"pagecache:{generation}:params:{digest}"


def _page_key(request, generation: int, names) -> str:
    query = urlencode(sorted((name, request.GET.getlist(name)) for name in names if name in request.GET), doseq=True)
    digest = hashlib.sha256(f"{_address(request)}?{query}".encode()).hexdigest()
    return f"pagecache:{generation}:{get_language()}:{digest}"


# This process's last known generation. Only a guess that lets a hit cost one
# cache round trip (generation, the path's parameters and the page without a
# query fetched together, which Redis does atomically); a page is served only if
# the generation read with it matches.
_seen_generation = 0


def _lookup(request):
    """This request's generation and the cached page (or None)."""
    global _seen_generation
    pages = pages_cache()
    # Read the shared guess once: another thread may move it on while we wait for the cache.
    generation = _seen_generation
    params_key, bare_key = _params_key(request, generation), _page_key(request, generation, ())
    found = pages.get_many([GENERATION_KEY, params_key, bare_key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = current_generation()
    if current != generation:
        _seen_generation = generation = current
        params_key, bare_key = _params_key(request, generation), _page_key(request, generation, ())
        found = pages.get_many([params_key, bare_key])
    names = found.get(params_key)
    if names is not None and not any(name in request.GET for name in names):
        return generation, found.get(bare_key)  # none of the parameters it reads: the page without a query
    if not request.GET:
        return generation, found.get(bare_key)
    if names is None:
        return generation, None  # not rendered yet in this generation: which parameters count is unknown
    return generation, pages.get(_page_key(request, generation, names))


def _store(request, response, generation: int) -> bool:
    """Keep the rendered page if its key describes it; learn which parameters the path reads."""
    pages = pages_cache()
    names = getattr(request, QUERY_PARAMS_ATTRIBUTE, None)
    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    if names is not None:
        pages.set(_params_key(request, generation), names, seconds)
    # The page shows its own URL (log-in and language links), so only a render of exactly the
    # URL its key stands for is stored.
    if not set(request.GET) <= set(names or ()):
        return False
    lifetime = math.floor(min(seconds, getattr(request, LIFETIME_ATTRIBUTE, seconds)))
    if lifetime < 1:
        return False
    pages.set(_page_key(request, generation, names or ()), response, lifetime)
    return True


def _spend_miss(request) -> int:
    """Count one render for the visitor; 0 while within budget, else seconds until it refills."""
    budget = settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE
    if budget <= 0:
        return 0
    now = time.time()
    window = int(now // MISS_WINDOW_SECONDS)
    key = f"pagecache:misses:{window}:{rate_limit_subject(request)}"
    limits.add(key, 0, MISS_WINDOW_SECONDS + 1)
    try:
        used = limits.incr(key)
    except ValueError:  # expired between add() and incr()
        limits.set(key, 1, MISS_WINDOW_SECONDS + 1)
        used = 1
    if used <= budget:
        return 0
    return max(1, math.ceil((window + 1) * MISS_WINDOW_SECONDS - now))


def _too_many_misses(retry_after: int) -> HttpResponse:
    response = HttpResponse(render_to_string("429.html"), status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A pending flash message must be shown (and consumed) by a real render.
        and CookieStorage.cookie_name not in request.COOKIES
        and not any(header in request.META for header in CREDENTIAL_HEADERS)
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and "preview" not in request.GET
    )


def _cache_control_directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in split_header_value(header)}


def _vary_headers(response) -> set[str]:
    return {part.lower() for part in split_header_value(response.get("Vary", ""))}


def _is_cacheable_response(request, response) -> bool:
    # Only a GET stores: a HEAD answer may legitimately have an empty body.
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if _cache_control_directives(response) & UNCACHEABLE_DIRECTIVES:
        return False
    if not _vary_headers(response) <= VARY_COVERED_BY_KEY:
        return False
    # SessionMiddleware sits outside this one and adds its cookie after we return,
    # so a session the view just started is only visible here.
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors.

    Must sit after SessionMiddleware and LocaleMiddleware (the key holds the
    language; the session tells whether the view started one) and before
    CsrfViewMiddleware, AuthenticationMiddleware and MessageMiddleware, so that
    the cookies those set are seen on the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        generation, cached = _lookup(request)
        if cached is not None:
            cached[HIT_HEADER] = "hit"
            return cached
        if retry_after := _spend_miss(request):
            return _too_many_misses(retry_after)
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            # Whoever sends a cookie must not get the shared copy from a shared cache downstream either.
            patch_vary_headers(response, ("Cookie",))
            if _store(request, response, generation):
                response[HIT_HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A request Wagtail is about to route gets its site from the cache (`sites`); the other views
        (session reports, stream segments, the API) never look a site up, so they are not made to."""
        from wagtail.views import serve  # Wagtail's models: not while settings load

        if view_func is serve:
            from .sites import remember_site

            remember_site(request)
