"""films.video.transcode: HLS ladder, poster and storyboard, run with the real ffmpeg on generated clips."""

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from films.video.transcode import (
    ProgressReporter,
    Rung,
    TranscodeFailed,
    build_hls_command,
    make_poster,
    make_storyboard,
    plan_ladder,
    run_transcode,
)

pytestmark = pytest.mark.skipif(not shutil.which("ffmpeg") or not shutil.which("ffprobe"), reason="needs ffmpeg")

CLIP_SECONDS = 6
FAST = "ultrafast"


def generate_clip(path: Path, size: str, *, audio: bool = True, seconds: int = CLIP_SECONDS) -> Path:
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=s={size}:r=25:d={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac"]
    args += ["-c:v", "libx264", "-preset", FAST, "-pix_fmt", "yuv420p", "-shortest", str(path)]
    subprocess.run(args, check=True)
    return path


def ffprobe_json(*args: str) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    base = tmp_path_factory.mktemp("clips")
    return {
        "360p": generate_clip(base / "360p.mp4", "640x360"),
        "720p": generate_clip(base / "720p.mp4", "1280x720"),
        "tiny_silent": generate_clip(base / "tiny_silent.mp4", "320x180", audio=False, seconds=3),
    }


@pytest.fixture(scope="session")
def hls_720p(clips, tmp_path_factory):
    """The 720p clip transcoded once; the progress values seen are kept alongside the result."""
    progress: list[float] = []
    out_dir = tmp_path_factory.mktemp("hls") / "videos" / "42"
    result = run_transcode(
        clips["720p"],
        out_dir,
        ladder=plan_ladder(1280, 720, has_audio=True),
        duration=CLIP_SECONDS,
        on_progress=progress.append,
        preset=FAST,
    )
    return result, progress


def parse_master(path: Path) -> list[tuple[dict[str, str], str]]:
    """(attributes, uri) for every #EXT-X-STREAM-INF entry."""
    lines = path.read_text().splitlines()
    entries = []
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            entries.append(({k: v.strip('"') for k, v in attrs.items()}, lines[i + 1]))
    return entries


# --- ladder planning -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1920, 1080), [(640, 360), (960, 540), (1280, 720), (1920, 1080)]),
        ((3840, 2160), [(640, 360), (960, 540), (1280, 720), (1920, 1080)]),
        ((1280, 720), [(640, 360), (960, 540), (1280, 720)]),
        ((640, 360), [(640, 360)]),
        ((1000, 600), [(600, 360), (900, 540)]),
        ((1080, 1920), [(360, 640), (540, 960), (720, 1280), (1080, 1920)]),
        ((720, 1280), [(360, 640), (540, 960), (720, 1280)]),
        ((1440, 1080), [(480, 360), (720, 540), (960, 720), (1440, 1080)]),
        ((2048, 858), [(860, 360), (1288, 540), (1718, 720)]),
        ((321, 179), [(320, 178)]),
        ((176, 144), [(176, 144)]),
    ],
)
def test_plan_ladder_sizes_keep_aspect_even_and_never_upscale(size, expected):
    """Rungs follow the short side (360/540/720/1080), keep aspect, are even, and stop at the source size."""
    ladder = plan_ladder(*size, has_audio=True)
    assert [(r.width, r.height) for r in ladder] == expected
    assert all(r.width % 2 == 0 and r.height % 2 == 0 for r in ladder)


def test_plan_ladder_bitrates_rise_with_resolution():
    """Each higher rung gets more bandwidth than the one below it."""
    rates = [r.video_kbps for r in plan_ladder(1920, 1080, has_audio=True)]
    assert rates == sorted(rates) and len(set(rates)) == len(rates)


def test_plan_ladder_without_audio_has_no_audio_bitrate():
    """A silent source produces rungs with no audio track."""
    assert {r.audio_kbps for r in plan_ladder(1280, 720, has_audio=False)} == {None}


def test_build_hls_command_omits_audio_maps_for_silent_source(tmp_path):
    """Mapping 0:a on a source without audio makes ffmpeg fail, so silent ladders must not map it."""
    cmd = build_hls_command("in.mp4", tmp_path, plan_ladder(1280, 720, has_audio=False))
    assert "0:a:0" not in cmd and "-c:a" not in cmd
    assert cmd[cmd.index("-var_stream_map") + 1] == "v:0,name:360p v:1,name:540p v:2,name:720p"


# --- HLS output ---------------------------------------------------------------------------------------


def test_master_playlist_lists_exactly_the_planned_rungs(hls_720p):
    """master.m3u8 has one variant per rung, with its resolution, H.264 + AAC codecs and playlist URI."""
    result, _ = hls_720p
    entries = parse_master(result.master_playlist)
    assert [(attrs["RESOLUTION"], uri) for attrs, uri in entries] == [
        ("640x360", "360p/index.m3u8"),
        ("960x540", "540p/index.m3u8"),
        ("1280x720", "720p/index.m3u8"),
    ]
    for attrs, _uri in entries:
        assert attrs["CODECS"].startswith("avc1.") and "mp4a.40.2" in attrs["CODECS"]
        assert int(attrs["BANDWIDTH"]) > 0


def test_variant_playlists_are_complete_vod_with_short_segments(hls_720p):
    """Every variant is a finished VOD playlist whose segments are at most ~6 s and all exist."""
    result, _ = hls_720p
    for name, playlist in result.variant_playlists.items():
        text = playlist.read_text()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and text.rstrip().endswith("#EXT-X-ENDLIST"), name
        durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", text)]
        assert durations and max(durations) <= 6.0, (name, durations)
        assert sum(durations) == pytest.approx(CLIP_SECONDS, abs=0.5)
        segments = [line for line in text.splitlines() if line.endswith(".ts")]
        assert all((playlist.parent / seg).is_file() for seg in segments)


def test_segment_boundaries_align_across_rungs(hls_720p):
    """Forced keyframes put every rung's segment cuts at the same times, so players can switch cleanly."""
    result, _ = hls_720p
    boundaries = {
        name: re.findall(r"#EXTINF:([\d.]+),", playlist.read_text())
        for name, playlist in result.variant_playlists.items()
    }
    assert len(set(map(tuple, boundaries.values()))) == 1, boundaries


def test_ffprobe_reads_every_variant_from_the_master_playlist(hls_720p):
    """ffprobe opens master.m3u8 and sees an H.264 stream at each rung's size plus AAC audio."""
    result, _ = hls_720p
    streams = ffprobe_json("-show_streams", str(result.master_playlist))["streams"]
    video_sizes = {(s["width"], s["height"]) for s in streams if s["codec_type"] == "video"}
    assert video_sizes == {(640, 360), (960, 540), (1280, 720)}
    assert {s["codec_name"] for s in streams if s["codec_type"] == "video"} == {"h264"}
    assert {s["codec_name"] for s in streams if s["codec_type"] == "audio"} == {"aac"}


def test_progress_is_monotonic_and_ends_at_100(hls_720p):
    """The callback gets rising percentages, no more than one per whole percent, finishing at exactly 100."""
    _, progress = hls_720p
    assert progress and progress[-1] == 100.0
    assert progress == sorted(progress) and len(set(progress)) == len(progress)
    assert all(0 <= p <= 100 for p in progress)


def test_progress_reports_whole_percent_steps_and_ignores_unknown_times():
    """Fine-grained ffmpeg updates are thinned to >= 1 % steps; N/A times are skipped; 100 only at the end."""
    seen: list[float] = []
    reporter = ProgressReporter(duration=10, on_progress=seen.append, clock=lambda: 0.0)
    reporter.feed("out_time_us=N/A\n")
    for step in range(1, 1001):  # every 10 ms of a 10 s video: 0.1 % steps
        reporter.feed(f"out_time_us={step * 10_000}\n")
        reporter.feed("progress=continue\n")
    assert 99 <= seen[-1] < 100
    assert all(b - a >= 1 for a, b in zip(seen, seen[1:], strict=False))
    reporter.feed("progress=end\n")
    assert seen[-1] == 100.0


def test_progress_reports_small_steps_once_a_second_has_passed():
    """A slow transcode still reports: after 1 s without a report, any increase is passed on."""
    now = [0.0]
    seen: list[float] = []
    reporter = ProgressReporter(duration=1000, on_progress=seen.append, clock=lambda: now[0])
    reporter.feed("out_time_us=1000000\n")  # 0.1 %: first report always goes out
    reporter.feed("out_time_us=2000000\n")  # 0.2 % at the same instant: held back
    now[0] = 1.5
    reporter.feed("out_time_us=3000000\n")  # 0.3 % after 1.5 s: reported
    assert seen == [0.1, 0.3]


def test_transcode_leaves_no_temporary_directories(hls_720p):
    """After success only the destination remains next to it; the work directory was renamed into place."""
    result, _ = hls_720p
    assert [p.name for p in result.out_dir.parent.iterdir()] == [result.out_dir.name]


def test_silent_tiny_source_transcodes_to_a_single_rung(clips, tmp_path):
    """A small source without audio still yields one playable rung at its own size and no audio stream."""
    result = run_transcode(
        clips["tiny_silent"], tmp_path / "out", ladder=plan_ladder(320, 180, has_audio=False), duration=3, preset=FAST
    )
    entries = parse_master(result.master_playlist)
    assert [attrs["RESOLUTION"] for attrs, _ in entries] == ["320x180"]
    assert "mp4a" not in entries[0][0].get("CODECS", "")
    streams = ffprobe_json("-show_streams", str(result.master_playlist))["streams"]
    assert [s["codec_type"] for s in streams] == ["video"]


def test_failed_transcode_raises_with_stderr_and_leaves_no_outputs(tmp_path):
    """A corrupt source raises TranscodeFailed carrying ffmpeg's error, and nothing is left behind."""
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not really a video" * 100)
    dest_parent = tmp_path / "videos"
    with pytest.raises(TranscodeFailed, match="Invalid data|moov atom"):
        run_transcode(corrupt, dest_parent / "7", ladder=plan_ladder(640, 360, True), duration=6, preset=FAST)
    assert list(dest_parent.iterdir()) == []


def test_failed_transcode_keeps_previous_outputs(clips, tmp_path):
    """A re-run that fails must not destroy the outputs of an earlier successful run."""
    dest = tmp_path / "videos" / "7"
    dest.mkdir(parents=True)
    (dest / "master.m3u8").write_text("#EXTM3U\n")
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"garbage" * 100)
    with pytest.raises(TranscodeFailed):
        run_transcode(corrupt, dest, ladder=plan_ladder(640, 360, True), duration=6, preset=FAST)
    assert (dest / "master.m3u8").read_text() == "#EXTM3U\n"


# --- poster and storyboard ------------------------------------------------------------------------------


def test_poster_is_a_jpeg_with_the_source_aspect(clips, tmp_path):
    """The poster is a JPEG frame, 16:9 like the source."""
    poster = make_poster(clips["720p"], tmp_path / "poster.jpg", at_seconds=2)
    with Image.open(poster) as image:
        assert image.format == "JPEG"
        assert image.width / image.height == pytest.approx(1280 / 720, rel=0.01)


def test_poster_past_the_end_raises(clips, tmp_path):
    """Asking for a frame after the end is an error, not a silently missing file."""
    with pytest.raises(TranscodeFailed):
        make_poster(clips["360p"], tmp_path / "poster.jpg", at_seconds=60)


@pytest.mark.parametrize(("every_seconds", "columns"), [(1, 10), (2, 2), (4, 10)])
def test_storyboard_vtt_has_one_cue_per_interval_inside_the_sprite(clips, tmp_path, every_seconds, columns):
    """One cue per every_seconds of video; each points at a thumbnail-sized box that lies inside the sprite."""
    sprite, vtt = make_storyboard(clips["360p"], tmp_path, CLIP_SECONDS, every_seconds, columns=columns)
    text = vtt.read_text()
    assert text.startswith("WEBVTT\n")
    cues = re.findall(r"(\S+) --> (\S+)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)", text)
    assert len(cues) == math.ceil(CLIP_SECONDS / every_seconds)
    assert cues[0][0] == "00:00:00.000" and cues[-1][1] == f"00:00:{CLIP_SECONDS:02d}.000"
    with Image.open(sprite) as image:
        assert image.format == "JPEG"
        sprite_w, sprite_h = image.size
    for _start, _end, name, x, y, w, h in cues:
        x, y, w, h = map(int, (x, y, w, h))
        assert name == "storyboard.jpg"
        assert (w, h) == (160, 90)
        assert x + w <= sprite_w and y + h <= sprite_h


def test_storyboard_rejects_non_positive_interval(clips, tmp_path):
    """every_seconds of zero would mean infinitely many thumbnails."""
    with pytest.raises(ValueError):
        make_storyboard(clips["360p"], tmp_path, CLIP_SECONDS, 0)


def test_rung_rate_control_caps_peak_above_average():
    """maxrate sits a little above the average bitrate and the buffer is larger still."""
    rung = Rung("720p", 1280, 720, 2800, 128)
    assert rung.video_kbps < rung.maxrate_kbps < rung.bufsize_kbps
