"""The genres a member picked: read and replaced here, for the onboarding page, my page and the API.

Rule: any number of genres may be picked, none included (that clears them). The site's page asks
for at least three (`SITE_MINIMUM`, checked by its form) because three give a new member's first
recommendations some range; apps may ask differently, so the API takes fewer. Unknown genre ids
are refused, whatever asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from films.models import Genre

from .models import PickedGenre, Reason, Recommendation

SITE_MINIMUM = 3


class UnknownGenres(ValueError):
    def __init__(self, ids: Iterable[int]):
        self.ids = sorted(ids)
        super().__init__(f"unknown genre ids: {self.ids}")


def picked_genres_of(user) -> list[Genre]:
    """The member's picked genres, in the catalogue's order."""
    return list(Genre.objects.filter(pk__in=PickedGenre.objects.filter(user=user).values("genre_id")))


def set_picked_genres(user, genre_ids: Iterable[int]) -> list[Genre]:
    """Make `genre_ids` the member's picked genres; returns them. Raises UnknownGenres (and changes
    nothing) when an id is no genre's.

    Recommendations made from the old picks (reason genre or popularity) are dropped at once: until
    the next recompute the member's rows come from the new picks (`rows.rows_for`).
    """
    wanted = set(genre_ids)
    genres = list(Genre.objects.filter(pk__in=wanted))
    unknown = wanted - {genre.pk for genre in genres}
    if unknown:
        raise UnknownGenres(unknown)
    with transaction.atomic():
        before = set(PickedGenre.objects.filter(user=user).values_list("genre_id", flat=True))
        if before != wanted:
            PickedGenre.objects.filter(user=user).exclude(genre_id__in=wanted).delete()
            PickedGenre.objects.bulk_create(
                [PickedGenre(user=user, genre_id=pk) for pk in wanted - before], ignore_conflicts=True
            )
            Recommendation.objects.filter(user=user, reason__in=[Reason.GENRE, Reason.POPULAR]).delete()
    return genres
