"""The recommender itself, in plain Python over plain data: no Django, no database.

The recompute task (`recompute.py`) feeds it what members did on the site, the evaluation
(`evaluation.py`) a synthetic viewing log; both run exactly this code.

- **Signals → weights.** Each member's films carry a weight: the strongest signal (finished 3,
  watched at least half 2, bought 2, backed its funding project 2), plus a little for each other
  kind of signal on the same film.
- **Similar films** (`similar_films`): item-to-item co-occurrence. Two films are similar when the
  same members watched, bought or backed both: an asymmetric cosine of their member vectors
  (`ALPHA`), with dampers against popularity. Dividing by the neighbour's norm (to the power
  2(1 − α)) keeps a film everyone watched from becoming everyone's neighbour; each member's
  contribution is divided by log₂(2 + films they have), so a member who watched the whole
  catalogue says little about any one pair; a shrink term in the denominator keeps rarely watched
  films from being "similar" on the strength of one or two members.
- **A member's recommendations** (`recommend`): for each candidate, `W_ITEM` × the sum over the
  member's films of weight × similarity (normalised so the best candidate has 1), plus `W_GENRE`
  × the member's affinity for its genres (picked genres fully, genres of what they watched by
  their share), plus `W_POPULAR` × its popularity (log-scaled, 0–1). A member with no history is a
  cold start: the genre term puts films of the picked genres first, popularity orders them.
  Films the member has, owns or finished are never candidates.

The weights were chosen on the synthetic logs of `evaluation.py` (`manage.py
evaluate_recommendations`): there, with tastes planted as genres only, leaning on genres and
popularity beats leaning on co-occurrence, which earns its place on real catalogues (films by the
same director, a year's cohort) and in the "because you watched" rows.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Weights of the signals: how much each says about a member's taste.
COMPLETED = 3.0
WATCHED_HALF = 2.0
PURCHASED = 2.0
DONATED = 2.0
EXTRA_SIGNAL = 0.5  # for each further kind of signal on the same film (bought and finished, ...)

NEIGHBOURS = 30  # similar films kept for each film
SHRINK = 10.0  # in the cosine's denominator, ≈ a few members' contributions: rare pairs score low
ALPHA = 0.7  # 0.5: plain cosine; towards 1, popular neighbours are damped less
HISTORY_LIMIT = 50  # a member's most recent films used, for similarity and for scoring
RECOMMENDATIONS_PER_MEMBER = 36  # kept per member: enough for two "because" rows and a genre row

# What a candidate's score is made of (see the module's docstring).
W_ITEM = 0.3
W_GENRE = 0.6
W_POPULAR = 0.2
PICKED_GENRE = 1.0  # affinity for a genre the member picked
INFERRED_GENRE = 0.8  # affinity for a genre of at least GENRE_SHARE of their films; less, in proportion
GENRE_SHARE = 0.15
# "Because you watched X" when the film's co-occurrence score is at least this share of the member's
# best (and X gave the most of it); otherwise the reason is its genre, else its popularity.
ITEM_REASON = 0.5
TOP_GENRES = 5  # genres a member's genre candidates come from
CANDIDATES_FROM_FILMS = 3  # × the limit: the most co-watched films scored


def signal_weight(kinds: Iterable[float]) -> float:
    """A film's weight for a member from the weights of the signals they gave it."""
    kinds = list(kinds)
    if not kinds:
        return 0.0
    return max(kinds) + EXTRA_SIGNAL * (len(kinds) - 1)


@dataclass(frozen=True)
class Scored:
    film: int
    score: float
    reason: str  # "watched", "genre" or "popular" (models.Reason)
    because_film: int | None = None
    because_genre: int | None = None


@dataclass
class Catalogue:
    """What the scoring knows about films.

    `recommendable`: the films that may be recommended (live, public, finished and ready to watch);
    `popularity`: any non-negative figure, bigger is more popular.
    """

    film_genres: Mapping[int, tuple[int, ...]]
    recommendable: frozenset[int]
    popularity: Mapping[int, float]

    def __post_init__(self):
        top = max(self.popularity.values(), default=0.0)
        scale = math.log1p(top) if top > 0 else 1.0
        self.popular_share = {film: math.log1p(max(0.0, value)) / scale for film, value in self.popularity.items()}
        share = self.popular_share
        self.by_popularity = sorted(self.recommendable, key=lambda film: (-share.get(film, 0.0), film))
        by_genre = defaultdict(list)  # each genre's films, the most popular first
        for film in self.by_popularity:
            for genre in self.film_genres.get(film, ()):
                by_genre[genre].append(film)
        self.by_genre = dict(by_genre)


@dataclass
class Member:
    """One member as the scoring sees them. `history` maps films to weights, oldest first."""

    history: Mapping[int, float]
    picked_genres: frozenset[int] = frozenset()
    excluded: frozenset[int] = frozenset()  # owned, finished or being watched: never recommended


@dataclass
class ViewingLog:
    """Everything the scoring reads, for a whole site (or a synthetic one): members' films (film →
    weight, oldest first), picked genres and films they must not be offered, and the films."""

    histories: dict[int, dict[int, float]]
    picked: dict[int, frozenset[int]]
    film_genres: dict[int, tuple[int, ...]]
    recommendable: frozenset[int]
    excluded: dict[int, frozenset[int]] = field(default_factory=dict)
    planted: object = None  # a synthetic log's truth (evaluation.Planted)

    @property
    def interactions(self) -> int:
        return sum(len(history) for history in self.histories.values())

    def member(self, member: int, history: Mapping[int, float] | None = None) -> Member:
        return Member(
            self.histories.get(member, {}) if history is None else history,
            self.picked.get(member, frozenset()),
            self.excluded.get(member, frozenset()),
        )


def members_per_film(histories: Iterable[Mapping[int, float]]) -> dict[int, float]:
    """How many members watched, bought or backed each film: the all-time popularity."""
    counts = Counter()
    for history in histories:
        counts.update(history.keys())
    return dict(counts)


def recent(history: Mapping[int, float]) -> list[tuple[int, float]]:
    items = list(history.items())
    return items[-HISTORY_LIMIT:]


def similar_films(
    histories: Iterable[Mapping[int, float]], *, neighbours: int = NEIGHBOURS, shrink: float = SHRINK
) -> dict[int, list[tuple[int, float]]]:
    """Each film's nearest films by co-occurrence in members' histories: {film: [(other, score), …]},
    best first, at most `neighbours` each."""
    together: dict[int, dict[int, float]] = defaultdict(dict)  # film → bigger film id → Σ damped w·w
    norm: dict[int, float] = defaultdict(float)
    for history in histories:
        items = sorted(recent(history))
        count = len(items)
        if not count:
            continue
        damp = 1.0 / math.log2(2 + count)
        for film, weight in items:
            norm[film] += weight * weight * damp
        for a in range(count - 1):
            film_a, weight_a = items[a]
            weight_a *= damp
            row = together[film_a]
            get = row.get
            for film_b, weight_b in items[a + 1 :]:
                row[film_b] = get(film_b, 0.0) + weight_a * weight_b
    # Asymmetric cosine: film a's neighbour b scores co / (|a|^(2α) · |b|^(2(1−α))); ALPHA ½ is the
    # plain cosine, and the smaller 1 − α, the less a popular neighbour is held back.
    source_length = {film: value**ALPHA for film, value in norm.items()}
    target_length = {film: value ** (1 - ALPHA) for film, value in norm.items()}
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)  # min-heaps of (score, other)

    def keep(heap, score, other):
        if len(heap) < neighbours:
            heapq.heappush(heap, (score, other))
        elif (score, other) > heap[0]:
            heapq.heapreplace(heap, (score, other))

    for film_a in list(together):
        row = together.pop(film_a)  # freed as we go: the pairs are the biggest structure here
        source_a, target_a, heap_a = source_length[film_a], target_length[film_a], best[film_a]
        for film_b, value in row.items():
            keep(heap_a, value / (source_a * target_length[film_b] + shrink), film_b)
            keep(best[film_b], value / (source_length[film_b] * target_a + shrink), film_a)
    return {film: [(other, score) for score, other in sorted(heap, reverse=True)] for film, heap in best.items()}


def genre_affinity(member: Member, catalogue: Catalogue) -> dict[int, float]:
    """How much the member likes each genre, 0–1: picked genres fully; a genre of at least
    `GENRE_SHARE` of the weight of what they watched `INFERRED_GENRE`, a rarer one in proportion
    (a two-genre film counts half for each)."""
    totals: dict[int, float] = defaultdict(float)
    everything = 0.0
    for film, weight in recent(member.history):
        everything += weight
        genres = catalogue.film_genres.get(film, ())
        for genre in genres:
            totals[genre] += weight / len(genres)
    affinity = {}
    if everything:
        for genre, value in totals.items():
            affinity[genre] = INFERRED_GENRE * min(1.0, value / everything / GENRE_SHARE)
    for genre in member.picked_genres:
        affinity[genre] = PICKED_GENRE
    return affinity


def recommend(
    member: Member,
    catalogue: Catalogue,
    similar: Mapping[int, list[tuple[int, float]]],
    limit: int = RECOMMENDATIONS_PER_MEMBER,
) -> list[Scored]:
    """The member's best `limit` films, best first, each with why."""
    from_films: dict[int, float] = {}
    best: dict[int, float] = {}  # candidate → its biggest single contribution
    source: dict[int, int] = {}  # candidate → the member's film that gave it
    for film, weight in recent(member.history):
        for other, similarity in similar.get(film, ()):
            contribution = weight * similarity
            total = from_films.get(other)
            if total is None:
                from_films[other] = best[other] = contribution
                source[other] = film
            else:
                from_films[other] = total + contribution
                if contribution > best[other]:
                    best[other] = contribution
                    source[other] = film
    top_item = max(from_films.values(), default=0.0)
    affinity = genre_affinity(member, catalogue)
    skip = member.excluded | member.history.keys()
    # Candidates: the films most co-watched with theirs, and the first unseen films of their best
    # genres and of the whole catalogue (each list is best first, so nothing further down can win).
    candidates = set(heapq.nlargest(CANDIDATES_FROM_FILMS * limit, from_films, key=from_films.get))
    for genre in heapq.nlargest(TOP_GENRES, affinity, key=lambda g: (affinity[g], -g)):
        candidates.update(_first_unseen(catalogue.by_genre.get(genre, ()), skip, limit))
    candidates.update(_first_unseen(catalogue.by_popularity, skip, limit))

    film_genres, popular_share, recommendable = catalogue.film_genres, catalogue.popular_share, catalogue.recommendable
    scored = []
    for film in candidates:
        if film in skip or film not in recommendable:
            continue
        item = from_films.get(film, 0.0) / top_item if top_item else 0.0
        genre_score, genre = 0.0, 0
        for candidate_genre in film_genres.get(film, ()):
            value = affinity.get(candidate_genre, 0.0)
            if value > genre_score or (value == genre_score and value and candidate_genre < genre):
                genre_score, genre = value, candidate_genre
        score = W_ITEM * item + W_GENRE * genre_score + W_POPULAR * popular_share.get(film, 0.0)
        scored.append((score, -film, item, genre_score, genre))
    results = []
    for score, negative_film, item, genre_score, genre in heapq.nlargest(limit, scored):
        film = -negative_film
        if item >= ITEM_REASON:
            results.append(Scored(film, score, "watched", because_film=source[film]))
        elif genre_score:
            results.append(Scored(film, score, "genre", because_genre=genre))
        else:
            results.append(Scored(film, score, "popular"))
    return results


def _first_unseen(films: list[int], skip, count: int) -> list[int]:
    found = []
    for film in films:
        if film not in skip:
            found.append(film)
            if len(found) == count:
                break
    return found


def most_popular(catalogue: Catalogue, member: Member, limit: int) -> list[int]:
    """The popularity baseline: the most popular films the member has not had, whoever they are."""
    skip = member.excluded | member.history.keys()
    found = []
    for film in catalogue.by_popularity:
        if film not in skip:
            found.append(film)
            if len(found) == limit:
                break
    return found
