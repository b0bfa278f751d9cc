"""Scheduling premieres: who may schedule, change and cancel one, and which premieres pages show.

A premiere belongs to a film or project page, and whoever may edit that page in the admin may
schedule, change and cancel its premieres (creators their own pages, staff every page). The stream
key is more secret than the page: only the page's owner and staff see it or make a new one.

No request objects here: the admin views and the API parse input and call these functions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from films.models import FilmBasePage
from videos.access import is_staff_member
from videos.models import VideoStatus

from .models import Premiere, PremiereStatus

# A premiere that has not gone live this long after its start time no longer counts as upcoming.
UPCOMING_GRACE = timedelta(hours=1)


class Refused(Exception):
    """What the user asked cannot be done; `message` says why, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- who may do what --------------------------------------------------------------------------------


def editable_pages(user) -> QuerySet[FilmBasePage]:
    """The film and project pages `user` may edit in the admin: the pages they may schedule on."""
    if not user.is_authenticated:
        return FilmBasePage.objects.none()
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return FilmBasePage.objects.filter(pk__in=pages.values("pk")).order_by("title", "pk")


def may_manage(user, premiere: Premiere) -> bool:
    """Schedule, change or cancel: whoever may edit the premiere's page."""
    if not user.is_authenticated:
        return False
    return premiere.page.permissions_for_user(user).can_edit()


def may_see_stream_key(user, premiere: Premiere) -> bool:
    """The page's owner and staff: the key lets anyone who has it broadcast on the page."""
    if not user.is_authenticated:
        return False
    return is_staff_member(user) or premiere.page.owner_id == user.pk


def rtmp_url() -> str:
    """Where OBS or ffmpeg sends the stream (the stream key goes after it)."""
    return settings.LIVE_RTMP_PUBLIC_URL


# --- changes ---------------------------------------------------------------------------------------


def check_ticket_price(price: int) -> None:
    """Free (0) or at least the smallest amount the payments take."""
    if price != 0 and price < settings.DONATION_MINIMUM:
        raise Refused(
            _("A ticket costs nothing (free) or at least %(minimum)s KRW.")
            % {"minimum": f"{settings.DONATION_MINIMUM:,}"}
        )


def check_start(starts_at: datetime, now: datetime | None = None) -> None:
    if starts_at <= (now or timezone.now()):
        raise Refused(_("The start time must be in the future."))


def schedule(
    user, page: FilmBasePage, *, title: str, starts_at: datetime, ticket_price: int = 0, has_qa: bool = False
) -> Premiere:
    """A new premiere on `page`, scheduled by `user`."""
    if not page.permissions_for_user(user).can_edit():
        raise Refused(_("You may not schedule premieres on this page."))
    check_start(starts_at)
    check_ticket_price(ticket_price)
    return Premiere.objects.create(
        page=page, title=title, starts_at=starts_at, ticket_price=ticket_price, has_qa=has_qa, created_by=user
    )


def change(user, premiere: Premiere, *, title: str, starts_at: datetime, ticket_price: int, has_qa: bool) -> Premiere:
    """New details for a premiere that has not started. A new start time re-arms the reminders
    (`reminders` sends one per start time)."""
    with transaction.atomic():
        premiere = Premiere.objects.select_for_update().select_related("page").get(pk=premiere.pk)
        if not may_manage(user, premiere):
            raise Refused(_("You may not change this premiere."))
        if premiere.status != PremiereStatus.SCHEDULED:
            raise Refused(_("Only a premiere that has not started can be changed."))
        if starts_at != premiere.starts_at:
            check_start(starts_at)
        check_ticket_price(ticket_price)
        premiere.title, premiere.starts_at = title, starts_at
        premiere.ticket_price, premiere.has_qa = ticket_price, has_qa
        premiere.save(update_fields=["title", "starts_at", "ticket_price", "has_qa"])
    return premiere


def cancel(user, premiere: Premiere) -> Premiere:
    """Call off a premiere that has not started; its stream key stops working with it."""
    with transaction.atomic():
        premiere = Premiere.objects.select_for_update().select_related("page").get(pk=premiere.pk)
        if not may_manage(user, premiere):
            raise Refused(_("You may not cancel this premiere."))
        if premiere.status != PremiereStatus.SCHEDULED:
            raise Refused(_("Only a premiere that has not started can be cancelled."))
        premiere.status = PremiereStatus.CANCELLED
        premiere.save(update_fields=["status"])
    return premiere


def regenerate_stream_key(user, premiere: Premiere) -> Premiere:
    """A new stream key; the old one stops working at once (nginx asks for the current key)."""
    if not may_see_stream_key(user, premiere):
        raise Refused(_("Only the page's owner and staff may make a new stream key."))
    premiere.regenerate_stream_key()
    return premiere


# --- what pages and the API show -------------------------------------------------------------------


def shown() -> QuerySet[Premiere]:
    """Premieres visitors may see: on live, public pages, not cancelled."""
    public_pages = FilmBasePage.objects.live().public().values("pk")
    return (
        Premiere.objects.filter(page__in=public_pages)
        .exclude(status=PremiereStatus.CANCELLED)
        .select_related("page", "replay")
    )


def upcoming(premieres: QuerySet[Premiere], now: datetime | None = None) -> QuerySet[Premiere]:
    """Scheduled and not yet long overdue, soonest first."""
    now = now or timezone.now()
    return premieres.filter(status=PremiereStatus.SCHEDULED, starts_at__gt=now - UPCOMING_GRACE).order_by(
        "starts_at", "pk"
    )


def live_now(premieres: QuerySet[Premiere]) -> QuerySet[Premiere]:
    return premieres.filter(status=PremiereStatus.LIVE).order_by("starts_at", "pk")


def past(premieres: QuerySet[Premiere]) -> QuerySet[Premiere]:
    """Ended premieres, latest first."""
    return premieres.filter(status=PremiereStatus.ENDED).order_by("-starts_at", "-pk")


def coming_everywhere(now: datetime | None = None, limit: int | None = None) -> list[Premiere]:
    """Live and upcoming premieres across the site, at most `limit`: live first, then the soonest."""
    everywhere = shown()
    live = list(live_now(everywhere)[:limit])
    rest = None if limit is None else max(limit - len(live), 0)
    return live + list(upcoming(everywhere, now)[:rest])


def still_coming(premiere: Premiere, now: datetime | None = None) -> bool:
    """Whether a premiere listed as live or upcoming still counts as such at `now` (an upcoming one
    drops out once long overdue, as in `upcoming`)."""
    now = now or timezone.now()
    return premiere.status == PremiereStatus.LIVE or premiere.starts_at > now - UPCOMING_GRACE


def can_show(premieres: QuerySet[Premiere], now: datetime | None = None) -> QuerySet[Premiere]:
    """Those of `premieres` a page may show: live, upcoming, or past with a replay (shown once the
    replay is ready, `replay_ready`)."""
    return live_now(premieres) | upcoming(premieres, now) | past(premieres).filter(replay__isnull=False)


def pages_with_premieres(now: datetime | None = None) -> tuple[frozenset[int], frozenset[int]]:
    """The ids of the pages with a live or upcoming premiere, and of those with a past premiere that
    has a replay: the pages whose premieres can show (more than show: an upcoming premiere drops
    out with time, and a replay shows once its video is ready)."""
    coming, replayed = set(), set()
    for page_id, status in can_show(shown(), now).order_by().values_list("page_id", "status").distinct():
        (replayed if status == PremiereStatus.ENDED else coming).add(page_id)
    return frozenset(coming), frozenset(replayed)


def kept_for_page(page_id: int) -> list[Premiere]:
    """A page's premieres that may show on it at some time (`on_page` picks those that show now), in
    one query: live, scheduled (however overdue) and ended with a replay, soonest first. The same
    until a premiere, a page or a video changes, each of which starts a new page-cache generation,
    so it can be kept that long; time alone never changes it."""
    premieres = Premiere.objects.filter(page_id=page_id).select_related("replay")
    showable = Q(status__in=(PremiereStatus.LIVE, PremiereStatus.SCHEDULED)) | Q(
        status=PremiereStatus.ENDED, replay__isnull=False
    )
    return list(premieres.filter(showable).order_by("starts_at", "pk"))


def on_page(premieres: list[Premiere], now: datetime | None = None) -> tuple[list[Premiere], list[Premiere]]:
    """Of a page's `kept_for_page` premieres, those it shows at `now`: live and upcoming ones (live
    first, then soonest), and past ones whose replay is ready (latest first). For a page its viewer
    already sees, so the page itself is not checked again (`shown()` does that for lists across pages)."""
    now = now or timezone.now()
    live = [premiere for premiere in premieres if premiere.status == PremiereStatus.LIVE]
    scheduled = [
        premiere
        for premiere in premieres
        if premiere.status == PremiereStatus.SCHEDULED and premiere.starts_at > now - UPCOMING_GRACE
    ]
    replays = [premiere for premiere in reversed(premieres) if premiere.status == PremiereStatus.ENDED]
    return live + scheduled, [premiere for premiere in replays if replay_ready(premiere)]


def replay_ready(premiere: Premiere) -> bool:
    return premiere.replay_id is not None and premiere.replay.status == VideoStatus.READY
