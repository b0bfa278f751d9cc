"""Faces for the privacy mosaic: tracks across frames, and pixelating them (pure: no I/O).

The detector (`videos.mosaic`) gives the faces it found in frames sampled every few frames. Here
they are joined into tracks, one per person on screen: a face belongs to the track whose last
box it overlaps most (or, moving fast, whose last centre is nearest, within two face widths), and
a track that has not been seen for `MAX_GAP_SECONDS` ends. Between two samples a track's box is
interpolated; around its first and last sample it is held for half a sample step, so a face is
covered from the frame it appears in to the frame it leaves. Boxes are widened by `MARGIN` (hair,
ears, a turn of the head) before they are pixelated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

MAX_GAP_SECONDS = 1.0
MIN_OVERLAP = 0.2
# Without overlap, a face continues a track whose last centre is within this many face widths.
REACH = 2.0
MARGIN = 0.4
# A pixelated face is at most this many blocks across, however large it is.
BLOCKS_ACROSS = 6


@dataclass(frozen=True)
class Box:
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2

    def overlap(self, other: Box) -> float:
        """Intersection over union."""
        w = max(0.0, min(self.x2, other.x2) - max(self.x1, other.x1))
        h = max(0.0, min(self.y2, other.y2) - max(self.y1, other.y1))
        inter = w * h
        union = (self.x2 - self.x1) * (self.y2 - self.y1) + (other.x2 - other.x1) * (other.y2 - other.y1) - inter
        return inter / union if union > 0 else 0.0

    def scaled(self, factor_x: float, factor_y: float) -> Box:
        return Box(self.x1 * factor_x, self.y1 * factor_y, self.x2 * factor_x, self.y2 * factor_y)

    def widened(self, margin: float = MARGIN) -> Box:
        dx, dy = (self.x2 - self.x1) * margin, (self.y2 - self.y1) * margin
        return Box(self.x1 - dx, self.y1 - dy, self.x2 + dx, self.y2 + dy)


def _mix(a: Box, b: Box, share: float) -> Box:
    return Box(*(p + (q - p) * share for p, q in zip((a.x1, a.y1, a.x2, a.y2), (b.x1, b.y1, b.x2, b.y2), strict=True)))


@dataclass
class Track:
    """One person's face over time: (time, box, score) samples in time order."""

    number: int
    samples: list[tuple[float, Box, float]] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.samples[0][0]

    @property
    def end(self) -> float:
        return self.samples[-1][0]

    @property
    def best(self) -> tuple[float, Box, float]:
        """The sample the detector was surest of (the person's thumbnail)."""
        return max(self.samples, key=lambda sample: sample[2])

    def box_at(self, time: float, hold: float) -> Box | None:
        """The face's box at `time`, interpolated between samples; None outside the track (its first
        and last samples held for `hold` seconds, half a sample step) or across a gap."""
        if time < self.start - hold or time > self.end + hold:
            return None
        if time <= self.start:
            return self.samples[0][1]
        if time >= self.end:
            return self.samples[-1][1]
        for (t0, b0, _s0), (t1, b1, _s1) in zip(self.samples, self.samples[1:], strict=False):
            if t0 <= time <= t1:
                if t1 - t0 > MAX_GAP_SECONDS:  # not seen for a while: only near either sample
                    if time - t0 <= hold:
                        return b0
                    return b1 if t1 - time <= hold else None
                return _mix(b0, b1, (time - t0) / (t1 - t0) if t1 > t0 else 0.0)
        return None


def build_tracks(samples: Iterable[tuple[float, Sequence[tuple[Box, float]]]], *, min_samples: int = 2) -> list[Track]:
    """Join the faces found in each sampled frame, `(time, [(box, score), …])` in time order, into
    tracks; tracks seen in fewer than `min_samples` samples are dropped (a flicker of the detector)."""
    open_tracks: list[Track] = []
    done: list[Track] = []
    number = 0
    for time, faces in samples:
        still_open = []
        for track in open_tracks:
            (still_open if time - track.end <= MAX_GAP_SECONDS else done).append(track)
        open_tracks = still_open
        taken: set[int] = set()
        for box, score in sorted(faces, key=lambda face: -face[1]):
            best, best_fit = None, 0.0
            for index, track in enumerate(open_tracks):
                if index in taken or track.end == time:
                    continue
                last = track.samples[-1][1]
                fit = box.overlap(last)
                if fit < MIN_OVERLAP:
                    (cx, cy), (lx, ly) = box.centre, last.centre
                    distance = ((cx - lx) ** 2 + (cy - ly) ** 2) ** 0.5
                    reach = REACH * max(last.width, 1.0)
                    fit = MIN_OVERLAP * (1 - distance / reach) if distance < reach else 0.0
                if fit > best_fit:
                    best, best_fit = index, fit
            if best is None:
                number += 1
                open_tracks.append(Track(number=number, samples=[(time, box, score)]))
                taken.add(len(open_tracks) - 1)
            else:
                open_tracks[best].samples.append((time, box, score))
                taken.add(best)
    tracks = [track for track in done + open_tracks if len(track.samples) >= min_samples]
    tracks.sort(key=lambda track: (track.start, track.number))
    for new_number, track in enumerate(tracks, start=1):  # people numbered in order of appearance
        track.number = new_number
    return tracks


def pixelate(frame: np.ndarray, box: Box, blocks_across: int = BLOCKS_ACROSS) -> None:
    """Replace the part of `frame` (H × W × 3, changed in place) under `box` by coarse blocks: each
    the mean colour of its pixels, at most `blocks_across` blocks across the box."""
    height, width = frame.shape[:2]
    x1, y1 = max(0, int(box.x1)), max(0, int(box.y1))
    x2, y2 = min(width, int(np.ceil(box.x2))), min(height, int(np.ceil(box.y2)))
    if x2 <= x1 or y2 <= y1:
        return
    size = max(1, int(np.ceil((x2 - x1) / blocks_across)))
    for top in range(y1, y2, size):
        for left in range(x1, x2, size):
            block = frame[top : min(top + size, y2), left : min(left + size, x2)]
            block[...] = block.reshape(-1, block.shape[-1]).mean(axis=0).astype(frame.dtype)
