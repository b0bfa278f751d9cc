"""Views of film pages, one row per film and day, incremented in the database (no row per view)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from films.models import FilmBasePage

from .models import PageViewCount


def count_page_view(film_id: int) -> bool:
    """Add one view of `film_id`'s page today; False when there is no such live page."""
    today = timezone.localdate()
    if PageViewCount.objects.filter(film_id=film_id, day=today).update(count=F("count") + 1):
        return True
    if not FilmBasePage.objects.live().filter(pk=film_id).exists():
        return False
    try:
        with transaction.atomic():
            PageViewCount.objects.create(film_id=film_id, day=today, count=1)
    except IntegrityError:  # created beside us: count into it
        PageViewCount.objects.filter(film_id=film_id, day=today).update(count=F("count") + 1)
    return True
