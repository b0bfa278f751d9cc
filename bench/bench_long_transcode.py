"""A long transcode while housekeeping runs beside it: does the video end ready?

    python -m bench.bench_long_transcode      # run by `bench/run long-transcode`

A source of several minutes (testsrc + tone, BENCH_LONG_SECONDS at BENCH_LONG_SIZE) is queued like
an upload and transcoded by a real ``task_worker`` process, with ``VIDEO_PROCESSING_STALE_AFTER``
cut to BENCH_LONG_STALE_AFTER seconds, so the transcode lasts many times the stale timeout. Beside
it, ``manage.py video_housekeeping`` runs again and again, each time in a process of its own (as
cron or another worker would). A job whose heartbeat depended on ffmpeg's output was taken for dead,
lost its work directory and was re-queued until it failed; a job whose lease is renewed on a timer
keeps it. The report says how the video ended, after how many attempts, how often housekeeping ran
and re-queued anything, and the progress values seen while it worked.

Not pass/fail and not part of the test suite; about two minutes on two cores with the defaults.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_LONG_SECONDS", "300"))
SIZE = os.environ.get("BENCH_LONG_SIZE", "640x360")
STALE_AFTER = int(os.environ.get("BENCH_LONG_STALE_AFTER", "10"))
GIVE_UP_AFTER = float(os.environ.get("BENCH_LONG_TIMEOUT", "1800"))


def environment(work: Path) -> dict[str, str]:
    """The settings shared by this process, the worker and every housekeeping run."""
    return {
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "bench.settings"),
        # DATABASE_URL: an empty throwaway database (PostgreSQL, say); by default SQLite in the work directory.
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "VIDEO_ROOT": str(work / "video-files"),
        "CACHE_DIR": str(work / "cache"),
        "BENCH_STATIC_ROOT": str(work / "static"),
        "VIDEO_WORK_DIR": str(work / "scratch"),
        "VIDEO_PROCESSING_STALE_AFTER": str(STALE_AFTER),
    }


def manage(*args: str, env: dict, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **kwargs)  # noqa: S603


def queue_upload(source: Path):
    from django.db import transaction

    from videos import storage
    from videos import tasks as video_tasks
    from videos.models import Video, VideoStatus

    video = Video.objects.create(title="long transcode", status=VideoStatus.UPLOADING, original_filename=source.name)
    key = storage.put_file(source, f"videos/{video.pk}/original{source.suffix}", "video/mp4")
    Video.objects.filter(pk=video.pk).update(original_key=key, size=source.stat().st_size)
    with transaction.atomic():
        video_tasks.start_processing(video)
    return video


def main() -> None:
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="reelvision-long-transcode."))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **environment(work)}
    os.environ.update(env)
    worker = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from videos.models import Video, VideoStatus
        from videos.tests.media import make_clip

        call_command("migrate", verbosity=0, interactive=False)
        width, height = (int(v) for v in SIZE.split("x"))
        print(f"source: {SECONDS:.0f} s at {SIZE} (generating)...", flush=True)
        source = make_clip(work / "long.mp4", seconds=SECONDS, width=width, height=height, fps=25)
        video = queue_upload(source)

        log = (work / "worker.log").open("ab")
        args = ["task_worker", "--backend", "db", "--queue-name", "transcode", "--interval", "0.5"]
        worker = manage(*args, "--no-startup-delay", "--no-reload", env=env, stdout=log, stderr=subprocess.STDOUT)
        started = time.monotonic()
        rounds = requeued = 0
        progress_seen: list[int] = []
        status = VideoStatus.PROCESSING
        while status == VideoStatus.PROCESSING and time.monotonic() - started < GIVE_UP_AFTER:
            round_ = manage("video_housekeeping", env=env, stdout=subprocess.PIPE, text=True)
            out, _ = round_.communicate()
            rounds += 1
            found = re.search(r"re-queued (\d+)", out or "")
            requeued += int(found[1]) if found else 0
            status, progress = Video.objects.values_list("status", "progress").get(pk=video.pk)
            if status == VideoStatus.PROCESSING and (not progress_seen or progress != progress_seen[-1]):
                progress_seen.append(progress)
            if worker.poll() is not None:
                print(f"the worker exited with {worker.returncode}; see {work / 'worker.log'}")
                break
            time.sleep(1)
        elapsed = time.monotonic() - started
        video.refresh_from_db()

        print()
        print("Long transcode with housekeeping running beside it")
        print(f"  source                 {SECONDS:.0f} s, {SIZE}, H.264 + AAC")
        print(f"  stale after            {STALE_AFTER} s (the lease is renewed every {STALE_AFTER / 10:g} s)")
        print(f"  job took               {elapsed:.0f} s ({elapsed / STALE_AFTER:.0f}× the stale timeout)")
        print(f"  housekeeping rounds    {rounds} (separate processes), re-queued {requeued}")
        print(f"  progress seen          {', '.join(map(str, progress_seen)) or 'none'}")
        print(f"  attempts               {video.processing_attempts}")
        reason = f" ({video.failure_reason})" if video.failure_reason else ""
        print(f"  video ended            {video.status}{reason}")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=60)
        if not os.environ.get("BENCH_DIR") and os.environ.get("BENCH_KEEP", "0") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
