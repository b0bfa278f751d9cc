"""A film's dialogue as a transcript: every caption line with its time, and search within it.

The full transcript is part of the film: only viewers who may watch it get it. A
search within the film answers everyone with the lines that match (at most
`MAX_PUBLIC_MATCHES` for viewers who may not watch), as the site search does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from search.analysis import query_words
from search.indexing import caption_cues, catch_up
from search.models import Entry
from search.site_search import dialogue_lines
from videos.captions import ANY_TAG
from videos.models import Caption

MAX_PUBLIC_MATCHES = 10
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Line:
    start: float
    end: float
    text: str
    language: str


def tracks(film) -> list[Caption]:
    if film.main_video_id is None:
        return []
    return list(Caption.objects.filter(video_id=film.main_video_id).order_by("language"))


def pick_track(captions: list[Caption], language: str | None = None) -> Caption | None:
    """The track asked for, else the one in the visitor's language, else the first."""
    wanted = [language] if language else []
    wanted.append((get_language() or "ko").split("-")[0])
    for code in wanted:
        for caption in captions:
            if caption.language == code:
                return caption
    return captions[0] if captions else None


def full_transcript(caption: Caption) -> list[Line]:
    return [
        Line(cue.start, cue.end, " ".join(ANY_TAG.sub("", cue.text).split()), caption.language)
        for cue in caption_cues(caption)
    ]


def search_transcript(film, query: str, caption: Caption | None = None) -> list[Line]:
    """Lines of the film's main video that hold every word root of `query`, by time."""
    words = query_words(query[:MAX_QUERY_LENGTH])
    if not words or film.main_video_id is None:
        return []
    catch_up()
    spoken = dialogue_lines(words, videos=[film.main_video_id])
    if caption is not None:
        spoken = [line for line in spoken if line.caption_id == caption.pk]
    lines = [Line(line.start, line.end, line.text, line.language) for line in spoken]
    return sorted(lines, key=lambda line: (line.start, line.language))


def line_at(film, seconds: float, language: str | None = None) -> Line | None:
    """The line being spoken at `seconds` (or the last one before it), from the search index."""
    caption = pick_track(tracks(film), language)
    if caption is None:
        return None
    catch_up()
    entry = (
        Entry.objects.filter(caption=caption, start__lte=seconds + 0.5)
        .order_by("-start")
        .only("start", "end", "text")
        .first()
    )
    if entry is None:
        return None
    return Line(entry.start, entry.end, entry.text, caption.language)
