"""What pages show: a member's home rows, "more like this", the director's other films, what to
watch next. Read from the tables the recompute task writes; nothing is scored here.

Each function runs a fixed number of queries, whatever the size of the catalogue or the member's
history, and returns film pages ready for cards (`FilmQuerySet.for_cards`). What changed since the
last recompute is taken into account where it matters: a film bought or finished a minute ago is
no longer recommended.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Subquery
from django.utils.translation import gettext as _

from films.choices import CreditRole
from films.models import Credit, FilmBasePage, Genre
from reelvision.korean import agree
from watching.models import Entitlement, WatchProgress, percent_of
from watching.playback import RESUME_MIN_SECONDS

from .models import FilmPopularity, PickedGenre, Reason, Recommendation, SimilarFilm

ROW_LENGTH = 12
BECAUSE_ROWS = 2  # "because you watched" rows at most
BECAUSE_ROW_MIN = 3  # films a "because you watched" row needs to be shown


@dataclass(frozen=True)
class Resume:
    """Where the member stopped in a film: the card's progress bar and the watch page's resume point."""

    video_id: int
    position: float  # seconds
    duration: float  # seconds

    @property
    def percent(self) -> int:
        return percent_of(self.position, self.duration)


@dataclass
class Row:
    """One row of film cards. `key` says which kind (`continue_watching`, `because_watched`,
    `for_you`, `new_in_genres`, `popular_this_week`); in "continue watching" each film also has
    `.resume` (a `Resume`)."""

    key: str
    title: str
    films: list = field(default_factory=list)
    reason_film: FilmBasePage | None = None
    reason_genre: Genre | None = None
    resumes: dict[int, Resume] = field(default_factory=dict)


class Rows:
    """Keys of the rows, in the order `rows_for` returns them."""

    CONTINUE_WATCHING = "continue_watching"
    BECAUSE_WATCHED = "because_watched"
    FOR_YOU = "for_you"
    NEW_IN_GENRES = "new_in_genres"
    POPULAR_THIS_WEEK = "popular_this_week"


# The API's `key` choices (the schema's `RowKeyEnum`).
ROW_KEYS = (Rows.CONTINUE_WATCHING, Rows.BECAUSE_WATCHED, Rows.FOR_YOU, Rows.NEW_IN_GENRES, Rows.POPULAR_THIS_WEEK)


@dataclass
class _Viewer:
    """What the member has: films being watched (newest first, with where they stopped), and films
    never to recommend (owned, finished, being watched)."""

    watching: list[tuple[int, Resume]]
    excluded: set[int]


def _viewer(user) -> _Viewer:
    """Two queries: the member's progress in films' own videos, and the films they own."""
    if not user.is_authenticated:
        return _Viewer([], set())
    progress = (
        WatchProgress.objects.filter(user=user, film__isnull=False, video_id=F("film__main_video_id"))
        .order_by("-updated_at")
        .values_list("film_id", "video_id", "position", "duration", "completed")
    )
    watching, excluded = [], set()
    for film, video, position, duration, completed in progress:
        if completed or position >= RESUME_MIN_SECONDS:
            excluded.add(film)
        if not completed and position >= RESUME_MIN_SECONDS:
            watching.append((film, Resume(video, position, duration)))
    excluded.update(Entitlement.objects.active().filter(user=user).values_list("film_id", flat=True))
    return _Viewer(watching, excluded)


def _visible(ids: Iterable[int]) -> dict[int, int]:
    """The ids among `ids` of live, public film pages, each mapped to itself (one query)."""
    visible = FilmBasePage.objects.live().public().filter(pk__in=set(ids)).values_list("pk", flat=True)
    return {pk: pk for pk in visible}


def _cards(ids: Iterable[int], *, watchable: bool = False) -> dict[int, FilmBasePage]:
    """Live, public film pages by id, ready for cards (five queries whatever their number)."""
    films = FilmBasePage.objects.live().public().filter(pk__in=set(ids))
    if watchable:
        films = films.finished().available()
    return {film.pk: film for film in films.for_cards()}


def _in_order(ids: Iterable[int], cards: dict[int, FilmBasePage], limit: int = ROW_LENGTH) -> list:
    return [cards[pk] for pk in ids if pk in cards][:limit]


def _popular_ids(excluded: set[int], limit: int) -> list[int]:
    """The films most popular in the latest week the recompute wrote, most popular first."""
    latest = FilmPopularity.objects.order_by("-week").values("week")[:1]
    rows = FilmPopularity.objects.filter(week=Subquery(latest), score__gt=0).exclude(film_id__in=excluded)
    return list(rows.order_by("-score", "film_id").values_list("film_id", flat=True)[:limit])


def rows_for(user, *, length: int = ROW_LENGTH, cards: bool = True) -> list[Row]:
    """The home page's rows for `user`, empty rows left out; for anonymous visitors only "Popular
    this week". At most ten queries (six for a visitor).

    With `cards=False` each row's `films` holds film ids instead of pages (and `resumes` says where
    "continue watching" stops, by id), for pages that take rendered cards from the shared card cache
    and load only the films missing there (`films_tags.film_cards`): six queries fewer."""
    viewer = _viewer(user)
    recommended = []
    genre_films = []
    if user.is_authenticated:
        recommended = [
            row
            for row in Recommendation.objects.filter(user=user)
            .order_by("rank")
            .values_list("film_id", "reason", "because_film_id", "because_genre_id")
            if row[0] not in viewer.excluded
        ]
        shown = viewer.excluded | {row[0] for row in recommended}
        # The member's genres: those they picked, and those their recommendations came from.
        genres = {row[3] for row in recommended if row[3]}
        picked = PickedGenre.objects.filter(user=user).values("genre_id")
        genre_films = _new_in_genres(picked, genres, shown, length)
    popular = _popular_ids(viewer.excluded, length)

    because_ids = [row[2] for row in recommended if row[1] == Reason.WATCHED]
    wanted = [film for film, _ in viewer.watching[:length]] + [row[0] for row in recommended] + genre_films + popular
    if cards:
        found = _cards(wanted + because_ids)
        sources = found
    else:
        found = _visible(wanted)
        sources = (
            {film.pk: film for film in FilmBasePage.objects.live().public().filter(pk__in=because_ids)}
            if because_ids
            else {}
        )
    rows = []
    continuing = []
    resumes = {}
    for film_id, resume in viewer.watching:
        film = found.get(film_id)
        if film is not None and len(continuing) < length:
            if not isinstance(film, int):
                film.resume = resume
            resumes[film_id] = resume
            continuing.append(film)
    rows.append(Row(Rows.CONTINUE_WATCHING, _("Continue watching"), continuing, resumes=resumes))

    in_because_rows = set()
    groups: dict[int, list[int]] = {}
    for film_id, reason, because, _genre in recommended:
        if reason == Reason.WATCHED and because in sources:
            groups.setdefault(because, []).append(film_id)
    for because, film_ids in groups.items():
        films = _in_order(film_ids, found, length)
        if len(films) >= BECAUSE_ROW_MIN and sum(row.key == Rows.BECAUSE_WATCHED for row in rows) < BECAUSE_ROWS:
            source = sources[because]
            title = agree(_("Because you watched %(title)s") % {"title": source.display_title}, [source.display_title])
            rows.append(Row(Rows.BECAUSE_WATCHED, title, films, reason_film=source))
            in_because_rows.update(film if isinstance(film, int) else film.pk for film in films)
    for_you = [row[0] for row in recommended if row[0] not in in_because_rows]
    rows.append(Row(Rows.FOR_YOU, _("Recommended for you"), _in_order(for_you, found, length)))
    rows.append(Row(Rows.NEW_IN_GENRES, _("New in your genres"), _in_order(genre_films, found, length)))
    rows.append(Row(Rows.POPULAR_THIS_WEEK, _("Popular this week"), _in_order(popular, found, length)))
    return [row for row in rows if row.films]


def _new_in_genres(picked, genres: set[int], shown: set[int], limit: int) -> list[int]:
    """The newest watchable films in the member's genres (picked, or those their recommendations
    came from) that no other row shows and they do not have: one query."""
    films = FilmBasePage.objects.live().finished().available().exclude(pk__in=shown)
    in_genres = films.filter(genres__in=Subquery(picked))
    if genres:
        in_genres = in_genres | films.filter(genres__in=genres)
    newest = in_genres.order_by("-first_published_at", "-pk").values_list("pk", flat=True).distinct()
    return list(newest[:limit])


def more_like_this(film: FilmBasePage, *, length: int = ROW_LENGTH) -> list:
    """Films the same members watched (the similar-films table), topped up with the newest films
    sharing a genre; the same for everyone, so the page stays cacheable. At most seven queries."""
    ids = list(SimilarFilm.objects.filter(film=film).order_by("rank").values_list("other_id", flat=True)[: length * 2])
    if len(ids) < length:
        same_genre = (
            FilmBasePage.objects.live()
            .filter(
                genres__in=Subquery(
                    FilmBasePage.genres.through.objects.filter(filmbasepage_id=film.pk).values("genre_id")
                )
            )
            .exclude(pk__in=[film.pk, *ids])
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)
            .distinct()
        )
        ids += list(same_genre[:length])
    return _in_order(ids, _cards(ids), length)


def other_films_by_director(film: FilmBasePage, *, length: int = ROW_LENGTH) -> list:
    """Other live films crediting one of `film`'s directors as director, newest first (five queries)."""
    directors = Credit.objects.filter(page_id=film.pk, role=CreditRole.DIRECTOR).values("person_id")
    films = (
        FilmBasePage.objects.live()
        .public()
        .filter(credits__role=CreditRole.DIRECTOR, credits__person__in=Subquery(directors))
        .exclude(pk=film.pk)
        .distinct()
        .order_by("-graduation_year", "-first_published_at", "-pk")
    )
    return list(films.for_cards()[:length])


def next_film(user, film: FilmBasePage) -> FilmBasePage | None:
    """What to offer when `film` ends: a similar film the member's recommendations also hold, else
    the most similar one, else their best recommendation, else this week's most popular; never one
    they have, finished or are watching. A watchable film page ready for a card, or None."""
    viewer = _viewer(user)
    skip = viewer.excluded | {film.pk}
    similar = list(SimilarFilm.objects.filter(film=film).order_by("rank").values_list("other_id", flat=True))
    mine = []
    if user.is_authenticated:
        mine = list(Recommendation.objects.filter(user=user).order_by("rank").values_list("film_id", flat=True))
    candidates = [pk for pk in similar if pk in set(mine)] + similar + mine
    candidates = [pk for pk in dict.fromkeys(candidates) if pk not in skip]
    if not candidates:
        candidates = _popular_ids(skip, ROW_LENGTH)
    cards = _cards(candidates[:ROW_LENGTH], watchable=True)
    return next((cards[pk] for pk in candidates if pk in cards), None)
