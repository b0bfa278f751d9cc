"""Scene cuts, chapter suggestions and poster candidates (`videos.scenes`): the deciding on made-up
figures, then a real pass over clips with planted cuts, which must be found within one frame."""

import numpy as np
import pytest

from videos import scenes
from videos.tests.media import SHOT_PATTERNS, make_shots

RATE = 25


def figures(change, brightness=None, sharpness=None, rate=RATE) -> scenes.FrameFigures:
    count = len(change)
    return scenes.FrameFigures(
        rate,
        list(map(float, change)),
        list(map(float, brightness if brightness is not None else [120] * count)),
        list(map(float, sharpness if sharpness is not None else [500] * count)),
    )


# Deciding


def test_a_single_spike_of_change_is_a_cut_and_a_moving_stretch_is_not():
    change = [2.0] * 200
    change[50] = 60  # a hard cut
    for index in range(120, 160):
        change[index] = 30  # a pan: every frame changes a lot, none stands out
    assert scenes.find_cuts(figures(change)) == [50]


def test_of_two_cuts_closer_than_a_shot_can_be_the_stronger_is_kept():
    change = [2.0] * 100
    change[40], change[45] = 40, 70  # 45 − 40 frames = 0.2 s at 25 fps
    change[80] = 40
    assert scenes.find_cuts(figures(change)) == [45, 80]


def test_a_faint_change_is_no_cut_however_quiet_the_frames_around_it():
    change = [0.0] * 100
    change[50] = scenes.CUT_MIN_CHANGE - 1
    assert scenes.find_cuts(figures(change)) == []


def test_chapters_start_at_zero_and_are_never_shorter_than_the_minimum():
    duration = 600.0
    cuts = [float(second) for second in range(7, 600, 7)]  # a cut every 7 s
    chapters = scenes.plan_chapters(cuts, duration)
    shortest = scenes.chapter_min_seconds(duration)
    assert chapters[0] == 0.0 and shortest == 50.0
    assert 2 <= len(chapters) <= scenes.MAX_CHAPTERS
    lengths = np.diff([*chapters, duration])
    assert lengths.min() >= shortest
    assert set(chapters[1:]) <= set(cuts)


def test_a_short_film_gets_chapters_no_shorter_than_half_a_minute():
    assert scenes.plan_chapters([10.0, 20.0, 35.0, 50.0], 70.0) == [0.0, 35.0]
    assert scenes.plan_chapters([5.0], 40.0) == [0.0]


def test_poster_candidates_are_neither_dark_nor_near_a_cut_nor_from_one_shot_twice():
    count = 12 * 50  # 24 s at 25 fps
    change = [1.0] * count
    brightness = [120.0] * count
    sharpness = [100.0] * count
    for index in range(100, 200):
        brightness[index] = 5  # a night shot, black on screen
        sharpness[index] = 10_000
    change[300] = 80  # a cut …
    sharpness[299] = sharpness[302] = 20_000  # … whose frames would otherwise win their span
    found = scenes.analyse_figures(figures(change, brightness, sharpness))
    assert found.cuts == (12.0,)
    times = [candidate.time for candidate in found.posters]
    assert times == sorted(times)
    assert not [t for t in times if 4.0 <= t < 8.0], "nothing from the dark shot"
    assert not [t for t in times if abs(t - 12.0) <= scenes.POSTER_CUT_GUARD_SECONDS], "nothing beside the cut"
    # Two shots of 12 s each: a candidate from each, and a second one only 10 s further along it.
    first_shot, second_shot = [t for t in times if t < 12.0], [t for t in times if t > 12.0]
    assert len(first_shot) == len(second_shot) == 2
    for earlier, later in (first_shot, second_shot):
        assert round((later - earlier) * RATE) >= scenes.POSTER_SAME_SHOT_SECONDS * RATE  # in frames


# A real pass over planted cuts


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Six patterns of 37 to 62 frames, then a black shot: cuts planted at known frames."""
    lengths = [37, 42, 47, 52, 57, 62]
    shots = [(pattern, frames) for pattern, frames in zip(SHOT_PATTERNS, lengths, strict=True)]
    shots.append(("color=c=black", 30))
    path = make_shots(tmp_path_factory.mktemp("scenes") / "planted.mp4", shots, fps=RATE)
    cuts = list(np.cumsum([frames for _source, frames in shots])[:-1])
    return path, cuts, sum(frames for _source, frames in shots) / RATE


def test_every_planted_cut_is_found_within_one_frame_and_nothing_else(planted):
    path, cuts, duration = planted
    progress = []
    found = scenes.analyse(path, RATE, duration, on_progress=progress.append)
    assert len(found.cuts) == len(cuts)
    for seconds, frame in zip(found.cuts, cuts, strict=True):
        assert abs(seconds * RATE - frame) <= 1, (seconds, frame)
    assert found.chapters == (0.0,)  # 13 s: too short for a second chapter
    assert progress and progress == sorted(progress) and progress[-1] <= 1


def test_poster_candidates_of_a_real_clip_are_written_as_pictures(planted, tmp_path):
    path, cuts, duration = planted
    found = scenes.analyse(path, RATE, duration)
    black_from = cuts[-1] / RATE
    assert found.posters and all(candidate.time < black_from for candidate in found.posters)
    out = tmp_path / "poster.jpg"
    scenes.write_poster(path, found.posters[0].time, out)
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG


def test_a_file_that_is_not_a_video_fails_with_ffmpegs_reason(tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000)
    with pytest.raises(scenes.TranscodeFailed, match="could not decode"):
        scenes.analyse(broken, RATE, 10.0)
