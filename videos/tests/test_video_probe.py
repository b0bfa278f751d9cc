"""ffprobe decides what is a video: real good and broken files, through ffprobe and through ffmpeg alone."""

import functools
import http.server
import random
import threading

import pytest
from PIL import Image

from videos import ffmpeg as ffmpeg_lookup
from videos.probe import InvalidVideo, probe_video
from videos.tests.media import make_audio_only, make_clip


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(params=["ffprobe", "ffmpeg-only"])
def prober(request, monkeypatch):
    """Each test runs twice: with ffprobe, and as on a machine that only has imageio-ffmpeg's ffmpeg."""
    ffmpeg_lookup.clear_cache()
    if request.param == "ffmpeg-only":
        monkeypatch.setattr("videos.probe.find_ffprobe", lambda: None)
    yield request.param
    ffmpeg_lookup.clear_cache()


def rejected(path) -> str:
    with pytest.raises(InvalidVideo) as caught:
        probe_video(path)
    return caught.value.message


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    root = tmp_path_factory.mktemp("clips")
    return {
        "good": make_clip(root / "good.mp4", seconds=2),
        "faststart": make_clip(root / "fast.mp4", seconds=3, faststart=True),
        "silent": make_clip(root / "silent.mov", seconds=2, audio=False),
        "portrait": make_clip(root / "portrait.mp4", seconds=1, width=360, height=640),
        "audio": make_audio_only(root / "audio.m4a"),
    }


def test_good_clip(prober, clips):
    info = probe_video(clips["good"])
    assert (info.width, info.height, info.video_codec, info.audio_codec) == (640, 360, "h264", "aac")
    assert info.has_audio and 1.9 < info.duration < 2.2
    assert "mp4" in info.container
    assert info.size == clips["good"].stat().st_size


def test_silent_and_portrait(prober, clips):
    silent = probe_video(clips["silent"])
    assert not silent.has_audio and silent.audio_codec == ""
    portrait = probe_video(clips["portrait"])
    assert (portrait.width, portrait.height) == (360, 640)


def test_renamed_text_file(prober, tmp_path):
    path = tmp_path / "film.mp4"
    path.write_text("This is my script, not my film.\n" * 50)
    assert "not a video we can read" in rejected(path)


def test_random_bytes(prober, tmp_path):
    path = tmp_path / "film.mov"
    # Seeded: some random files happen to parse as a container with no length, which is refused
    # with a different (also clear) message; this test is about the "unreadable" one.
    path.write_bytes(random.Random(1).randbytes(200_000))
    assert "not a video we can read" in rejected(path)


def test_zero_bytes(prober, tmp_path):
    path = tmp_path / "film.mp4"
    path.write_bytes(b"")
    assert "empty" in rejected(path)


def test_audio_only(prober, clips):
    assert "sound but no picture" in rejected(clips["audio"])


def test_image_named_mp4(prober, tmp_path):
    path = tmp_path / "film.mp4"
    Image.new("RGB", (640, 360), "purple").save(path, format="PNG")
    assert "still image" in rejected(path)


def test_jpeg_named_mp4(prober, tmp_path):
    path = tmp_path / "film.mp4"
    Image.new("RGB", (640, 360), "teal").save(path, format="JPEG")
    assert "still image" in rejected(path)


def test_truncated_mp4_index_at_end(prober, clips, tmp_path):
    data = clips["good"].read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) // 2])
    assert "cut off" in rejected(path)


def test_truncated_mp4_index_at_front(prober, clips, tmp_path):
    data = clips["faststart"].read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) // 2])
    assert "cut off" in rejected(path)


def test_reads_over_http(prober, clips):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(clips["good"].parent))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        info = probe_video(f"http://127.0.0.1:{server.server_address[1]}/good.mp4")
        assert (info.width, info.height) == (640, 360)
        with pytest.raises(InvalidVideo):
            probe_video(f"http://127.0.0.1:{server.server_address[1]}/missing.mp4")
    finally:
        server.shutdown()


def test_ffmpeg_falls_back_to_imageio(monkeypatch, tmp_path):
    import imageio_ffmpeg

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("FFMPEG_BINARY", raising=False)
    ffmpeg_lookup.clear_cache()
    try:
        assert ffmpeg_lookup.find_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()
        assert ffmpeg_lookup.find_ffprobe() is None
    finally:
        ffmpeg_lookup.clear_cache()
