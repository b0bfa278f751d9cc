"""What my page shows, as data: the library, orders, projects and badges of one member.

Shared by the HTML pages (`members.views.pages`) and the apps' API (`members.api`), so the site and an
app always list the same things. Each function takes the member and runs a fixed number of
queries, however long the lists are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from donations.models import SETTLED_STATUSES, Order
from films.models import FilmBasePage, FundingProjectPage, FundingTotal
from films.renditions import CARD_POSTER_FILTER
from watching.models import Entitlement, WatchProgress

from . import badges
from .models import BadgeAward, User

CONTINUE_WATCHING_LIMIT = 12


def _poster_with_card_rendition(lookup: str) -> Prefetch:
    """The poster and its card rendition in one query for all rows (the spec film cards use).

    Not select_related: a joined poster counts as already fetched, and Django would then skip the
    prefetch that brings its renditions (see `FilmQuerySet.for_cards`).
    """

    return Prefetch(lookup, queryset=get_image_model().objects.prefetch_renditions(CARD_POSTER_FILTER))


# --- library ------------------------------------------------------------------------------------


@dataclass
class Library:
    continue_watching: list  # WatchProgress rows
    bought: list  # active Entitlements
    watched_free: list  # FilmBasePage


def library_of(user: User) -> Library:
    """Films started and not finished (newest first, with how far), films bought, free films watched."""
    from watching.playback import RESUME_MIN_SECONDS  # less than this in, a film is not "started"

    continue_watching = list(
        WatchProgress.objects.filter(
            user=user,
            film__isnull=False,
            film__live=True,
            completed=False,
            position__gte=RESUME_MIN_SECONDS,
        )
        .select_related("film")
        .prefetch_related(_poster_with_card_rendition("film__poster"))
        .order_by("-updated_at")[:CONTINUE_WATCHING_LIMIT]
    )
    bought = list(
        Entitlement.objects.active()
        .filter(user=user, film__live=True)
        .select_related("film")
        .prefetch_related(_poster_with_card_rendition("film__poster"))
        .order_by("-created_at")
    )
    watched_free = list(
        FilmBasePage.objects.live()
        .filter(price=0, watch_progress__user=user)
        .prefetch_related(_poster_with_card_rendition("poster"))
        .distinct()
        .order_by("title")
    )
    return Library(continue_watching=continue_watching, bought=bought, watched_free=watched_free)


# --- orders -------------------------------------------------------------------------------------


def settled_orders_of(user: User) -> list:
    """The member's donations and purchases that went through (paid, partly or fully refunded), newest first."""

    return Order.with_tickets(
        list(
            Order.objects.filter(member=user, status__in=SETTLED_STATUSES)
            .select_related("project", "film")
            .order_by("-created_at")
        )
    )


# --- projects -----------------------------------------------------------------------------------


class Publication:
    DRAFT = "draft"
    IN_MODERATION = "in_moderation"
    LIVE = "live"
    CHOICES = (DRAFT, IN_MODERATION, LIVE)


@dataclass
class ProjectRow:
    page: object  # the specific FilmPage or FundingProjectPage
    publication: str  # Publication.*
    changes_in_moderation: bool  # live, with a newer revision waiting for review
    total: object  # FundingTotal or None
    is_project: bool

    @property
    def status(self) -> str:
        """How my page words the publication status."""
        if self.publication == Publication.LIVE:
            return _("Live") + (_(" (changes in moderation)") if self.changes_in_moderation else "")
        if self.publication == Publication.IN_MODERATION:
            return _("In moderation")
        return _("Draft")


def project_rows(user: User) -> list[ProjectRow]:
    """The film and funding pages the member owns, newest revision first, with status and figures."""

    pages = list(FilmBasePage.objects.filter(owner=user).order_by("-latest_revision_created_at").specific())
    # Two queries for the whole table, not two per row: totals, and which pages are in moderation.
    ids = [page.pk for page in pages]
    totals = {t.project_id: t for t in FundingTotal.objects.filter(project_id__in=ids)}
    in_moderation = {
        int(object_id)
        for object_id in WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(pk) for pk in ids],
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).values_list("object_id", flat=True)
    }
    rows = []
    for page in pages:
        moderated = page.pk in in_moderation
        if page.live:
            publication = Publication.LIVE
        elif moderated:
            publication = Publication.IN_MODERATION
        else:
            publication = Publication.DRAFT
        rows.append(
            ProjectRow(
                page=page,
                publication=publication,
                changes_in_moderation=page.live and moderated,
                total=totals.get(page.pk),
                is_project=isinstance(page, FundingProjectPage),
            )
        )
    return rows


# --- badges -------------------------------------------------------------------------------------


@dataclass
class BadgeItem:
    badge: badges.Badge
    award: BadgeAward | None  # None: not earned yet

    @property
    def earned_at(self) -> datetime | None:
        return self.award.awarded_at if self.award else None


def badge_items(user: User) -> list[BadgeItem]:
    """Every badge in the order they are defined, each with the member's award if they earned it."""
    earned = {award.code: award for award in BadgeAward.objects.filter(user=user)}
    return [BadgeItem(badge=badge, award=earned.get(code)) for code, badge in badges.BADGES.items()]
