"""Whole-page cache for anonymous visitors.

A page is served from (and stored in) the cache only when nothing personal can
be in it: a GET or HEAD without a session cookie, answered 200 with HTML and no
`Set-Cookie`, and not marked private. Logged-in members, anyone with a session
(e.g. after unlocking a password-protected page), the admin and the API never
touch it. The cache key holds the active language and the full path with its
query string.

Invalidation is by generation: publishing, unpublishing, moving or deleting a
page, or editing a genre or person, bumps one counter, so every cached page
(home rows, catalogue, collections, person pages) is rebuilt on next request.
That is coarse but never wrong, and a site of this size republishes rarely.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "pagecache:generation"
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/accounts/",
    "/_allauth/",
    "/static/",
    "/media/",
    "/i18n/",
    "/me/",
)
HIT_HEADER = "X-Page-Cache"


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def invalidate_all_pages() -> None:
    """Make every cached page stale. Called from signal handlers on publish/unpublish/move/delete."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _cache_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:{current_generation()}:{get_language()}:{request.get_host()}:{digest}"


def _is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and "preview" not in request.GET
    )


def _is_cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class AnonymousPageCacheMiddleware:
    """Must sit after LocaleMiddleware (the key holds the language) and before auth."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached[HIT_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            patch_vary_headers(response, ("Cookie",))
            cache.set(key, response, settings.ANONYMOUS_PAGE_CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        return response
