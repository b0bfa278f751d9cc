"""The scoring on hand-made data: no database."""

from recommendations import engine


def catalogue(films, genres=None, popularity=None):
    return engine.Catalogue(
        film_genres=genres or {film: (1,) for film in films},
        recommendable=frozenset(films),
        popularity=popularity or {},
    )


def test_films_watched_by_the_same_members_are_each_others_nearest():
    """Three members watched A and B, one A and C: B is A's first neighbour, C its second."""
    a, b, c, d = 1, 2, 3, 4
    log = [{a: 3.0, b: 3.0}] * 3 + [{a: 3.0, c: 3.0}, {c: 3.0, d: 3.0}, {c: 3.0, d: 3.0}]
    similar = engine.similar_films(log)
    assert [other for other, _ in similar[a]] == [b, c]
    assert similar[b][0][0] == a
    assert d not in dict(similar[a])


def test_a_member_who_watched_everything_counts_less_for_a_pair():
    """Film 1 was watched with 2 by a member of two films, and with 3 by a member of forty: 2 comes first."""
    focused = {1: 3.0, 2: 3.0}
    busy = {1: 3.0, 3: 3.0, **{film: 3.0 for film in range(10, 48)}}
    (first, first_score), (_, second_score) = engine.similar_films([focused, busy])[1][:2]
    assert first == 2 and first_score > 2 * second_score


def test_the_signal_weight_is_the_strongest_signal_plus_a_little_for_each_other():
    """Bought and finished weighs more than finished alone; no signal weighs nothing."""
    assert engine.signal_weight([engine.COMPLETED]) == engine.COMPLETED
    assert engine.signal_weight([engine.PURCHASED, engine.COMPLETED]) == engine.COMPLETED + engine.EXTRA_SIGNAL
    assert engine.signal_weight([]) == 0


def test_recommendations_follow_what_the_member_watched_and_say_so():
    """Watching A recommends B (watched with A by others), because of A."""
    similar = engine.similar_films([{1: 3.0, 2: 3.0}] * 3 + [{3: 3.0, 4: 3.0}])
    member = engine.Member(history={1: 3.0})
    first = engine.recommend(member, catalogue([1, 2, 3, 4]), similar)[0]
    assert (first.film, first.reason, first.because_film) == (2, "watched", 1)


def test_owned_finished_and_watched_films_are_never_recommended():
    """What the member has, owns or finished is left out, however similar or popular."""
    films = list(range(1, 8))
    similar = engine.similar_films([{1: 3.0, 2: 3.0, 3: 3.0, 4: 3.0}] * 3)
    member = engine.Member(history={1: 3.0}, excluded=frozenset({2, 3}))
    shown = {scored.film for scored in engine.recommend(member, catalogue(films, popularity={2: 50, 3: 40}), similar)}
    assert shown.isdisjoint({1, 2, 3}) and 4 in shown


def test_only_recommendable_films_are_recommended():
    """A funding project (backed, so in the log) or a film not ready is never a recommendation."""
    similar = engine.similar_films([{1: 3.0, 2: 3.0, 3: 2.0}] * 3)
    films = catalogue([1, 2])
    shown = {scored.film for scored in engine.recommend(engine.Member(history={1: 3.0}), films, similar)}
    assert shown == {2}


def test_a_cold_start_gets_the_picked_genres_first_the_popular_ones_first():
    """No history, genres 1 and 2 picked: their films first, by popularity; the rest after."""
    genres = {1: (1,), 2: (2,), 3: (1, 3), 4: (3,), 5: (4,)}
    films = catalogue(genres, genres, popularity={1: 5, 2: 9, 3: 1, 4: 100, 5: 50})
    member = engine.Member(history={}, picked_genres=frozenset({1, 2}))
    shown = engine.recommend(member, films, {})
    assert [scored.film for scored in shown] == [2, 1, 3, 4, 5]
    assert [scored.reason for scored in shown] == ["genre", "genre", "genre", "popular", "popular"]
    assert shown[0].because_genre == 2


def test_the_popularity_baseline_skips_what_the_member_had():
    """The baseline is the most popular films, less the member's own."""
    films = catalogue([1, 2, 3], popularity={1: 9, 2: 5, 3: 1})
    assert engine.most_popular(films, engine.Member(history={1: 3.0}), 2) == [2, 3]
