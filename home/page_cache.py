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
never mix), scheme and host, the path and the query string with its
parameters sorted (`?a=1&b=2` and `?b=2&a=1` are one entry).

Invalidation is by generation: publishing, unpublishing, moving or deleting a
page, changing who may view a page, or editing a genre, person or donation tier
bumps one counter, so every cached page (home rows, catalogue, collections,
person pages) is rebuilt on next request. That is coarse but never wrong, and
a site of this size republishes rarely. The counter lives in the default cache:
with several processes it must be a shared cache (Redis via `REDIS_URL`);
with per-process local memory, a publish in one gunicorn worker leaves the
others serving the old page until `ANONYMOUS_PAGE_CACHE_SECONDS` runs out.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_vary_headers
from django.utils.http import split_header_value, urlencode
from django.utils.translation import get_language

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
)
# Headers that authenticate a request without a session: DRF/allauth headless
# tokens. Such a request may be answered with personal content.
CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_SESSION_TOKEN")
# The key already separates languages; any other Vary means the page depends
# on something the key does not hold (e.g. `Cookie`), so it is not stored.
VARY_COVERED_BY_KEY = {"accept-language"}
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache"}
HIT_HEADER = "X-Page-Cache"


def _fresh_generation() -> int:
    # A counter that was evicted must not restart at a number whose pages may still be cached.
    return time.time_ns() // 1000


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def invalidate_all_pages() -> None:
    """Make every cached page stale. Called from signal handlers on publish/unpublish/move/delete.

    Once now and once more when the surrounding transaction commits: a visitor
    whose request lands between the two would otherwise render the old content
    (the change is not committed yet) and store it under the new generation.
    """
    _next_generation()
    transaction.on_commit(_next_generation)


def _normalised_query(request) -> str:
    return urlencode(sorted(request.GET.lists()), doseq=True)


def _cache_key(request, generation: int) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.path}?{_normalised_query(request)}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pagecache:{generation}:{get_language()}:{digest}"


# This process's last known generation. Only a guess that lets a hit cost one
# cache round trip (generation and page fetched together, which Redis does
# atomically); a page is served only if the generation read with it matches.
_seen_generation = 0


def _lookup(request):
    """The key to store this request's page under, and the cached page (or None)."""
    global _seen_generation
    # Read the shared guess once: another thread may move it on while we wait for the cache.
    seen = _seen_generation
    guess = _cache_key(request, seen)
    found = cache.get_many([GENERATION_KEY, guess])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    if generation == seen:
        return guess, found.get(guess)
    _seen_generation = generation
    key = _cache_key(request, generation)
    return key, cache.get(key)


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
        key, cached = _lookup(request)
        if cached is not None:
            cached[HIT_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            # Whoever sends a cookie must not get the shared copy from a shared cache downstream either.
            patch_vary_headers(response, ("Cookie",))
            cache.set(key, response, settings.ANONYMOUS_PAGE_CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        return response
