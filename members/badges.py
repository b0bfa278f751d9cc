"""Badges: defined here, with the rule that earns each one.

A rule returns when the member earned the badge (a datetime) or None. `evaluate()` awards what
the rules say is earned and is idempotent: an event replayed, or two events at once, award
nothing twice (one row per member and badge, enforced by the database). `recompute()` also takes
back what is no longer earned (e.g. after a refund); `manage.py recompute_badges` runs it for
everyone. Events call the `on_*` functions below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _

from donations.models import Order, OrderKind, OrderStatus
from films.models import FilmPage
from watching.models import WatchProgress
from watching.progress import WATCHED_SECONDS

from .models import BadgeAward, UniversityEmail, User

WATCHED_FILMS_FOR_BADGE = 5
# A film counts as watched after this many seconds of actual playing (or when finished).
BACKED_PROJECTS_FOR_BADGE = 3
EARLY_BACKER_RANK = 10


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    how_to_earn: str
    icon: str  # a name in templates/members/includes/badge_icon.html
    rule: Callable[[User], datetime | None]


def _verified_creator(user: User) -> datetime | None:
    return UniversityEmail.objects.filter(user=user, status=UniversityEmail.Status.VERIFIED).aggregate(
        first=Min("verified_at")
    )["first"]


def _first_film_published(user: User) -> datetime | None:

    return FilmPage.objects.live().filter(owner=user).aggregate(first=Min("first_published_at"))["first"]


def _watched_films(user: User) -> datetime | None:

    watched = (
        WatchProgress.objects.filter(user=user, film__isnull=False)
        .filter(Q(completed=True) | Q(watched_seconds__gte=WATCHED_SECONDS))
        .values("film")
        .annotate(at=Min("updated_at"))
        .order_by("at")
    )
    dates = [row["at"] for row in watched[:WATCHED_FILMS_FOR_BADGE]]
    return dates[-1] if len(dates) >= WATCHED_FILMS_FOR_BADGE else None


def _paid_donations(user: User):
    """The member's donations that count (paid, or only partly refunded), oldest first."""

    return list(
        Order.objects.filter(
            member=user, kind=OrderKind.DONATION, status__in=[OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED]
        ).order_by("paid_at")
    )


def _first_donation(user: User) -> datetime | None:
    donations = _paid_donations(user)
    return donations[0].paid_at if donations else None


def _backer_of_three(user: User) -> datetime | None:
    firsts = {}
    for donation in _paid_donations(user):
        firsts.setdefault(donation.project_id, donation.paid_at)
    dates = sorted(firsts.values())
    return dates[BACKED_PROJECTS_FOR_BADGE - 1] if len(dates) >= BACKED_PROJECTS_FOR_BADGE else None


def _early_backer(user: User) -> datetime | None:
    """Among a project's first ten backers (members, in the order their first donation was paid)."""

    seen = set()
    for donation in _paid_donations(user):
        if donation.project_id in seen:
            continue
        seen.add(donation.project_id)
        earlier = (
            Order.objects.filter(
                project_id=donation.project_id,
                kind=OrderKind.DONATION,
                status__in=[OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED],
                paid_at__lt=donation.paid_at,
            )
            .exclude(member=user)
            .values("member")
            .distinct()
            .count()
        )
        if earlier < EARLY_BACKER_RANK:
            return donation.paid_at
    return None


BADGES: dict[str, Badge] = {
    badge.code: badge
    for badge in [
        Badge(
            "verified_creator",
            _("Verified creator"),
            _("Verify your university e-mail address."),
            "verified",
            _verified_creator,
        ),
        Badge(
            "first_film_published",
            _("First film published"),
            _("Have one of your films approved and published."),
            "clapper",
            _first_film_published,
        ),
        Badge(
            "watched_5",
            _("Five films watched"),
            _("Watch five different films (at least a minute of each)."),
            "play",
            _watched_films,
        ),
        Badge(
            "first_donation",
            _("First donation"),
            _("Back a film in production with a donation of any size."),
            "heart",
            _first_donation,
        ),
        Badge(
            "backer_of_3",
            _("Backer of three"),
            _("Back three different projects."),
            "people",
            _backer_of_three,
        ),
        Badge(
            "early_backer",
            _("Early backer"),
            _("Be one of a project's first ten backers."),
            "sprout",
            _early_backer,
        ),
    ]
}


def award(user: User, code: str, when: datetime) -> bool:
    """Give `user` the badge once; True if this call gave it."""
    try:
        with transaction.atomic():
            _, created = BadgeAward.objects.get_or_create(user=user, code=code, defaults={"awarded_at": when})
    except IntegrityError:  # the same award won a race in another transaction
        return False
    return created


def evaluate(user: User, codes: list[str] | None = None) -> list[str]:
    """Award every badge (or those in `codes`) the rules say `user` has earned; returns the new ones."""
    if user.deleted_at:
        return []
    have = set(BadgeAward.objects.filter(user=user).values_list("code", flat=True))
    new = []
    for code in codes or BADGES:
        if code in have:
            continue
        when = BADGES[code].rule(user)
        if when is not None and award(user, code, when):
            new.append(code)
    return new


def recompute(user: User) -> tuple[list[str], list[str]]:
    """Bring `user`'s badges in line with the rules: (awarded, taken back)."""
    taken = []
    for row in BadgeAward.objects.filter(user=user):
        badge = BADGES.get(row.code)
        if badge is None or badge.rule(user) is None:
            row.delete()
            taken.append(row.code)
    return evaluate(user), taken


# --- events -------------------------------------------------------------------------------------


def on_verified(user: User) -> None:
    evaluate(user, ["verified_creator"])


def on_page_published(page) -> None:
    if page.owner_id:
        evaluate(page.owner, ["first_film_published"])


def on_watch_progress(user: User) -> None:
    evaluate(user, ["watched_5"])


def on_donation_paid(user: User) -> None:
    evaluate(user, ["first_donation", "backer_of_3", "early_backer"])
