"""The range arithmetic of playback analytics, on its own."""

import pytest

from analytics import ranges


def test_the_scripted_session_watch_time_and_retention():
    """120 s film: 0–30 s, a seek to 60 s, 60–90 s: 60 s watched; retained at 20 s and 75 s, not 45 s."""
    reports = [[(0, 10)], [(10, 20)], [(20, 30)], [(60, 70)], [(70, 80), (80, 90)]]
    merged = ranges.merge(pair for report in reports for pair in report)
    assert merged == [(0.0, 30.0), (60.0, 90.0)]
    assert ranges.watched_seconds(merged) == 60
    points = [1.0 if watched else 0.0 for watched in ranges.retention_points(merged, 120)]
    assert ranges.retention_at(points, 120, 20) == 1.0
    assert ranges.retention_at(points, 120, 45) == 0.0
    assert ranges.retention_at(points, 120, 75) == 1.0
    assert sum(points) == 50  # half the film
    assert not ranges.completed(merged, 120)


def test_replays_duplicates_and_late_reports_count_once():
    once = ranges.merge([(0, 10), (5, 15), (0, 10), (14.9, 20)])
    assert once == [(0.0, 20.0)]
    assert ranges.merge([(30, 40), (0, 10)]) == [(0.0, 10.0), (30.0, 40.0)]
    assert ranges.merge([(0, 10), (10.1, 20)]) == [(0.0, 20.0)]  # timeupdate's gaps are not seeks
    assert ranges.merge([(0, 10), (11, 20)]) == [(0.0, 10.0), (11.0, 20.0)]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([[0, 10], [20, 500]], [(0.0, 10.0), (20.0, 120.0)]),  # clipped to the film
        ([[-5, 3]], [(0.0, 3.0)]),
        ([[10, 5], [3, 3]], []),  # backwards, empty
        ([["a", 5], [1], None, [True, 4], [float("nan"), 2], [1, float("inf")]], []),  # not numbers
        ("0-10", []),
        ([[0, 1]] * 80, [(0.0, 1.0)] * ranges.MAX_RANGES_PER_REPORT),
    ],
)
def test_clean_keeps_only_sensible_ranges(pairs, expected):
    assert ranges.clean(pairs, 120) == expected


def test_completion_is_the_last_two_seconds_or_the_credits():
    assert ranges.completed([(100, 118.1)], 120)
    assert not ranges.completed([(100, 117.9)], 120)
    assert ranges.completed([(100, 110)], 120, credits_at=108)
    assert not ranges.completed([(100, 110)], 120, credits_at=115)
    assert not ranges.completed([(0, 1)], 0)


def test_retention_points_are_half_open_at_the_middle_of_each_hundredth():
    points = ranges.retention_points([(0, 30)], 120)  # points at 0.6, 1.8, …, 29.4, 30.6 s
    assert points[:25] == [True] * 25 and not any(points[25:])
    assert all(ranges.retention_points([(0, 120)], 120))
    assert not any(ranges.retention_points([], 120)) and not any(ranges.retention_points([(0, 5)], 0))
