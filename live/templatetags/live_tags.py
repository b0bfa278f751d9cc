"""Premieres on the site's pages, loaded by the film, project, home and catalogue templates (their
Python never imports this app).

Times are written into the page (`datetime` attributes) and the countdown is computed in the
browser (`static/js/countdown.js`), so a cached copy of a page never shows a stale countdown. What a
cached copy cannot follow by itself (an upcoming premiere long overdue) bounds its lifetime; every
saved change to a premiere retires the cached pages (`live.signal_handlers`).

Which pages have premieres to show, and the site-wide row of live and upcoming ones, are asked once
per page-cache generation (`page_cache.fragments.shared`): a page without any, nearly every page,
costs no query here, and the home page and the catalogue none for their row.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from page_cache.cache import limit_lifetime
from page_cache.fragments import shared

from .. import reminders, schedule

register = template.Library()

# The home page's and the catalogue's row: at most this many premieres, live ones first.
ROW_SIZE = 8
# Past premieres with a replay listed on a page.
PAST_ON_PAGE = 3


def _pages_with_premieres(request) -> tuple[frozenset[int], frozenset[int]]:
    """`schedule.pages_with_premieres()`, kept until a premiere or a page changes (each starts a new
    generation)."""
    return shared(request, "live:pages-with-premieres", schedule.pages_with_premieres)


def _bound_cached_lifetime(request, premieres) -> None:
    """Keep a cached page no longer than the first of its upcoming premieres counts as upcoming."""
    upcoming = [premiere for premiere in premieres if premiere.status == "scheduled"]
    if request is not None and upcoming:
        ends = min(premiere.starts_at for premiere in upcoming) + schedule.UPCOMING_GRACE
        limit_lifetime(request, (ends - timezone.now()).total_seconds())


def _with_reminders(request, premieres: list) -> list:
    user = getattr(request, "user", None)
    reminded = reminders.reminded_premiere_ids(user, [p.pk for p in premieres]) if user else set()
    now = timezone.now()
    for premiere in premieres:
        premiere.reminded = premiere.pk in reminded
        premiere.may_remind = reminders.may_remind(premiere, now)
    return premieres


@register.inclusion_tag("live/includes/page_premieres.html", takes_context=True)
def page_premieres(context, page):
    """A film's or project's premieres: live now, upcoming (with "remind me"), past with a replay."""
    request = context.get("request")
    coming_on, replayed_on = _pages_with_premieres(request)
    if page.pk not in coming_on and page.pk not in replayed_on:
        return {"coming": [], "replays": []}
    # The page's premieres are kept per generation; which of them show now is worked out each time.
    kept = shared(request, f"live:on-page:{page.pk}", lambda: schedule.kept_for_page(page.pk))
    coming, replays = schedule.on_page(kept)
    _bound_cached_lifetime(request, coming)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "coming": _with_reminders(request, coming),
        "replays": replays[:PAST_ON_PAGE],
    }


@register.inclusion_tag("live/includes/upcoming_row.html", takes_context=True)
def upcoming_premieres_row(context):
    """Live and upcoming premieres across the site (the home page, the catalogue); nothing when none."""
    request = context.get("request")
    if not _pages_with_premieres(request)[0]:
        return {"coming": []}
    # The same for everyone until a premiere or a page changes (a new generation); what time alone
    # changes, an upcoming premiere dropping out once long overdue, is applied on each render. A
    # few more than a row are kept so that the row stays full when some drop out.
    listed = shared(request, "live:coming-everywhere", lambda: schedule.coming_everywhere(limit=4 * ROW_SIZE))
    coming = [premiere for premiere in listed if schedule.still_coming(premiere)][:ROW_SIZE]
    _bound_cached_lifetime(request, coming)
    return {"request": request, "coming": coming}
