"""The whole ingest with real programs: ffmpeg pushes a generated stream over RTMP to nginx (the
generated configuration, on a free port), nginx asks the site (the live server) whether the key may
publish, the live playlist is played by ffprobe through the site's signed links, a wrong key is
refused, and the recording becomes the ready replay."""

import shutil
import subprocess
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from films.tests.factories import FilmPageFactory
from live import nginx_rtmp, playback
from live.models import Premiere, PremiereStatus
from members.tests.factories import CreatorFactory
from tests.ports import free_port, wait_until_listening
from videos.models import VideoStatus
from videos.tasks import process_video

FFMPEG = shutil.which("ffmpeg")
FFPROBE = shutil.which("ffprobe")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not nginx_rtmp.rtmp_available(),
        reason="needs nginx with its RTMP module (apt-get install nginx libnginx-mod-rtmp)",
    ),
    pytest.mark.skipif(not (FFMPEG and FFPROBE), reason="needs ffmpeg and ffprobe"),
    # nginx's hooks write through the live server's thread while this test reads: SQLite's in-memory
    # test database, shared between the two threads, answers "table is locked" to one of them.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the hooks write from the live server's thread while the test reads: needs PostgreSQL",
    ),
]


def wait_for(condition, timeout: float, interval: float = 0.5):
    """Poll ``condition`` until it returns something truthy (returned) or ``timeout`` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(interval)
    return None


def push(port: int, key: str, seconds: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [FFMPEG, "-nostdin", "-loglevel", "error", "-re"]
        + ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine"]
        + ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac"]
        + ["-f", "flv", f"rtmp://127.0.0.1:{port}/live/{key}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def rtmp_server(live_server, request_gate, settings, tmp_path):
    """nginx on a free port with the generated configuration, calling the live server's hooks (the
    journeys' request gate open while it runs, as during a journey)."""
    request_gate.open()
    settings.LIVE_RTMP_PORT = free_port()
    settings.LIVE_DIR = tmp_path / "live"
    work = tmp_path / "nginx"
    config = nginx_rtmp.write_config(work, hook_base_url=live_server.url, hook_secret="integration-secret")
    settings.LIVE_RTMP_HOOK_SECRET = "integration-secret"
    nginx = subprocess.Popen(  # noqa: S603
        nginx_rtmp.nginx_command(config, work), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )

    try:
        wait_until_listening(settings.LIVE_RTMP_PORT, nginx, "nginx")
    except RuntimeError as error:
        pytest.fail(f"{error} {(work / 'nginx-rtmp-error.log').read_text()}")
    yield work
    nginx.terminate()
    nginx.wait(timeout=15)
    request_gate.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broadcast_plays_through_the_site_and_becomes_the_replay(rtmp_server, live_server, settings):
    film = FilmPageFactory(title="Winter Stop", owner=CreatorFactory())
    premiere = Premiere.objects.create(page=film, title="Premiere night", starts_at=timezone.now())

    # A wrong key: nginx asks the site, which refuses; nothing goes live, no playlist appears.
    port = settings.LIVE_RTMP_PORT
    wrong = push(port, "not-the-key", 4)
    assert wrong.wait(timeout=60) != 0, "ffmpeg should fail when its key is refused"
    premiere.refresh_from_db()
    assert premiere.status == PremiereStatus.SCHEDULED
    assert not any(nginx_rtmp.folders().hls.iterdir())

    # Long enough that a busy machine still finds it live; the deadlines below are generous for the
    # same reason (they bound a hang, they do not measure speed).
    broadcast = push(port, premiere.stream_key, 20)
    started = time.monotonic()
    try:
        assert wait_for(lambda: Premiere.objects.filter(pk=premiere.pk, went_live_at__isnull=False).exists(), 60)

        # A visitor's signed playlist, through the site, as the watch page hands it out.
        request = RequestFactory().get("/", HTTP_HOST=urlsplit(live_server.url).netloc)
        request.user = AnonymousUser()
        premiere.refresh_from_db()
        master = playback.live_config(request, premiere)["master_url"]

        def playable():
            probe = subprocess.run(  # noqa: S603
                [FFPROBE, "-v", "error", "-show_streams", "-of", "compact", master],
                capture_output=True,
                text=True,
                timeout=30,
            )
            return probe.returncode == 0 and "codec_name=h264" in probe.stdout and probe.stdout

        assert wait_for(playable, 60, 1), "the live playlist never became playable by ffprobe"
        print(f"live playlist playable {time.monotonic() - started:.1f} s after the push started")
        assert broadcast.wait(timeout=60) == 0, broadcast.stderr.read()
    finally:
        if broadcast.poll() is None:
            broadcast.kill()

    # The end: the premiere has ended, and the recording arrives as a video being processed.
    assert wait_for(lambda: Premiere.objects.filter(pk=premiere.pk, status=PremiereStatus.ENDED).exists(), 90)
    recording = wait_for(
        lambda: (
            Premiere.objects.filter(pk=premiere.pk, recording__isnull=False).values_list("recording", flat=True).first()
        ),
        30,
    )
    assert recording, "the recording did not arrive"
    # The worker's job, run here: it makes the video ready, and ready, it becomes the replay.
    process_video.call(recording)
    premiere.refresh_from_db()
    assert premiere.replay_id == recording
    assert premiere.replay.status == VideoStatus.READY and premiere.replay.duration > 5
    assert premiere.replay.owner == film.owner
