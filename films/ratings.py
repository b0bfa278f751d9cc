"""Age ratings: the creator rates a film in its editor, staff confirm a rating here.

The rating that applies is the stricter of the two (`FilmBasePage.applied_age_rating`). Staff see
the films whose applied rating they have not confirmed yet and confirm it, or a stricter one.
Each decision is logged in the page's history and retires the cached pages (the rating shows on
the film's page, and 청소년 관람불가 changes who may play it).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from wagtail.log_actions import log as log_action
from wagtail.models import Page, WorkflowState

from page_cache.cache import invalidate_all_pages

from .choices import AgeRating
from .models import AgeRatingDecision, FilmBasePage

LOG_ACTION = "films.age_rating.confirm"


def decide(film: FilmBasePage, rating: str, user) -> AgeRatingDecision:
    """Record staff's rating for `film` (a repeated decision replaces the previous one)."""
    rating = AgeRating(rating).value
    with transaction.atomic():
        # Two staff deciding at once: the second waits and replaces the first, never a second row.
        FilmBasePage.objects.select_for_update().filter(pk=film.pk).values_list("pk").first()
        decision, _created = AgeRatingDecision.objects.update_or_create(
            film=film, defaults={"rating": rating, "decided_by": user, "decided_at": timezone.now()}
        )
        log_action(instance=film, action=LOG_ACTION, user=user, data={"rating": rating})
        transaction.on_commit(invalidate_all_pages)
    film.age_rating_decision = decision
    return decision


def _rank(field: str) -> Case:
    """The rank of a rating column (0 = all ages … 3 = adults only), for comparing in SQL."""
    return Case(*(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(AgeRating.values)))


def films_to_rate(*, waiting_only: bool):
    """Live films and projects, and those submitted for review, newest first, decisions joined.

    `waiting_only`: those whose applied rating staff have not confirmed: none decided yet, or the
    creator has since rated the film stricter than staff did.
    """
    in_review = [
        int(object_id)
        for object_id in WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    ]
    films = (
        FilmBasePage.objects.filter(Q(live=True) | Q(pk__in=in_review))
        .select_related("age_rating_decision", "owner")
        .order_by("-latest_revision_created_at", "-pk")
    )
    if waiting_only:
        films = films.alias(_declared=_rank("age_rating"), _confirmed=_rank("age_rating_decision__rating")).filter(
            Q(age_rating_decision__isnull=True) | Q(_declared__gt=F("_confirmed"))
        )
    return films
