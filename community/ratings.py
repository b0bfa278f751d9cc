"""A film's rating figures (`films.FilmRating`), recounted from its public reviews."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum

from films.models import FilmRating

from .models import Review


def recount(film_id: int) -> FilmRating:
    """Count the film's public reviews and sum their ratings again (not by increments: a review
    that is edited, hidden, restored or whose author is blocked changes the figures in ways an
    increment would have to second-guess)."""
    with transaction.atomic():
        FilmRating.objects.get_or_create(film_id=film_id)
        # Locked before counting: a second recount waits for this one and then counts what it wrote.
        rating = FilmRating.objects.select_for_update().get(film_id=film_id)
        figures = Review.objects.public().filter(film_id=film_id).aggregate(count=Count("pk"), total=Sum("rating"))
        rating.count, rating.total = figures["count"] or 0, figures["total"] or 0
        rating.save(update_fields=["count", "total", "updated_at"])
    return rating
