"""Demo videos: short generated clips, uploaded and processed like a creator's.

``manage.py load_demo_videos`` (run by ``bin/run`` after ``load_demo_content``) makes a free film
with captions, a paid film with a trailer and a funding project with a trailer watchable, and gives
every other finished film a tiny clip (a few seconds at low resolution, its title on a card of its
poster's colours), so every finished demo film can be watched and bought. Each clip
is drawn by ffmpeg (a slow colour gradient, the title, a tone), stored as the video's original, and
handed to the same processing job real uploads go through, so the worker started by ``bin/run``
transcodes them in the background. Safe to repeat: pages that already have their video are skipped.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from films.models import FilmBasePage
from videos import storage
from videos.captions import import_caption
from videos.ffmpeg import find_ffmpeg
from videos.models import Video, VideoStatus
from videos.tasks import start_processing

from . import data

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


@dataclass(frozen=True)
class DemoVideo:
    page_slug: str
    kind: str  # "main_video" or "trailer"
    seconds: int
    colours: tuple[str, str]
    size: str = "1280x720"


DEMO_VIDEOS = (
    DemoVideo("winter-bus-stop", "main_video", 60, ("0x1b2a49", "0x9fb7d4")),
    DemoVideo("winter-bus-stop", "trailer", 15, ("0x1b2a49", "0xe8eef5")),
    DemoVideo("room-404", "main_video", 60, ("0x1d1f24", "0x6c7a89")),
    DemoVideo("room-404", "trailer", 15, ("0x1d1f24", "0xc9a227")),
    DemoVideo("blue-memory", "trailer", 15, ("0x0b3d91", "0x7fb2f0")),
)

# Every other finished film: rendering and transcoding a clip this small takes a second or two, so
# the whole catalogue is playable a few minutes after the first start.
SHORT_CLIP_SECONDS = 4
SHORT_CLIP_SIZE = "320x180"


def demo_videos() -> tuple[DemoVideo, ...]:
    """The hand-made clips, then a short main video for each finished film that has none among them."""
    with_main = {demo.page_slug for demo in DEMO_VIDEOS if demo.kind == "main_video"}
    short = tuple(
        DemoVideo(
            film.slug,
            "main_video",
            SHORT_CLIP_SECONDS,
            (_ffmpeg_colour(film.palette.top), _ffmpeg_colour(film.palette.bottom)),
            SHORT_CLIP_SIZE,
        )
        for film in data.FILMS
        if film.slug not in with_main
    )
    return DEMO_VIDEOS + short


def _ffmpeg_colour(hex_colour: str) -> str:
    return "0x" + hex_colour.lstrip("#")


# Dialogue for the free film's caption tracks (SRT, as creators usually have them).
CAPTIONS = {
    "ko": (
        "한국어",
        [
            (1, 5, "막차… 아직 안 왔죠?"),
            (6, 10, "삼십 분째 기다리는 중이에요."),
            (12, 17, "서울 가세요? 이 밤에?"),
            (19, 24, "네. 내일 아침에 면접이 있어서요."),
            (27, 33, "눈이 이렇게 오는데 버스가 올까요."),
            (36, 42, "안 오면… 걸을까요?"),
            (45, 52, "여기서 읍내까지 두 시간이에요."),
            (54, 59, "그럼 이야기할 시간은 충분하네요."),
        ],
    ),
    "en": (
        "English",
        [
            (1, 5, "The last bus… it hasn't come yet, has it?"),
            (6, 10, "I've been waiting half an hour."),
            (12, 17, "Going to Seoul? At this time of night?"),
            (19, 24, "Yes. I have an interview in the morning."),
            (27, 33, "In snow like this, will a bus even come?"),
            (36, 42, "If it doesn't… shall we walk?"),
            (45, 52, "It's two hours to town from here."),
            (54, 59, "Then we have plenty of time to talk."),
        ],
    ),
}


def _srt_time(seconds: int) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d},000"


def srt_for(cues: list[tuple[int, int, str]]) -> str:
    blocks = [f"{n}\n{_srt_time(start)} --> {_srt_time(end)}\n{text}\n" for n, (start, end, text) in enumerate(cues, 1)]
    return "\n".join(blocks)


def _escape_filter_path(path: Path) -> str:
    return str(path).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def render_clip(out: Path, title: str, subtitle: str, demo: DemoVideo, work: Path) -> Path:
    """An H.264/AAC clip of `demo.size`: a drifting gradient with the title, and a quiet tone."""
    title_file, subtitle_file = work / "title.txt", work / "subtitle.txt"
    title_file.write_text(title, encoding="utf-8")
    subtitle_file.write_text(subtitle, encoding="utf-8")
    c0, c1 = demo.colours
    width, height = (int(n) for n in demo.size.split("x"))
    # A smooth gradient looks the same drawn at a quarter of the size and scaled up, for half the CPU time.
    video = (
        f"gradients=s={width // 4}x{height // 4}:c0={c0}:c1={c1}:speed=0.01:rate=25:duration={demo.seconds},"
        f"scale={width}:{height}"
    )
    scale = height / 720  # the lettering was laid out for 720 lines
    filters = []
    if FONT.exists():
        font = _escape_filter_path(FONT)
        filters += [
            f"drawtext=fontfile='{font}':textfile='{_escape_filter_path(title_file)}':fontcolor=white:"
            f"fontsize={round(64 * scale)}:x=(w-text_w)/2:y=(h-text_h)/2-{round(30 * scale)}:"
            "shadowcolor=black@0.5:shadowx=2:shadowy=2",
            f"drawtext=fontfile='{font}':textfile='{_escape_filter_path(subtitle_file)}':fontcolor=white@0.8:"
            f"fontsize={round(28 * scale)}:x=(w-text_w)/2:y=(h/2)+{round(40 * scale)}",
            f"drawtext=fontfile='{font}':text='%{{pts\\:hms}}':fontcolor=white@0.7:fontsize={round(24 * scale)}:"
            f"x=w-text_w-{round(32 * scale)}:y=h-{round(56 * scale)}",
        ]
    args = [find_ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    args += ["-f", "lavfi", "-i", video]
    args += ["-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={demo.seconds}"]
    if filters:
        args += ["-vf", ",".join(filters)]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k"]
    args += ["-af", "volume=0.05", "-shortest", "-movflags", "+faststart", str(out)]
    subprocess.run(args, check=True, capture_output=True)  # noqa: S603 - argv list, no shell
    return out


def load_demo_videos(stdout=None) -> int:
    """Create and enqueue the demo videos that are missing; returns how many were made."""

    films = {film.slug: film for film in (*data.FILMS, *data.PROJECTS)}
    users = {user.email: user for user in get_user_model().objects.filter(email__in=[data.CREATOR_1, data.CREATOR_2])}
    made = 0
    with tempfile.TemporaryDirectory(prefix="reelvision-demo-video.") as tmp:
        work = Path(tmp)
        for demo in demo_videos():
            page = FilmBasePage.objects.filter(slug=demo.page_slug).first()
            if page is None or getattr(page, f"{demo.kind}_id"):
                continue
            film = films[demo.page_slug]
            owner = users.get(film.owner) or page.owner
            label = "예고편 · Trailer" if demo.kind == "trailer" else "데모 영상 · Demo film"
            if stdout:
                stdout.write(
                    f"  rendering {demo.seconds} s {demo.size} {demo.kind.replace('_', ' ')} for {film.title_en}…"
                )
            clip = render_clip(work / f"{demo.page_slug}-{demo.kind}.mp4", film.title, label, demo, work)
            with transaction.atomic():
                video = Video.objects.create(
                    title=f"{film.title} — {'예고편' if demo.kind == 'trailer' else '본편'}",
                    owner=owner,
                    status=VideoStatus.UPLOADING,
                    original_filename=clip.name,
                    content_type="video/mp4",
                    size=clip.stat().st_size,
                )
                video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
                video.save(update_fields=["original_key"])
                if demo.kind == "main_video" and demo.page_slug == "winter-bus-stop":
                    _add_captions(video)
                _attach(page, demo.kind, video, owner)
                start_processing(video)
            made += 1
    return made


def _add_captions(video: Video) -> None:

    for language, (label, cues) in CAPTIONS.items():
        upload = ContentFile(srt_for(cues).encode("utf-8"), name=f"{language}.srt")
        import_caption(video, language, label, upload)


def _attach(page: FilmBasePage, kind: str, video: Video, user) -> None:
    """Set the video on the page's latest revision and publish it, so the editor shows it too."""
    page = page.specific.get_latest_revision_as_object()
    setattr(page, kind, video)
    revision = page.save_revision(user=user, log_action=True)
    if page.live:
        revision.publish()  # the demo stands in for staff approving it
