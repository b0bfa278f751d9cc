"""Real media for tests, made by ffmpeg itself (testsrc + a sine tone): no binary fixtures in git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def ffmpeg() -> str:
    try:
        from videos.ffmpeg import find_ffmpeg
    except ImportError:
        return shutil.which("ffmpeg") or "ffmpeg"
    return str(find_ffmpeg())


def make_clip(
    path: Path | str,
    *,
    seconds: float = 3,
    width: int = 640,
    height: int = 360,
    fps: int = 24,
    audio: bool = True,
    faststart: bool = False,
    noise: bool = False,
) -> Path:
    """An H.264/AAC MP4 (or whatever the suffix says) of a moving test pattern with a 440 Hz tone.

    ``noise`` makes a big file quickly (lossless noise: about 5 MB a second at 640x360), for
    uploads that need several parts.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    args = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    source = f"testsrc=size={width}x{height}:rate={fps}:duration={seconds}"
    args += ["-f", "lavfi", "-i", source + (",noise=alls=60:allf=t+u" if noise else "")]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(fps)]
    if noise:
        args += ["-qp", "0"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "64k", "-shortest"]
    if faststart and path.suffix == ".mp4":
        args += ["-movflags", "+faststart"]
    args.append(str(path))
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 - argv list, no shell
    return path


def make_audio_only(path: Path | str, seconds: float = 2) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi"]
        + ["-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}", "-c:a", "aac", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def make_color_steps(
    path: Path | str, colors: list[str], *, seconds_each: float = 1, width: int = 640, height: int = 360, fps: int = 24
) -> Path:
    """An H.264/AAC MP4 of solid colours (``"0xff0000"`` …), each ``seconds_each`` long, with a tone:
    a frame's colour tells when in the clip it was, and every change of colour is a hard cut."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    seconds = seconds_each * len(colors)
    args = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    for color in colors:
        args += ["-f", "lavfi", "-i", f"color=c={color}:s={width}x{height}:r={fps}:d={seconds_each}"]
    args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    inputs = "".join(f"[{i}:v]" for i in range(len(colors)))
    args += ["-filter_complex", f"{inputs}concat=n={len(colors)}:v=1:a=0[v]", "-map", "[v]", "-map", f"{len(colors)}:a"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(fps)]
    args += ["-c:a", "aac", "-b:a", "64k", "-shortest", str(path)]
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 - argv list, no shell
    return path


# Test patterns that look nothing alike: a change from one to the next is a hard cut.
SHOT_PATTERNS = ("testsrc2", "smptehdbars", "mandelbrot", "rgbtestsrc", "testsrc", "cellauto")


def make_shots(
    path: Path | str, shots: list[tuple[str, int]], *, fps: int = 25, width: int = 640, height: int = 360
) -> Path:
    """A silent H.264 MP4 of shots, each `(lavfi source, frames)`, one after another: the first frame
    of every shot but the first is a planted hard cut. A source is a lavfi pattern name
    (`SHOT_PATTERNS`) or a full lavfi source (`"color=c=black"`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    args = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    for source, _frames in shots:
        args += ["-f", "lavfi", "-i", f"{source}{':' if '=' in source else '='}s={width}x{height}:r={fps}"]
    trims = "".join(
        f"[{i}:v]trim=end_frame={frames},setpts=PTS-STARTPTS,format=yuv420p[s{i}];"
        for i, (_s, frames) in enumerate(shots)
    )
    inputs = "".join(f"[s{i}]" for i in range(len(shots)))
    args += ["-filter_complex", f"{trims}{inputs}concat=n={len(shots)}:v=1:a=0[v]", "-map", "[v]"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(fps * 2), str(path)]
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 - argv list, no shell
    return path


def make_photo_clip(
    path: Path | str,
    photo,
    *,
    seconds: float = 8,
    shown: tuple[float, float] = (2, 6),
    width: int = 640,
    height: int = 360,
    photo_height: int = 220,
    fps: int = 24,
) -> Path:
    """An MP4 of a grey frame across which `photo` (an RGB array, e.g. `skimage.data.astronaut()`)
    slides from left to right while `shown` (start, end in seconds); grey before and after."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture = path.with_suffix(".png")
    Image.fromarray(photo).save(picture)
    start, end = shown
    slide = f"(W-w)*(t-{start})/{max(end - start, 0.001)}"
    graph = (
        f"[1:v]scale=-2:{photo_height}[photo];"
        f"[0:v][photo]overlay=x='{slide}':y=(H-h)/2:enable='between(t,{start},{end})',format=yuv420p[out]"
    )
    subprocess.run(  # noqa: S603 - argv list, no shell
        [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
        + ["-f", "lavfi", "-i", f"color=c=gray:size={width}x{height}:rate={fps}:duration={seconds}"]
        + ["-loop", "1", "-framerate", str(fps), "-i", str(picture)]
        + ["-filter_complex", graph, "-map", "[out]", "-t", str(seconds)]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(fps), str(path)],
        check=True,
        capture_output=True,
    )
    picture.unlink()
    return path


def make_two_faces_clip(
    path: Path | str, photo, *, seconds: float = 6, fps: int = 25, width: int = 640, height: int = 360
) -> Path:
    """An MP4 (with a tone) of two copies of `photo` (an RGB array): the first slides left to right
    along the top half, the second, mirrored, right to left along the bottom half, both on screen
    from start to end."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    first, second = path.with_name(path.stem + "-1.png"), path.with_name(path.stem + "-2.png")
    Image.fromarray(photo).save(first)
    Image.fromarray(photo[:, ::-1].copy()).save(second)
    across = f"(W-w)*t/{seconds}"
    side, top, bottom = height * 4 // 9, height // 36, height * 19 // 36
    graph = (
        f"[1:v]scale=-2:{side}[a];[2:v]scale=-2:{side}[b];"
        f"[0:v][a]overlay=x='{across}':y={top}[top];"
        f"[top][b]overlay=x='(W-w)-{across}':y={bottom},format=yuv420p[out]"
    )
    subprocess.run(  # noqa: S603 - argv list, no shell
        [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
        + ["-f", "lavfi", "-i", f"color=c=gray:size={width}x{height}:rate={fps}:duration={seconds}"]
        + [
            "-loop",
            "1",
            "-framerate",
            str(fps),
            "-i",
            str(first),
            "-loop",
            "1",
            "-framerate",
            str(fps),
            "-i",
            str(second),
        ]
        + ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
        + ["-filter_complex", graph, "-map", "[out]", "-map", "3:a", "-t", str(seconds)]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(fps), "-c:a", "aac", str(path)],
        check=True,
        capture_output=True,
    )
    first.unlink()
    second.unlink()
    return path
