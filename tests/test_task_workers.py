"""Several task workers on one PostgreSQL queue, as on several machines: each task runs on exactly one.

django-tasks-db's workers take a task with ``SELECT … FOR UPDATE SKIP LOCKED`` and mark it running in
the same transaction (``home.task_worker.ResilientWorker.claim_next``), so a task locked by one
worker is invisible to the others and a claimed one is no longer ready. These tests start real
``manage.py task_worker`` processes on the test database and count what they ran. SQLite has no row
locks (its workers take turns on the whole file), and pytest-django's SQLite test database lives in
one process's memory, so they run on PostgreSQL only.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from members.tests.factories import UserFactory
from notifications.models import Kind, Notification
from tests.counted_tasks import RUNS_TABLE, record_run
from videos import housekeeping, storage
from videos import tasks as video_tasks
from videos.models import Video, VideoStatus
from videos.tests.helpers import uploaded_video
from videos.tests.media import ffmpeg

ROOT = Path(django_settings.BASE_DIR)
APPLICATION_NAME = "reelvision-worker-test"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: row locks (SKIP LOCKED) and a test database other processes can open",
)


def wait_until(condition: Callable[[], object], what: str, workers: dict, log: Path, bound: float = 180):
    """Poll ``condition`` until it is true; fail early if a worker exits, or after a generous bound."""
    deadline = time.monotonic() + bound
    while not (result := condition()):
        exited = {name: proc.returncode for name, proc in workers.items() if proc.poll() is not None}
        if exited:
            pytest.fail(f"worker(s) {exited} exited while waiting for {what}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}:\n{log.read_text()}")
        time.sleep(0.1)
    return result


def worker_database_url() -> str:
    """The test database as a subprocess opens it, tagged so the test can see the workers' connections."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}?application_name={APPLICATION_NAME}"


def connected_workers() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT pid) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            [connection.settings_dict["NAME"], APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def worker_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reelvision.settings.test",
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "600",
        **extra,
    }


@contextmanager
def task_worker(worker_id: str, queue: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """``manage.py task_worker`` (the production command) on ``queue`` of the database backend."""
    args = ["task_worker", "--backend", "db", "--queue-name", queue, "--worker-id", worker_id]
    args += ["--interval", "0.2", "--no-startup-delay", "--no-reload"]
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - argv list, no shell
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# --- many short tasks, three workers --------------------------------------------------------------


@pytest.fixture
def runs_table():
    """The table ``tests.counted_tasks.record_run`` writes to, made for this test and dropped after it."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RUNS_TABLE} (task_id varchar(64) NOT NULL, pid integer NOT NULL)")
    yield RUNS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RUNS_TABLE}")


def recorded_runs() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT task_id, pid FROM {RUNS_TABLE}")  # noqa: S608 - a constant table name
        return cursor.fetchall()


def unfinished(ids: set[str]) -> int:
    finished = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    return DBTaskResult.objects.filter(pk__in=ids).exclude(status__in=finished).count()


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_workers_run_each_of_300_tasks_exactly_once(runs_table, tmp_path):
    """300 tasks queued at once while three workers poll: every task runs once, and the work is shared."""
    log = tmp_path / "workers.log"
    with ExitStack() as stack:
        workers = {
            name: stack.enter_context(task_worker(name, "default", worker_env(), log))
            for name in ("worker-a", "worker-b", "worker-c")
        }
        wait_until(lambda: connected_workers() >= 3, "all three workers polling the queue", workers, log)
        # One transaction: the whole batch becomes visible to the three workers at the same moment.
        with transaction.atomic():
            ids = {str(record_run.enqueue().id) for _ in range(300)}
        wait_until(lambda: unfinished(ids) == 0, "all 300 tasks to finish", workers, log)
        pids = {proc.pid: name for name, proc in workers.items()}

    results = DBTaskResult.objects.filter(pk__in=ids)
    assert sorted(set(results.values_list("status", flat=True))) == [TaskResultStatus.SUCCESSFUL]
    runs = recorded_runs()
    assert Counter(task_id for task_id, _ in runs) == dict.fromkeys(ids, 1)
    # Each task was claimed once, by the worker whose process then ran it.
    claims = {str(pk): worker_ids for pk, worker_ids in results.values_list("pk", "worker_ids")}
    assert all(len(worker_ids) == 1 for worker_ids in claims.values())
    assert all(claims[task_id] == [pids[pid]] for task_id, pid in runs)
    # Shared, not drained by the first to wake: each run holds its worker for a moment, and the
    # others poll every 0.2 s. (All three usually take part; a busy machine may starve one.)
    assert len({pid for _, pid in runs}) >= 2, Counter(pids[pid] for _, pid in runs)


# --- a worker killed in the middle of a transcode ---------------------------------------------------

# Housekeeping takes a job as dead after this many seconds without a heartbeat. Every process gets
# the same value (a live job renews its lease ten times per period), as on a real deployment.
STALE_AFTER = "8"


def make_noisy_clip(path: Path, seconds: int) -> Path:
    """A 640x360 clip of moving noise: expensive to encode, so a slow preset takes seconds."""
    subprocess.run(  # noqa: S603 - argv list, no shell
        [ffmpeg(), "-v", "error", "-y", "-f", "lavfi"]
        + ["-i", f"testsrc=size=640x360:rate=24:duration={seconds},noise=alls=60:allf=t"]
        + ["-f", "lavfi", "-i", f"sine=duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )
    return path


def stored_under(prefix: str) -> set[str]:
    """Every file the (local) video storage holds under ``prefix``."""
    root = Path(django_settings.VIDEO_ROOT)
    return {p.relative_to(root).as_posix() for p in (root / prefix).rglob("*") if p.is_file()}


def one_set_of_outputs(video: Video) -> set[str]:
    """What a single finished run leaves: the master playlist, each rung's playlist and the segments it lists."""
    prefix = f"{video.outputs_prefix}hls/"
    expected = {f"{prefix}master.m3u8"}
    for rendition in video.renditions:
        playlist = rendition["playlist"]
        expected.add(playlist)
        folder = playlist.rpartition("/")[0]
        segments = re.findall(r"^[^#\s].*$", storage.read_text(playlist), re.MULTILINE)
        expected |= {f"{folder}/{segment}" for segment in segments}
    return expected


def process_video_results() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=video_tasks.process_video.module_path).order_by("enqueued_at"))


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transcode_whose_worker_is_killed_is_finished_once_by_another_worker(settings, tmp_path):
    """kill -9 the worker mid-ffmpeg: housekeeping (run by a worker) re-queues the job, a worker on
    another "machine" takes it, and the video becomes ready once: two attempts, one set of outputs,
    one "ready" notification to its owner."""
    log, scratch = tmp_path / "workers.log", tmp_path / "tmp"
    scratch.mkdir()
    owner = UserFactory(email="maker@example.com", display_name="Maker")
    video = uploaded_video(make_noisy_clip(tmp_path / "noisy.mp4", seconds=10), owner=owner)
    env = worker_env(
        TEST_MEDIA_ROOT=str(tmp_path / "media"),
        TEST_VIDEO_ROOT=str(settings.VIDEO_ROOT),
        TMPDIR=str(scratch),  # the jobs' work directories
        VIDEO_PROCESSING_STALE_AFTER=STALE_AFTER,
        VIDEO_HOUSEKEEPING_INTERVAL="1",
    )
    video_tasks.start_processing(video)  # autocommit: queued at once

    def state() -> tuple[str, int]:
        return Video.objects.values_list("status", "progress").get(pk=video.pk)

    with ExitStack() as stack:
        # A slow preset, so ffmpeg is still encoding when the worker dies.
        doomed = stack.enter_context(task_worker("doomed", "transcode", {**env, "VIDEO_X264_PRESET": "slower"}, log))
        workers = {"doomed": doomed}
        wait_until(lambda: state()[1] > 0, "the transcode to report progress", workers, log)
        assert state()[0] == VideoStatus.PROCESSING, "finished before it could be killed"
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait()

        workers = {
            "survivor": stack.enter_context(
                task_worker("survivor", "transcode", {**env, "VIDEO_X264_PRESET": "ultrafast"}, log)
            ),
            "housekeeper": stack.enter_context(task_worker("housekeeper", "default", env, log)),
        }
        housekeeping.schedule_housekeeping()
        wait_until(lambda: state()[0] != VideoStatus.PROCESSING, "the retried job to end", workers, log)

    video.refresh_from_db()
    assert video.status == VideoStatus.READY, (video.failure_reason, log.read_text())
    assert (video.processing_attempts, video.progress, video.processing_token) == (2, 100, None)
    # The killed run's task is left as it died; the one housekeeping queued ran on the other worker.
    killed, retried = process_video_results()
    assert (killed.status, killed.worker_ids) == (TaskResultStatus.RUNNING, ["doomed"])
    assert (retried.status, retried.worker_ids, retried.return_value) == (
        TaskResultStatus.SUCCESSFUL,
        ["survivor"],
        "ready",
    )
    assert stored_under(f"{video.outputs_prefix}hls/") == one_set_of_outputs(video)
    ready_notifications = Notification.objects.filter(recipient=owner, kind=Kind.VIDEO_PROCESSED)
    assert [n.params["ready"] for n in ready_notifications] == [True]
    assert list(scratch.glob("reelvision-video/*/*")) == [], "the dead run's work directory was swept"
