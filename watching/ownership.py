"""What the viewer owns: the films they bought or were given, and how far they got in each.

Cards and film pages ask per film; the answers come from two queries per request,
whatever the number of cards. Anonymous visitors own nothing and cost no query, so
their pages stay the same for everyone and can be cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from page_cache.fragments import for_viewer
from watching.models import Entitlement, WatchProgress, percent_of


@dataclass(frozen=True)
class Owned:
    """A film the viewer owns or has started: how far into it they are (0–100), whether they finished it."""

    film_id: int
    percent: int
    owned: bool = True
    watched: bool = False


def films_of(user) -> dict[int, Owned]:
    """The viewer's films by id: those they own (an active purchase or grant) and those they started
    or finished watching (free films included), each with its progress in the film's own video."""

    if not user.is_authenticated:
        return {}
    owned = set(Entitlement.objects.active().filter(user=user).values_list("film_id", flat=True))
    # The progress in the film's own video (a trailer watched does not count).
    progress = WatchProgress.objects.filter(user=user, film__isnull=False, video_id=F("film__main_video_id"))
    # Plain rows, not model instances: a member with a long history has hundreds.
    films = {
        film_id: Owned(film_id, percent_of(position, duration), owned=film_id in owned, watched=completed)
        for film_id, position, duration, completed in progress.values_list(
            "film_id", "position", "duration", "completed"
        )
    }
    for film_id in owned - set(films):
        films[film_id] = Owned(film_id, 0)
    return films


def owned_films_of(user) -> dict[int, Owned]:
    """The viewer's owned films by id, each with its watch progress."""
    return {film_id: film for film_id, film in films_of(user).items() if film.owned}


def films_for_request(request) -> dict[int, Owned]:
    """`films_of` the request's user, worked out once per request."""
    if request is None:
        return {}
    return for_viewer(request, "watching:films", lambda: films_of(getattr(request, "user", None) or _Anonymous()))


def owned_for_request(request) -> dict[int, Owned]:
    """`owned_films_of` the request's user, worked out once per request."""
    return {film_id: film for film_id, film in films_for_request(request).items() if film.owned}


class _Anonymous:
    is_authenticated = False
