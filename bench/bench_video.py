"""Video benchmarks: transcoding against plain ffmpeg, and time to first frame on loopback.

    python -m bench.bench_video            # run by `bench/run video`

1. **Transcode.** A source clip (testsrc + tone, BENCH_VIDEO_SECONDS long at BENCH_VIDEO_SIZE) goes
   through our whole processing job (`videos.pipeline`: SHA-256, ffprobe, the one-pass ffmpeg
   run that writes the HLS ladder, poster and storyboard, upload to storage, database updates).
   The reference is a plain ffmpeg command writing the same ladder with the same encoder settings,
   and nothing else, in the same run. Runs alternate (reference, ours, reference, ours, ...) so
   that drift in machine load hits both; the medians are compared. Aim: ratio ≤ 1.05.
   Realtime factor = source duration / our time (> 1 is faster than real time).
2. **Time to first frame.** What a player does before it can show the first frame: ask for a
   playback authorisation (the API), fetch the signed master playlist, the first variant playlist
   and its first segment, over HTTP on loopback through gunicorn on production settings. The
   reference fetches the same three files from a plain static file server (Python's
   ``http.server`` over the same directory): the ratio is our cost for entitlement checks,
   signing and playlist rewriting.

Nothing here is pass/fail; timings never go into tests.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_VIDEO_SECONDS", "20"))
SIZE = os.environ.get("BENCH_VIDEO_SIZE", "1920x1080")
ROUNDS = int(os.environ.get("BENCH_VIDEO_ROUNDS", "3"))
TTFF_ROUNDS = int(os.environ.get("BENCH_TTFF_ROUNDS", "30"))


def setup_django(work: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["VIDEO_ROOT"] = str(work / "video-files")
    os.environ["CACHE_DIR"] = str(work / "cache")
    os.environ["BENCH_STATIC_ROOT"] = str(work / "static")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_source(path: Path) -> Path:
    from videos.tests.media import make_clip

    width, height = (int(v) for v in SIZE.split("x"))
    return make_clip(path, seconds=SECONDS, width=width, height=height, fps=25, audio=True)


def reference_command(source: Path, out_dir: Path) -> list[str]:
    """The same ladder with the same encoder settings, as one plain ffmpeg command."""
    from django.conf import settings

    from videos.probe import probe_video
    from videos.transcode import build_hls_command, plan_ladder

    info = probe_video(source)
    ladder = plan_ladder(info.width, info.height, info.has_audio)
    cmd = build_hls_command(source, out_dir, ladder, preset=settings.VIDEO_X264_PRESET)
    # The plain command: no progress pipe, no poster, no storyboard outputs.
    return strip_extras(cmd)


def strip_extras(cmd: list[str]) -> list[str]:
    """Drop ``-progress`` and any image outputs our pipeline adds to the same run, if present."""
    out, skip = [], False
    for arg in cmd:
        if skip:
            skip = False
        elif arg in ("-progress", "-stats_period"):
            skip = True
        else:
            out.append(arg)
    return out


def time_reference(source: Path, work: Path) -> float:
    out_dir = work / "reference"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    cmd = reference_command(source, out_dir)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)  # noqa: S603 - argv list
    return time.perf_counter() - started


def new_video(source: Path):
    from videos import storage
    from videos.models import Video, VideoStatus

    video = Video.objects.create(title="bench", status=VideoStatus.PROCESSING, original_filename=source.name)
    key = storage.put_file(source, f"videos/{video.pk}/original{source.suffix}", "video/mp4")
    Video.objects.filter(pk=video.pk).update(original_key=key, size=source.stat().st_size)
    return video


def time_ours(source: Path) -> tuple[float, int]:
    from videos.models import Video, VideoStatus
    from videos.tasks import process_video

    video = new_video(source)
    started = time.perf_counter()
    process_video.call(video.pk)
    elapsed = time.perf_counter() - started
    video = Video.objects.get(pk=video.pk)
    if video.status != VideoStatus.READY:
        sys.exit(f"bench: our pipeline did not finish: {video.status} {video.failure_reason}")
    return elapsed, video.pk


def transcode_bench(work: Path) -> dict:
    source = make_source(work / "source.mp4")
    reference, ours, video_pk = [], [], None
    for _ in range(ROUNDS):
        reference.append(time_reference(source, work))
        elapsed, video_pk = time_ours(source)
        ours.append(elapsed)
        # A second upload of the same bytes is deduplicated by SHA-256; the bench wants real work
        # every round, so the previous round's video forgets its hash.
        from videos.models import Video

        Video.objects.filter(pk=video_pk).update(sha256="")
    ref_median, ours_median = statistics.median(reference), statistics.median(ours)
    return {
        "source": f"{SECONDS:g} s, {SIZE}, H.264 + AAC",
        "reference_s": reference,
        "ours_s": ours,
        "ratio": ours_median / ref_median,
        "realtime_factor": SECONDS / ours_median,
        "video_pk": video_pk,
    }


# --- time to first frame ---------------------------------------------------------------------


def start_gunicorn(port: int, probe_path: str = "/") -> subprocess.Popen:
    env = dict(os.environ)
    proc = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/gunicorn"), "reelvision.wsgi:application", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe_path}", timeout=2)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.2)
    return proc


def fetch(url: str, headers: dict | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()


def first_uri(playlist: str) -> str:
    return next(line for line in playlist.splitlines() if line and not line.startswith("#"))


def ttff_ours(base: str, film_id: int) -> float:
    started = time.perf_counter()
    config = json.loads(fetch(f"{base}/api/v2/playback/{film_id}/"))
    master_url = config["film"]["master_url"]
    master_url = master_url if master_url.startswith("http") else base + master_url
    master = fetch(master_url).decode()
    variant_url = urllib.parse.urljoin(master_url, first_uri(master))
    variant = fetch(variant_url).decode()
    segment_url = urllib.parse.urljoin(variant_url, first_uri(variant))
    fetch(segment_url)
    return time.perf_counter() - started


def ttff_reference(base: str, master_path: str) -> float:
    started = time.perf_counter()
    master_url = f"{base}/{master_path}"
    master = fetch(master_url).decode()
    variant_url = urllib.parse.urljoin(master_url, first_uri(master))
    variant = fetch(variant_url).decode()
    fetch(urllib.parse.urljoin(variant_url, first_uri(variant)))
    return time.perf_counter() - started


def ttff_bench(work: Path, video_pk: int) -> dict:
    from films.tests.factories import FilmPageFactory, film_index
    from videos.models import Video

    video = Video.objects.get(pk=video_pk)
    film = FilmPageFactory(parent=film_index(), title="Bench film", price=0, main_video=video)

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(QuietHandler, directory=str(work / "media"))
    static_server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=static_server.serve_forever, daemon=True).start()
    static_base = f"http://127.0.0.1:{static_server.server_address[1]}"

    port = free_port()
    gunicorn = start_gunicorn(port, f"/api/v2/playback/{film.pk}/")
    base = f"http://127.0.0.1:{port}"
    try:
        ttff_ours(base, film.pk)  # warm both workers' imports and connections
        ttff_ours(base, film.pk)
        ttff_reference(static_base, video.hls_master_key)
        ours, reference = [], []
        for _ in range(TTFF_ROUNDS):
            reference.append(ttff_reference(static_base, video.hls_master_key))
            ours.append(ttff_ours(base, film.pk))
    finally:
        gunicorn.terminate()
        gunicorn.wait()
        static_server.shutdown()
    return {
        "ours_ms": statistics.median(ours) * 1000,
        "reference_ms": statistics.median(reference) * 1000,
        "ratio": statistics.median(ours) / statistics.median(reference),
        "ours_p90_ms": sorted(ours)[int(len(ours) * 0.9) - 1] * 1000,
    }


def main() -> None:
    work = Path(os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="reelvision-bench-video."))
    work.mkdir(parents=True, exist_ok=True)
    try:
        setup_django(work)
        from videos.ffmpeg import find_ffmpeg

        print(f"ffmpeg: {find_ffmpeg()}; {os.cpu_count()} cores; work directory {work}")
        transcode = transcode_bench(work)
        print("\nTranscode (median of", ROUNDS, "alternating rounds)")
        print(f"  source                 {transcode['source']}")
        print(f"  plain ffmpeg ladder    {statistics.median(transcode['reference_s']):7.2f} s   (reference)")
        print(f"  our processing job     {statistics.median(transcode['ours_s']):7.2f} s")
        print(f"  ratio                  {transcode['ratio']:7.3f}     (aim ≤ 1.05)")
        print(f"  realtime factor        {transcode['realtime_factor']:7.2f}×    (source seconds per second)")
        ttff = ttff_bench(work, transcode["video_pk"])
        print(f"\nTime to first frame on loopback (median of {TTFF_ROUNDS}; API + master + variant + first segment)")
        print(f"  static file server     {ttff['reference_ms']:7.1f} ms  (reference)")
        print(f"  ReelVision (gunicorn)  {ttff['ours_ms']:7.1f} ms  (p90 {ttff['ours_p90_ms']:.1f} ms)")
        print(f"  ratio                  {ttff['ratio']:7.2f}")
        (work / "video.json").write_text(json.dumps({"transcode": transcode, "ttff": ttff}, indent=2))
    finally:
        if not os.environ.get("BENCH_KEEP") and not os.environ.get("BENCH_WORK"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
