"""What the viewer owns: the films they bought or were given, and how far they got in each.

Cards and film pages ask per film; the answers come from two queries per request,
whatever the number of cards. Anonymous visitors own nothing and cost no query, so
their pages stay the same for everyone and can be cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from watching.models import Entitlement, WatchProgress


@dataclass(frozen=True)
class Owned:
    """A film the viewer owns, and how far into it they are (0–100)."""

    film_id: int
    percent: int


def owned_films_of(user) -> dict[int, Owned]:
    """The viewer's owned films by id (an active purchase or grant), each with its watch progress."""

    if not user.is_authenticated:
        return {}
    film_ids = list(Entitlement.objects.active().filter(user=user).values_list("film_id", flat=True))
    if not film_ids:
        return {}
    # The progress in the film's own video (a trailer watched does not count).
    progress = WatchProgress.objects.filter(user=user, film_id__in=film_ids, video_id=F("film__main_video_id"))
    percent = {row.film_id: row.percent for row in progress.only("film_id", "position", "duration")}
    return {film_id: Owned(film_id, percent.get(film_id, 0)) for film_id in film_ids}


def owned_for_request(request) -> dict[int, Owned]:
    """`owned_films_of` the request's user, worked out once per request."""
    if request is None:
        return {}
    cached = getattr(request, "_owned_films", None)
    if cached is None:
        cached = owned_films_of(getattr(request, "user", None) or _Anonymous())
        request._owned_films = cached
    return cached


class _Anonymous:
    is_authenticated = False
