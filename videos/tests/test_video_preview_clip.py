"""videos.preview_clip: when the hover preview starts, how it is cut, and what real ffmpeg makes of it."""

import json
import subprocess

import pytest

from videos.ffmpeg import find_ffprobe
from videos.preview_clip import (
    PREVIEW_SECONDS,
    PreviewPlan,
    build_preview_command,
    build_scene_detection_command,
    choose_preview_start,
    detect_scene_changes,
    make_preview_clip,
    parse_scene_times,
    plan_preview,
    preview_size,
    scene_search_window,
)
from videos.tests.media import ffmpeg, make_clip, make_color_steps

pytestmark = pytest.mark.skipif(find_ffprobe() is None, reason="needs ffprobe")

# The budget a card grid can afford per film, in bytes.
MAX_PREVIEW_BYTES = 300_000
RED, GREEN, BLUE, YELLOW = "0xd01010", "0x10c010", "0x1010d0", "0xe0e010"


def probe(path) -> dict:
    args = [find_ffprobe(), "-v", "error", "-of", "json", "-show_format", "-show_streams", str(path)]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)  # noqa: S603


# --- choosing the start ------------------------------------------------------------------------------


def test_the_first_scene_change_in_the_first_half_is_the_start():
    """Of the cuts found, the earliest one past the opening and before half-way wins."""
    assert choose_preview_start(120, scene_changes=[40.0, 17.5, 90.0]) == 17.5


def test_cuts_in_the_opening_or_the_second_half_are_not_used():
    """A cut in the first 5 % (logos, fades) or past half-way falls back to a quarter in."""
    assert scene_search_window(120) == (6.0, 60.0)
    assert choose_preview_start(120, scene_changes=[2.0, 75.0]) == 30.0


def test_without_a_scene_change_the_clip_starts_a_quarter_in():
    assert choose_preview_start(60) == 15.0


def test_the_picked_time_wins_over_scene_changes():
    assert choose_preview_start(60, picked=42.0, scene_changes=[10.0]) == 42.0


def test_a_picked_time_near_the_end_moves_back_so_three_seconds_fit():
    """Picked 1 s before the end of a minute: the clip still lasts 3 s, ending at the end."""
    plan = plan_preview(60, 1920, 1080, picked=59.0)
    assert (plan.start, plan.seconds) == (57.0, PREVIEW_SECONDS)


def test_a_video_shorter_than_three_seconds_is_its_own_preview():
    plan = plan_preview(2.0, 640, 360)
    assert (plan.start, plan.seconds) == (0.0, 2.0)
    assert scene_search_window(1.5) is None


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1920, 1080), (640, 360)),
        ((3840, 2160), (640, 360)),
        ((1080, 1920), (360, 640)),
        ((2048, 858), (860, 360)),
        ((640, 360), (640, 360)),
        ((321, 179), (320, 178)),
    ],
)
def test_the_clip_is_360p_at_most_keeps_the_aspect_and_is_never_upscaled(size, expected):
    assert preview_size(*size) == expected


def test_the_file_is_named_after_its_start():
    """A new start gives a new address, so no browser shows the old clip from its cache."""
    assert PreviewPlan(12.5, 3.0, 640, 360).file_name == "clip-12500.mp4"
    assert PreviewPlan(0.0, 2.0, 640, 360).file_name == "clip-0.mp4"


# --- the ffmpeg arguments ------------------------------------------------------------------------------


def test_scene_times_are_read_from_showinfo_counted_from_the_window_start():
    log = (
        "[Parsed_showinfo_2 @ 0x5581] n:   0 pts:  36864 pts_time:3       pos: 116121 fmt:yuv420p\n"
        "[Parsed_showinfo_2 @ 0x5581] n:   1 pts:  61440 pts_time:5.04    pos: 216121 fmt:yuv420p\n"
    )
    assert parse_scene_times(log, offset=6.0) == [9.0, 11.04]
    assert parse_scene_times("frame=  0 fps=0.0 q=0.0 size=N/A", offset=6.0) == []


def test_scene_detection_decodes_only_the_window_and_stops_at_the_first_cut(tmp_path):
    cmd = build_scene_detection_command(tmp_path / "film.mp4", (6.0, 60.0))
    assert cmd[cmd.index("-ss") + 1] == "6.000" and cmd[cmd.index("-t") + 1] == "54.000"
    assert "select='gt(scene,0.3)',showinfo" in cmd[cmd.index("-vf") + 1]
    assert cmd[cmd.index("-frames:v") + 1] == "1" and "-an" in cmd


def test_the_clip_command_has_no_sound_and_a_capped_rate(tmp_path):
    cmd = build_preview_command(tmp_path / "film.mp4", tmp_path / "clip.mp4", PreviewPlan(12.5, 3.0, 640, 360))
    assert cmd.index("-ss") < cmd.index("-i")  # seek the input: decode from the nearest keyframe only
    assert cmd[cmd.index("-ss") + 1] == "12.500" and cmd[cmd.index("-t") + 1] == "3.000"
    assert {"-an", "-sn", "-dn"} <= set(cmd)
    assert (cmd[cmd.index("-maxrate") + 1], cmd[cmd.index("-bufsize") + 1]) == ("500k", "500k")
    assert "scale=640:360,setsar=1" in cmd and "+faststart" in cmd


# --- real ffmpeg ----------------------------------------------------------------------------------------


def test_scene_detection_finds_the_cut_of_a_real_clip(tmp_path):
    """Red for 4 s, then green: the cut at 4 s is found (the window starts at 1 s)."""
    clip = make_color_steps(tmp_path / "cut.mp4", [RED] * 4 + [GREEN] * 8)
    [cut] = detect_scene_changes(clip, 12.0)
    assert cut == pytest.approx(4.0, abs=0.05)


def test_scene_detection_of_a_clip_without_cuts_finds_nothing(tmp_path):
    clip = make_clip(tmp_path / "one-shot.mp4", seconds=8)
    assert detect_scene_changes(clip, 8.0) == []


@pytest.mark.parametrize("noise", [False, True], ids=["test-pattern", "noise"])
def test_the_clip_is_three_silent_seconds_of_h264_under_300_kb(tmp_path, noise):
    """Also for lossless noise, the worst case for an encoder: the rate cap holds the size."""
    source = make_clip(tmp_path / "source.mp4", seconds=6, width=1280, height=720, noise=noise)
    clip = make_preview_clip(source, tmp_path / "clip.mp4", plan_preview(6.0, 1280, 720, picked=2.0))

    info = probe(clip)
    assert clip.stat().st_size <= MAX_PREVIEW_BYTES, clip.stat().st_size
    assert float(info["format"]["duration"]) == pytest.approx(3.0, abs=0.2)
    assert [s["codec_type"] for s in info["streams"]] == ["video"]  # no audio track at all
    [video] = info["streams"]
    assert (video["codec_name"], video["width"], video["height"]) == ("h264", 640, 360)


def test_the_rate_cap_holds_the_size_when_the_quality_target_asks_for_more(tmp_path, monkeypatch):
    """At CRF 10, lossless noise would take megabytes for three seconds; the VBV cap keeps it under budget."""
    from videos import preview_clip

    monkeypatch.setattr(preview_clip, "PREVIEW_CRF", 10)
    source = make_clip(tmp_path / "noise.mp4", seconds=6, noise=True)
    clip = make_preview_clip(source, tmp_path / "clip.mp4", plan_preview(6.0, 640, 360, picked=2.0))
    assert 100_000 < clip.stat().st_size <= MAX_PREVIEW_BYTES, clip.stat().st_size


def test_the_clip_starts_at_the_planned_time(tmp_path):
    """Colours change every second: the clip from 2 s shows the third colour first and the fifth last."""
    from PIL import Image

    colors = [RED, GREEN, BLUE, YELLOW, RED, GREEN, BLUE]
    source = make_color_steps(tmp_path / "steps.mp4", colors)
    clip = make_preview_clip(source, tmp_path / "clip.mp4", plan_preview(7.0, 640, 360, picked=2.0))
    frames = tmp_path / "frames"
    frames.mkdir()
    subprocess.run(  # noqa: S603
        [ffmpeg(), "-v", "error", "-i", str(clip), "-vf", "scale=8:8", str(frames / "%03d.png")],
        check=True,
    )
    pngs = sorted(frames.glob("*.png"))
    first, last = (Image.open(pngs[i]).convert("RGB").getpixel((4, 4)) for i in (0, -1))
    assert nearest(first, colors) == BLUE and nearest(last, colors) == RED


def nearest(rgb: tuple[int, int, int], colors: list[str]) -> str:
    def distance(color: str) -> int:
        value = int(color, 16)
        target = (value >> 16, (value >> 8) & 0xFF, value & 0xFF)
        return sum((a - b) ** 2 for a, b in zip(rgb, target, strict=True))

    return min(colors, key=distance)
