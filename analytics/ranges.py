"""What a play watched, as ranges of seconds: merging reports, watch time, completion, retention.

Plain functions over lists of `(start, end)` pairs of floats (no database, no requests), so each
rule can be tested on its own:

    clean(pairs, duration)      the pairs a player sent, made safe: numbers only, clipped to
                                [0, duration], empty and backwards ones dropped, at most
                                MAX_RANGES_PER_REPORT of them
    merge(ranges)               sorted, overlapping and touching ranges joined: what was watched,
                                each second once, however often it was replayed or reported
    watched_seconds(ranges)     the length of the merged ranges
    completed(ranges, duration, credits_at)
                                reached within COMPLETION_SECONDS of the end, or the credits
    retention_points(ranges, duration)
                                RETENTION_POINTS booleans: was point i (at (i + 0.5) / N of the
                                film) watched; a film's curve is the share of plays per point

Ranges are half-open, [start, end): a play that watched 0–30 s watched the point at 29.9 s and not
the one at 30 s. Reports may overlap (a report repeats its last seconds when a beacon raced a
fetch), arrive twice (a retried request) or out of order (a slow request): merging makes them
all count once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Range = tuple[float, float]

MAX_RANGES_PER_REPORT = 50  # a report covers ~10 s; 50 ranges is a viewer seeking every 0.2 s
COMPLETION_SECONDS = 2.0
RETENTION_POINTS = 100
MERGE_GAP = 0.25  # seconds: ranges closer than this are one (timeupdate fires ~4 times a second)


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def clean(pairs, duration: float) -> list[Range]:
    """The ranges of a report, each clipped to [0, `duration`]; anything malformed is dropped
    (a report is evidence, not a command: a bad range loses that range, not the report)."""
    if not isinstance(pairs, list | tuple) or duration <= 0:
        return []
    ranges = []
    for pair in pairs[:MAX_RANGES_PER_REPORT]:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        start, end = (_number(value) for value in pair)
        if start is None or end is None:
            continue
        start, end = max(0.0, start), min(duration, end)
        if end > start:
            ranges.append((start, end))
    return ranges


def merge(ranges: Iterable[Sequence[float]]) -> list[Range]:
    """Sorted, disjoint ranges covering the same seconds; ranges closer than MERGE_GAP are joined."""
    merged: list[list[float]] = []
    for start, end in sorted((float(start), float(end)) for start, end in ranges if end > start):
        if merged and start <= merged[-1][1] + MERGE_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def watched_seconds(ranges: Iterable[Sequence[float]]) -> float:
    """Seconds watched, each once."""
    return sum(end - start for start, end in merge(ranges))


def completed(ranges: Sequence[Sequence[float]], duration: float, credits_at: float | None = None) -> bool:
    """Whether the play reached the end: a range ending within COMPLETION_SECONDS of it, or
    reaching the credits (`credits_at`, seconds, when the film has them marked)."""
    if duration <= 0:
        return False
    finish = duration - COMPLETION_SECONDS
    if credits_at is not None and 0 < credits_at < finish:
        finish = credits_at
    return any(end >= finish for _start, end in ranges)


def retention_points(ranges: Sequence[Sequence[float]], duration: float) -> list[bool]:
    """For each of RETENTION_POINTS points across the film (the middle of each hundredth), whether
    this play watched it."""
    points = [False] * RETENTION_POINTS
    if duration <= 0:
        return points
    for start, end in merge(ranges):
        # Points i with start <= (i + 0.5) * step < end.
        step = duration / RETENTION_POINTS
        first = max(0, math.ceil(start / step - 0.5))
        last = min(RETENTION_POINTS - 1, math.ceil(end / step - 0.5) - 1)
        for i in range(first, last + 1):
            points[i] = True
    return points


def retention_at(points: Sequence[float], duration: float, second: float) -> float:
    """The value of a retention curve (one value per point) at `second` of the film."""
    if duration <= 0 or not points:
        return 0.0
    index = min(len(points) - 1, max(0, int(second / duration * len(points))))
    return points[index]
