"""The arithmetic of a film's day, on its own (no database): the rules of `analytics.rollup`, and
that folding sessions one at a time gives what summing the whole list gives."""

import pytest

from analytics import ranges
from analytics.rollup import SESSION_COLUMNS, RunningSum, film_day_figures, film_days


def session(watched=(0.0, 60.0), *, duration=120.0, viewer="u1", source="home", device="desktop", trailer=False):
    """One session as the rollup reads it, having watched the range `watched`."""
    merged = ranges.merge([watched])
    return {
        "ranges": [list(pair) for pair in merged],
        "duration": duration,
        "watched_seconds": ranges.watched_seconds(merged),
        "completed": ranges.completed(merged, duration),
        "viewer": viewer,
        "source": source,
        "device": device,
        "is_trailer": trailer,
    }


def row(film, values: dict) -> tuple:
    """`values` as a row of SESSION_COLUMNS, for `film`."""
    return (film, *(values[column] for column in SESSION_COLUMNS[1:]))


def test_a_day_without_plays_is_zeros_and_no_curve():
    assert film_day_figures([]) == {
        "plays": 0,
        "viewers": 0,
        "watch_seconds": 0,
        "average_share": 0.0,
        "completions": 0,
        "retention": [],
        "sources": {},
        "devices": {},
        "trailer_plays": 0,
    }


def test_a_play_is_a_second_or_more_of_the_main_video_and_trailer_plays_count_apart():
    figures = film_day_figures(
        [
            session((0, 30)),
            session((0, 0.9), viewer="u2"),  # under a second: nothing, not even a viewer
            session((0, 1.0), viewer="u3"),  # exactly a second: a play
            session((0, 20), viewer="u4", trailer=True),
            session((0, 0.5), viewer="u5", trailer=True),
        ]
    )
    assert (figures["plays"], figures["viewers"], figures["trailer_plays"]) == (2, 2, 1)
    assert figures["watch_seconds"] == 31.0


def test_viewers_are_distinct_and_two_plays_of_one_viewer_are_two_plays():
    figures = film_day_figures([session(viewer="u1"), session(viewer="u1"), session(viewer="a" + "0" * 40)])
    assert (figures["plays"], figures["viewers"]) == (3, 2)


def test_shares_are_capped_at_the_whole_film_and_plays_without_a_length_add_nothing():
    """(1 + 0.5 + 0) / 3 plays: a play longer than the film's length counts as all of it."""
    figures = film_day_figures([session((0, 200)), session((0, 60)), session((0, 60), duration=0)])
    assert figures["average_share"] == 0.5
    assert figures["watch_seconds"] == 320.0  # what they watched, whatever the length


def test_completions_retention_sources_and_devices():
    figures = film_day_figures(
        [
            session((0, 120), source="search", device="phone"),
            session((0, 60), source="home"),
            session((60, 120), source="search", device="tv"),
            session((0, 30), source="home", trailer=True),  # a trailer play is in none of them
        ]
    )
    assert figures["completions"] == 2
    assert len(figures["retention"]) == ranges.RETENTION_POINTS
    assert ranges.retention_at(figures["retention"], 120, 30) == round(2 / 3, 4)
    assert ranges.retention_at(figures["retention"], 120, 90) == round(2 / 3, 4)
    assert figures["sources"] == {"search": 2, "home": 1} and list(figures["sources"]) == ["search", "home"]
    assert figures["devices"] == {"phone": 1, "desktop": 1, "tv": 1}


def test_watch_seconds_are_rounded_to_the_millisecond_and_shares_to_four_places():
    figures = film_day_figures([session((0, 10.00049)), session((0, 1 / 3), duration=1.0)])
    assert figures["watch_seconds"] == 10.0 and figures["plays"] == 1  # 1/3 s is no play
    assert film_day_figures([session((0, 40))])["average_share"] == 0.3333


def test_folding_sums_as_the_builtin_sum_does_not_as_a_running_total():
    """sum() carries each addition's rounding error apart; `total += x` loses the 1.0 here."""
    values = [1e16, 1.0, -1e16]
    running = RunningSum()
    for value in values:
        running.add(value)
    assert running.total() == sum(values) == 1.0
    naive = 0.0
    for value in values:
        naive += value
    assert naive == 0.0
    assert RunningSum().total() == 0 and isinstance(RunningSum().total(), int)  # as sum([])


def test_folding_gives_the_figures_of_summing_the_whole_list():
    """Watch seconds and shares as sum() of all the plays gives them, to the last place kept."""
    sessions = [
        session((0.137 * k, 0.137 * k + 7.7 + 3.1379 * k), duration=5400.0, viewer=f"u{k % 7}") for k in range(400)
    ]
    figures = film_day_figures(sessions)
    assert figures["watch_seconds"] == round(sum(s["watched_seconds"] for s in sessions), 3)
    shares = sum(min(1.0, s["watched_seconds"] / s["duration"]) for s in sessions)
    assert figures["average_share"] == round(shares / len(sessions), 4)
    assert (figures["plays"], figures["viewers"]) == (400, 7)


def test_each_films_figures_come_out_as_soon_as_its_rows_end():
    read = []

    def rows():
        for film, watched in ((3, (0, 10)), (3, (0, 20)), (8, (0, 40))):
            read.append(film)
            yield row(film, session(watched))

    days = film_days(rows())
    film, figures = next(days)
    assert (film, figures["plays"], figures["watch_seconds"]) == (3, 2, 30.0)
    assert read == [3, 3, 8]  # film 8's first row ended film 3; nothing more was read
    assert [(film, figures["plays"]) for film, figures in days] == [(8, 1)]


def test_rows_not_ordered_by_film_are_refused():
    """A film split in two runs of rows would be counted as two days: refused instead."""
    rows = [row(3, session()), row(8, session()), row(3, session())]
    with pytest.raises(ValueError, match="ordered by film"):
        list(film_days(rows))
