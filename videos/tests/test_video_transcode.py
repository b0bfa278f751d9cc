"""videos.transcode: HLS ladder, poster and storyboard from one ffmpeg run, with the real ffmpeg on generated clips."""

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from videos.transcode import (
    ProgressReporter,
    Rung,
    StoryboardPlan,
    TranscodeFailed,
    build_hls_command,
    plan_ladder,
    plan_storyboard,
    poster_time,
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
    """The 720p clip transcoded once with poster and storyboard; the progress values seen are kept too."""
    progress: list[float] = []
    out_dir = tmp_path_factory.mktemp("hls") / "videos" / "42"
    result = run_transcode(
        clips["720p"],
        out_dir,
        ladder=plan_ladder(1280, 720, has_audio=True),
        duration=CLIP_SECONDS,
        on_progress=progress.append,
        preset=FAST,
        poster_at=poster_time(CLIP_SECONDS),
        storyboard=plan_storyboard(CLIP_SECONDS, 1280, 720),
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


def test_progress_is_reported_while_ffmpeg_works_not_only_at_the_end(tmp_path):
    """With poster and storyboard outputs too, the first progress report comes early in the source, not at its end."""
    seconds = 30
    clip = generate_clip(tmp_path / "long.mp4", "320x180", seconds=seconds)
    progress: list[float] = []
    run_transcode(
        clip,
        tmp_path / "out",
        ladder=plan_ladder(320, 180, has_audio=True),
        duration=seconds,
        on_progress=progress.append,
        preset=FAST,
        poster_at=poster_time(seconds),
        storyboard=plan_storyboard(seconds, 320, 180),
    )
    # Reports come from ffmpeg once per second of work; the first one only waits for every output to start.
    assert progress[0] < 50, progress
    assert progress[-1] == 100.0


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


def test_exception_from_progress_callback_kills_ffmpeg_and_leaves_nothing(clips, tmp_path):
    """A job that loses its lease mid-transcode raises from the callback: ffmpeg stops, no outputs remain."""

    class Stop(Exception):
        pass

    def stop(percent):
        raise Stop

    dest_parent = tmp_path / "videos"
    with pytest.raises(Stop):
        run_transcode(
            clips["720p"], dest_parent / "9", ladder=plan_ladder(1280, 720, True), duration=6, on_progress=stop
        )
    assert list(dest_parent.iterdir()) == []


# --- one run: poster and storyboard ------------------------------------------------------------------


def test_one_ffmpeg_invocation_reads_the_source_once_for_all_outputs(tmp_path):
    """Ladder, poster and storyboard are outputs of a single command with a single input."""
    cmd = build_hls_command(
        "in.mp4",
        tmp_path,
        plan_ladder(1280, 720, has_audio=True),
        poster_at=1.5,
        storyboard=plan_storyboard(60, 1280, 720),
    )
    assert cmd.count("-i") == 1
    graph = cmd[cmd.index("-filter_complex") + 1]
    assert graph.startswith("[0:v]split=5[s0][s1][s2][sposter][sstoryboard];")
    assert cmd[-1] == str(tmp_path / ".thumbnails" / "%05d.png")
    assert str(tmp_path / "poster.jpg") in cmd and str(tmp_path / "hls" / "%v" / "index.m3u8") in cmd


def test_plain_ladder_command_has_no_image_outputs(tmp_path):
    """Without poster and storyboard the command is the plain ladder (the benchmark's reference)."""
    cmd = build_hls_command("in.mp4", tmp_path, plan_ladder(1280, 720, has_audio=True))
    assert not any(arg.endswith(".jpg") for arg in cmd)
    assert "[sposter]" not in cmd[cmd.index("-filter_complex") + 1]


def test_segment_start_times_and_keyframes_align_across_rungs(hls_720p):
    """ffprobe finds every rung's n-th segment starting at the same time, on a keyframe."""
    result, _ = hls_720p
    starts = {}
    for name, playlist in result.variant_playlists.items():
        segments = sorted(playlist.parent.glob("seg_*.ts"))
        assert len(segments) == 2, (name, segments)  # 6 s in 4 s segments
        starts[name] = []
        for segment in segments:
            frames = ffprobe_json(
                "-select_streams",
                "v:0",
                "-read_intervals",
                "%+#1",
                "-show_entries",
                "frame=key_frame,pts_time",
                str(segment),
            )["frames"]
            assert frames[0]["key_frame"] == 1, (name, segment.name)
            starts[name].append(round(float(frames[0]["pts_time"]), 3))
    assert len({tuple(v) for v in starts.values()}) == 1, starts
    first, second = starts["360p"]
    assert second - first == pytest.approx(4, abs=0.05)


def test_poster_comes_from_the_same_run_at_about_ten_percent(hls_720p, clips, tmp_path):
    """poster.jpg is a 16:9 JPEG showing the frame at 10 % of the duration, not the first or last one."""
    result, _ = hls_720p
    with Image.open(result.poster) as poster:
        assert poster.format == "JPEG"
        assert poster.size == (1280, 720)
        poster_rgb = poster.convert("RGB")

    def frame_at(seconds: float) -> Image.Image:
        out = tmp_path / f"frame_{seconds}.png"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-ss", str(seconds), "-i", str(clips["720p"]), "-frames:v", "1", str(out)],
            check=True,
        )
        return Image.open(out).convert("RGB")

    def difference(a: Image.Image, b: Image.Image) -> float:
        return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean)

    at = poster_time(CLIP_SECONDS)
    assert at == pytest.approx(0.6)
    assert difference(poster_rgb, frame_at(at)) < difference(poster_rgb, frame_at(CLIP_SECONDS - 1))
    assert difference(poster_rgb, frame_at(at)) < difference(poster_rgb, frame_at(3))


def test_storyboard_sprite_and_vtt_come_from_the_same_run(hls_720p):
    """One thumbnail every 2 s of the 6 s clip: a 3x1 sprite of 160x90 tiles and three cues into it."""
    result, _ = hls_720p
    with Image.open(result.storyboard_image) as sprite:
        assert sprite.format == "JPEG" and sprite.size == (480, 90)
    text = result.storyboard_vtt.read_text()
    assert text.startswith("WEBVTT\n")
    cues = re.findall(r"(\S+) --> (\S+)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)", text)
    assert [(start, end, name, x, y) for start, end, name, x, y, _w, _h in cues] == [
        ("00:00:00.000", "00:00:02.000", "storyboard.jpg", "0", "0"),
        ("00:00:02.000", "00:00:04.000", "storyboard.jpg", "160", "0"),
        ("00:00:04.000", "00:00:06.000", "storyboard.jpg", "320", "0"),
    ]
    assert {(w, h) for *_rest, w, h in cues} == {("160", "90")}


def test_storyboard_last_tile_is_flushed_when_partly_filled(clips, tmp_path):
    """6 thumbnails in a 4x2 grid: the tile filter still writes the sprite at the end, 6 slots filled, 2 blank."""
    plan = StoryboardPlan(every_seconds=1, count=6, columns=4, thumb_width=160, thumb_height=90)
    result = run_transcode(
        clips["360p"],
        tmp_path / "out",
        ladder=plan_ladder(640, 360, True),
        duration=CLIP_SECONDS,
        preset=FAST,
        storyboard=plan,
    )
    with Image.open(result.storyboard_image) as sprite:
        assert sprite.size == (640, 180)
        rgb = sprite.convert("RGB")
    brightness = [
        sum(ImageStat.Stat(rgb.crop((x * 160, y * 90, x * 160 + 160, y * 90 + 90))).mean)
        for y in range(2)
        for x in range(4)
    ]
    assert all(b > 100 for b in brightness[:6]), brightness  # testsrc2 thumbnails
    assert all(b < 5 for b in brightness[6:]), brightness  # unfilled slots stay black
    assert len(re.findall("#xywh=", result.storyboard_vtt.read_text())) == 6


def test_without_poster_and_storyboard_only_hls_is_written(clips, tmp_path):
    """The extra outputs are opt-in: a plain run writes only the hls/ tree."""
    result = run_transcode(
        clips["tiny_silent"], tmp_path / "out", ladder=plan_ladder(320, 180, False), duration=3, preset=FAST
    )
    assert result.poster is None and result.storyboard_image is None
    assert [p.name for p in result.out_dir.iterdir()] == ["hls"]


@pytest.mark.parametrize(
    ("duration", "expected"),
    [(0, 0.0), (0.5, 0.0), (3, 0.3), (60, 6.0), (5400, 540.0), (1.05, 0.05)],
)
def test_poster_time_is_ten_percent_in_and_before_the_end(duration, expected):
    """10 % of the duration, but at least a second before the end and never negative."""
    assert poster_time(duration) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("duration", "size", "every", "count", "columns", "thumb"),
    [
        (6, (1280, 720), 2, 3, 3, (160, 90)),
        (60, (1920, 1080), 2, 30, 10, (160, 90)),
        (7200, (1920, 1080), 36, 200, 10, (160, 90)),
        (7201, (1920, 1080), 37, 195, 10, (160, 90)),
        (30, (1080, 1920), 2, 15, 10, (90, 160)),
        (10, (2048, 858), 2, 5, 5, (160, 68)),
    ],
)
def test_plan_storyboard_caps_thumbnails_and_keeps_aspect(duration, size, every, count, columns, thumb):
    """One thumbnail per 2 s, at most 200 (longer intervals for long films), 160 px on the long side."""
    plan = plan_storyboard(duration, *size)
    assert (plan.every_seconds, plan.count, plan.columns) == (every, count, columns)
    assert (plan.thumb_width, plan.thumb_height) == thumb
    assert plan.rows == math.ceil(count / columns)


def test_plan_storyboard_rejects_unknown_duration():
    """A zero duration would mean no thumbnails at all; the caller skips the storyboard instead."""
    with pytest.raises(ValueError):
        plan_storyboard(0, 640, 360)


def test_rung_rate_control_caps_peak_above_average():
    """maxrate sits a little above the average bitrate and the buffer is larger still."""
    rung = Rung("720p", 1280, 720, 2800, 128)
    assert rung.video_kbps < rung.maxrate_kbps < rung.bufsize_kbps
