"""How good the recommendations are: leave-last-out hit rate and NDCG at 10 next to a popularity
baseline, and the cold-start rule. Plain Python over in-memory data, through the same scoring code
as the site (`engine`); nothing is written anywhere.

`synthetic_log` makes a seeded viewing log with planted tastes: each member likes three genres and
mostly watches films of those (the popular ones more often), some of them picked those genres at
sign-up. `manage.py evaluate_recommendations` prints the figures for it and, when there is enough,
for the site's own data (`activity.read_viewing_log`).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass

from . import engine
from .engine import ViewingLog

TOP = 10
AIM_LIFT = 1.5  # hit rate at 10 over the popularity baseline's
COLD_START_GENRES = 3
COLD_START_AIM = 8  # of the first 10, in the picked genres


@dataclass(frozen=True)
class Planted:
    """What a synthetic log was drawn from: each member's liked genres and each film's appeal."""

    liked: dict[int, frozenset[int]]
    appeal: dict[int, float]
    in_genre: float


@dataclass(frozen=True)
class Figures:
    members: int  # members evaluated (three films or more)
    hit_rate: float
    ndcg: float
    baseline_hit_rate: float
    baseline_ndcg: float

    @property
    def lift(self) -> float:
        """Hit rate over the baseline's (infinite when the baseline never hits and we do)."""
        if self.baseline_hit_rate:
            return self.hit_rate / self.baseline_hit_rate
        return math.inf if self.hit_rate else 0.0


@dataclass(frozen=True)
class ColdStart:
    genres: tuple[int, ...]
    shown: int
    in_genres: int

    @property
    def passed(self) -> bool:
        return self.in_genres >= COLD_START_AIM


# --- a synthetic log ------------------------------------------------------------------------------


SIGNALS = (  # what a member did with a film, and how often
    (engine.COMPLETED, 0.45),
    (engine.WATCHED_HALF, 0.30),
    (engine.signal_weight([engine.PURCHASED, engine.COMPLETED]), 0.15),
    (engine.DONATED, 0.10),
)


def synthetic_log(
    *,
    members: int = 2000,
    films: int = 300,
    genres: int = 12,
    seed: int = 2024,
    mean_films: float = 12,
    in_genre: float = 0.85,
    skew: float = 0.6,
    picked_share: float = 0.5,
) -> ViewingLog:
    """A reproducible log: films' appeal follows a Zipf curve (exponent `skew`); each member likes
    three genres, takes a film from them with probability `in_genre` (else any film), the more
    appealing more often; a `picked_share` of members picked their three genres."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible synthetic log, nothing secret
    genre_ids = list(range(1, genres + 1))
    film_ids = list(range(1, films + 1))
    film_genres = {film: tuple(sorted(rng.sample(genre_ids, rng.choice((1, 1, 2))))) for film in film_ids}
    appeal_order = film_ids[:]
    rng.shuffle(appeal_order)
    appeal = {film: 1 / (rank**skew) for rank, film in enumerate(appeal_order, start=1)}

    def sampler(pool):
        cumulative = list(itertools.accumulate(appeal[film] for film in pool))
        return pool, cumulative

    everything = sampler(film_ids)
    by_taste = {}
    signal_values = [value for value, _ in SIGNALS]
    signal_cumulative = list(itertools.accumulate(share for _, share in SIGNALS))

    histories, picked, planted = {}, {}, {}
    for member in range(1, members + 1):
        liked = planted[member] = frozenset(rng.sample(genre_ids, 3))
        if liked not in by_taste:
            by_taste[liked] = sampler([film for film in film_ids if liked & set(film_genres[film])])
        count = min(films // 2, 3 + int(rng.expovariate(1 / max(1.0, mean_films - 3))))
        history: dict[int, float] = {}
        while len(history) < count:
            pool, cumulative = by_taste[liked] if rng.random() < in_genre else everything
            film = pool[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
            if film not in history:
                choice = bisect.bisect_left(signal_cumulative, rng.random() * signal_cumulative[-1])
                history[film] = signal_values[min(choice, len(signal_values) - 1)]
        histories[member] = history
        if rng.random() < picked_share:
            picked[member] = liked
    truth = Planted(planted, appeal, in_genre)
    return ViewingLog(histories, picked, film_genres, frozenset(film_ids), planted=truth)


# --- measures -------------------------------------------------------------------------------------


def _gain(ranked: list[int], held_out: int) -> tuple[int, float]:
    """(hit, NDCG) of one ranked list against the one film held out."""
    if held_out in ranked:
        return 1, 1 / math.log2(ranked.index(held_out) + 2)
    return 0, 0.0


def leave_last_out(log: ViewingLog, top: int = TOP) -> Figures:
    """Hide each member's last recommendable film (members with three films or more), recommend from
    the rest, and see whether the hidden film is in the first `top`: ours and the popularity baseline's."""
    train, held_out = {}, {}
    for member, history in log.histories.items():
        films = list(history)
        last = next((film for film in reversed(films) if film in log.recommendable), None)
        if len(films) >= 3 and last is not None:
            train[member] = {film: weight for film, weight in history.items() if film != last}
            held_out[member] = last
        else:
            train[member] = dict(history)
    catalogue = engine.Catalogue(log.film_genres, log.recommendable, engine.members_per_film(train.values()))
    similar = engine.similar_films(train.values())
    hits = gains = base_hits = base_gains = 0.0
    for member, last in held_out.items():
        excluded = log.excluded.get(member, frozenset()) - {last}
        who = engine.Member(train[member], log.picked.get(member, frozenset()), excluded)
        ranked = [scored.film for scored in engine.recommend(who, catalogue, similar, limit=top)]
        hit, gain = _gain(ranked, last)
        hits, gains = hits + hit, gains + gain
        hit, gain = _gain(engine.most_popular(catalogue, who, top), last)
        base_hits, base_gains = base_hits + hit, base_gains + gain
    count = len(held_out) or 1
    return Figures(len(held_out), hits / count, gains / count, base_hits / count, base_gains / count)


def ceiling(log: ViewingLog, top: int = TOP) -> float:
    """The hit rate at `top` of an oracle that knows how a synthetic log was drawn (each member's
    liked genres and the films' appeal): what no recommender can beat on that log, for scale."""
    truth = log.planted
    films = sorted(log.film_genres)
    total = sum(truth.appeal.values())
    hits = count = 0
    for member, history in log.histories.items():
        if len(history) < 3:
            continue
        *earlier, last = history
        liked = truth.liked[member]
        in_liked = [film for film in films if liked & set(log.film_genres[film])]
        liked_total = sum(truth.appeal[film] for film in in_liked)
        liked_set, seen = set(in_liked), set(earlier)
        chance = {
            film: truth.appeal[film]
            * ((truth.in_genre / liked_total if film in liked_set else 0.0) + (1 - truth.in_genre) / total)
            for film in films
            if film not in seen
        }
        ranked = heapq.nlargest(top, chance, key=chance.get)
        hits, count = hits + (last in ranked), count + 1
    return hits / (count or 1)


def cold_start(log: ViewingLog, genres: tuple[int, ...], top: int = TOP) -> ColdStart:
    """What a new member who picked `genres` (and watched nothing) is recommended: how many in them."""
    catalogue = engine.Catalogue(log.film_genres, log.recommendable, engine.members_per_film(log.histories.values()))
    similar = engine.similar_films(log.histories.values())
    newcomer = engine.Member(history={}, picked_genres=frozenset(genres))
    shown = engine.recommend(newcomer, catalogue, similar, limit=top)
    in_genres = sum(1 for scored in shown if set(log.film_genres.get(scored.film, ())) & set(genres))
    return ColdStart(tuple(genres), len(shown), in_genres)


def least_watched_genres(log: ViewingLog, count: int = COLD_START_GENRES) -> tuple[int, ...]:
    """The `count` genres with the fewest films watched: the hardest cold start (popular films elsewhere)."""
    watched = Counter()
    for history in log.histories.values():
        for film in history:
            watched.update(log.film_genres.get(film, ()))
    every = {genre for genres in log.film_genres.values() for genre in genres}
    return tuple(sorted(sorted(every, key=lambda genre: (watched[genre], genre))[:count]))
