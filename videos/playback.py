"""What players and pages get of a video: signed URLs for its output files (bound to the viewer who
asked), its chapters and its advisories."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from videos import signing
from videos.models import AdvisoryKind, ContentFlag, FlagStatus


def _path_below(video, key: str) -> str:
    for prefix in (video.storage_prefix or video.outputs_prefix, video.outputs_prefix):
        if key.startswith(prefix):
            return key[len(prefix) :]
    raise ValueError(f"{key} is not below the folder of video {video.pk}")


def file_url(request, video, key: str, lifetime: int | None = None, *, anyone: bool = False) -> str:
    """A signed, absolute URL for one of the video's output files, bound to the current viewer (or,
    `anyone`, usable by every viewer: only for preview clips, see `signing.ANYONE`)."""
    return request.build_absolute_uri(
        signing.signed_url(
            video.pk,
            _path_below(video, key),
            signing.ANYONE if anyone else signing.viewer_of(request.user),
            lifetime or settings.VIDEO_SEGMENT_URL_TTL,
        )
    )


def chapters(video) -> list[dict]:
    """The video's chapters for a player: start (seconds) and title, in the active language (the
    English title in English when there is one)."""
    english = (get_language() or "").startswith("en")
    return [
        {"start": chapter.start, "title": (chapter.title_en if english and chapter.title_en else chapter.title)}
        for chapter in video.chapters.all()
    ]


def advisories(video) -> list[dict]:
    """What staff confirmed of the sensitive-content scan's flags (`ContentFlag`), one advisory per
    kind with its moments in time order: `[{"kind", "label", "moments": [{"start", "end"}]}]`."""
    found: dict[str, list[dict]] = {}
    for flag in ContentFlag.objects.filter(video=video, status=FlagStatus.CONFIRMED).order_by("start"):
        found.setdefault(flag.kind, []).append({"start": flag.start, "end": flag.end})
    return [
        {"kind": kind, "label": str(AdvisoryKind(kind).label), "moments": moments} for kind, moments in found.items()
    ]
