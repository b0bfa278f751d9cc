"""What the home page shows of the notices: the link to their feed and the pinned banner.

The banner is the newest live notice whose `banner_until` is still ahead. The home page is cached
whole for anonymous visitors (`page_cache`): publishing or unpublishing a notice (a pinned one
included) retires every cached page like any publish, and a banner's end, which nothing publishes,
bounds the cached copy's lifetime (`page_cache.cache.limit_lifetime`), so the page is rendered
again without the banner from `banner_until` on.

What is looked up here is kept once per page-cache generation in the pages cache, for no longer
than the banner lasts, so a member's home page (rendered for each member) costs no query for it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from page_cache.cache import current_generation, limit_lifetime, pages_cache

from .models import NoticeIndexPage, NoticePage


def current_banner(now: datetime | None = None) -> NoticePage | None:
    """The notice pinned to the top of the home page now: the newest whose banner is up."""
    return NoticePage.objects.live().public().pinned(now).newest_first().first()


def _banner_data(notice: NoticePage, request) -> dict:
    return {
        "id": notice.pk,
        "title": notice.title,
        "title_en": notice.title_en,
        "date": notice.date,
        "url": notice.get_url(request),
        "until": notice.banner_until,
    }


def _lookup(request, now: datetime) -> dict:
    board = NoticeIndexPage.objects.live().public().order_by("path").first()
    banner = current_banner(now)
    return {
        "index_url": board.get_url(request) if board else "",
        "feed_url": board.feed_url if board else "",
        "banner": _banner_data(banner, request) if banner else None,
    }


def seconds_left(banner: dict | None, now: datetime) -> float | None:
    """How long the banner stays up from `now` (None: no banner)."""
    return None if banner is None else (banner["until"] - now).total_seconds()


def home_notices(request) -> dict:
    """`{"index_url", "feed_url", "banner"}` for the home page; `banner` is None or a dict with the
    notice's `id`, `title`, `title_en`, `date`, `url` and `until`.

    Bounds how long the page cache keeps the page being rendered to what is left of the banner.
    """
    now = timezone.now()
    key = f"notices:home:{current_generation()}"
    notices = pages_cache().get(key)
    if notices is None or (notices["banner"] and notices["banner"]["until"] <= now):
        notices = _lookup(request, now)
        lifetime = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        left = seconds_left(notices["banner"], now)
        if left is not None:
            lifetime = min(lifetime, int(left))
        if lifetime >= 1:
            pages_cache().set(key, notices, timeout=lifetime)
    left = seconds_left(notices["banner"], now)
    if left is not None and request is not None:
        limit_lifetime(request, left)
    return notices
