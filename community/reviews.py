"""A member's review of a finished film: one per member and film, written again to edit it.

"Watched" is decided when the review is written or edited: the member owns the film (bought or was
granted it) or has played at least half of it. A film's own creator does not review it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from films.models import FilmBasePage, FilmPage
from page_cache.cache import invalidate_all_pages
from watching.models import Entitlement, WatchProgress

from .models import REVIEW_MAX_LENGTH, Review, Status
from .moderation import Refused, check_can_post, hold_reason, status_for, validate_body
from .ratings import recount


def reviewable(film: FilmBasePage) -> bool:
    return film.live and film.specific_class is FilmPage


def watched_enough(user, film: FilmBasePage) -> bool:
    if Entitlement.objects.active().filter(user=user, film_id=film.pk).exists():
        return True
    if not film.main_video_id:
        return False
    for watched, duration, completed in WatchProgress.objects.filter(
        user=user, video_id=film.main_video_id
    ).values_list("watched_seconds", "duration", "completed"):
        if completed or (duration and watched >= duration / 2):
            return True
    return False


def parse_rating(value) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise Refused(_("Choose a rating from 1 to 5 stars."))
    return rating


def submit(user, film: FilmBasePage, rating, body: str = "") -> Review:
    """Write or rewrite `user`'s review of `film`. New words are judged again (an edit that adds a
    link waits like a new post); a review staff hid stays out of view until staff look again."""
    check_can_post(user)
    if not reviewable(film):
        raise Refused(_("Only released films can be reviewed."), 400)
    if film.owner_id == user.pk:
        raise Refused(_("You cannot review your own film."), 403)
    rating = parse_rating(rating)
    body = validate_body(body, REVIEW_MAX_LENGTH, required=False)
    hold = hold_reason(user, body, film.owner_id)
    watched = watched_enough(user, film)
    for _attempt in range(2):  # a double-clicked first review: the second becomes an edit
        try:
            with transaction.atomic():
                review = _write(user, film, rating, body, hold, watched)
            break
        except IntegrityError:
            continue
    recount(film.pk)
    transaction.on_commit(invalidate_all_pages)
    return review


def _write(user, film, rating, body, hold, watched) -> Review:
    review = Review.objects.select_for_update().filter(film_id=film.pk, author=user).first()
    if review is None:
        return Review.objects.create(
            film_id=film.pk,
            author=user,
            rating=rating,
            body=body,
            held_for=hold,
            status=status_for(hold),
            watched=watched,
        )
    if review.status in (Status.HIDDEN, Status.REPORTED):
        review.status = Status.PENDING  # staff decided on the old words; they look at the new ones
    else:
        review.status = status_for(hold)
    review.held_for = hold if review.status == Status.PENDING else ""
    review.rating, review.body, review.watched = rating, body, watched or review.watched
    review.edited_at = timezone.now()
    review.save()
    return review
