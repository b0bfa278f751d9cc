"""Caption tracks: WebVTT or SRT in, WebVTT out, with every broken cue reported by line number.

Korean SRT files are often not UTF-8 but CP949 (EUC-KR's superset), so the text encoding is
detected: a byte-order mark (UTF-8, UTF-16) first, then strict UTF-8, EUC-KR, CP949 (accepted only
when its rarer extension syllables are not the majority, so a Windows-1252 "don’t" is not read as
Korean), Windows-1252, and Latin-1 last. Files with NUL or other control bytes are refused.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from reelvision.korean import agree
from videos import storage
from videos.models import Caption

MAX_BYTES = 2 * 1024 * 1024
MAX_LABEL_LENGTH = Caption._meta.get_field("label").max_length
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?P<settings>.*)$"
)
ALLOWED_TAGS = re.compile(r"</?(?:i|b|u)>")
ANY_TAG = re.compile(r"<[^>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class CaptionError(Exception):
    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        super().__init__("; ".join(f"Line {line}: {msg}" if line else msg for line, msg in problems))


@dataclass
class Cue:
    start: float
    end: float
    text: str
    settings: str = ""


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding; a file whose byte-order mark promises UTF-8 or UTF-16 but whose
    bytes are not is a CaptionError, not a guess."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8"), "utf-8-sig"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "utf-16"
    except UnicodeDecodeError:
        raise CaptionError(
            [(None, _("The file starts like a Unicode text file but is not one. Save it again as UTF-8."))]
        ) from None
    for encoding in ("utf-8", "euc-kr", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp949" and not _plausible_cp949(data):
            continue
        return text, encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _plausible_cp949(data: bytes) -> bool:
    """CP949 adds 8,822 rarer syllables to EUC-KR; real Korean text uses them only now and then.

    Text in another 8-bit encoding that happens to decode (Windows-1252 "don\x92t") pairs a high
    byte with an ASCII one, which in CP949 is always one of those extension syllables: when they are
    the majority of the two-byte characters, it is not Korean.
    """
    double = extension = 0
    i = 0
    while i < len(data):
        if data[i] < 0x80:
            i += 1
            continue
        double += 1
        if i + 1 < len(data) and data[i + 1] < 0xA1:
            extension += 1
        i += 2
    return double > 0 and extension * 2 <= double


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    if minutes > 59 or seconds >= 60:
        raise ValueError(stamp)
    return hours * 3600 + minutes * 60 + seconds


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _clean(text: str) -> str:
    kept = ALLOWED_TAGS.sub(lambda m: "\0" + m.group(0)[1:-1] + "\0", text)
    stripped = ANY_TAG.sub("", kept)
    return re.sub(r"\0(/?\w)\0", r"<\1>", stripped).strip()


def parse(text: str) -> tuple[list[Cue], list[tuple[int | None, str]], str]:
    """Cues, problems (line number, message) and the source format ("vtt" or "srt")."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    source_format = "vtt" if lines and lines[0].lstrip("\ufeff").startswith("WEBVTT") else "srt"
    cues, problems = [], []
    i = 1 if source_format == "vtt" else 0
    if source_format == "vtt":
        while i < len(lines) and lines[i].strip():  # header lines after WEBVTT
            i += 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        block_start = i
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        first = block[0].strip()
        if source_format == "vtt" and first.startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_index = next((n for n, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_index is None:
            problems.append((block_start + 1, _("this cue has no timing line (00:00:01,000 --> 00:00:02,000).")))
            continue
        line_no = block_start + timing_index + 1
        match = TIMING.match(block[timing_index])
        if not match:
            problems.append((line_no, _("this timing line cannot be read.")))
            continue
        try:
            start, end = _seconds(match["start"]), _seconds(match["end"])
        except ValueError:
            problems.append((line_no, _("this timing line has an impossible time.")))
            continue
        if end <= start:
            problems.append((line_no, _("the end time is not after the start time.")))
            continue
        body = _clean("\n".join(block[timing_index + 1 :]))
        if not body:
            problems.append((line_no, _("this cue has no text.")))
            continue
        settings = match["settings"].strip() if source_format == "vtt" else ""
        cues.append(Cue(start, end, body, settings))
    return cues, problems, source_format


def to_webvtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT", ""]
    for cue in cues:
        timing = f"{_stamp(cue.start)} --> {_stamp(cue.end)}"
        blocks += [f"{timing} {cue.settings}".rstrip(), cue.text, ""]
    return "\n".join(blocks)


def default_label(language: str) -> str:
    try:
        return get_language_info(language.lower())["name_local"]
    except KeyError:
        return language


def import_caption(video, language: str, label: str, uploaded_file) -> Caption:
    """Store ``uploaded_file`` as the video's ``language`` track (replacing any), or raise CaptionError."""
    language = (language or "").strip()
    if not LANGUAGE.match(language):
        message = _("“%(code)s” is not a language code such as ko, en or ja.") % {"code": language}
        raise CaptionError([(None, agree(message, [language]))])
    label = (label or "").strip()
    if len(label) > MAX_LABEL_LENGTH or CONTROL.search(label):
        # Checked before anything is stored: a refused track must leave the one it would replace alone.
        raise CaptionError(
            [
                (
                    None,
                    _("The label can be at most %(max)d characters, without control characters.")
                    % {"max": MAX_LABEL_LENGTH},
                )
            ]
        )
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CaptionError([(None, _("The caption file is larger than 2 MB."))])
    if not data.strip():
        raise CaptionError([(None, _("The caption file is empty."))])
    text, encoding = decode(data)
    if CONTROL.search(text):
        raise CaptionError([(None, _("This is not a text file. Upload a WebVTT (.vtt) or SubRip (.srt) file."))])
    cues, problems, source_format = parse(text)
    if problems:
        raise CaptionError(problems)
    if not cues:
        raise CaptionError([(None, _("No captions were found in this file."))])

    key = f"{video.outputs_prefix}captions/{language}.vtt"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "captions.vtt"
        path.write_text(to_webvtt(cues), encoding="utf-8")
        storage.put_file(path, key, "text/vtt")
    plain = unicodedata.normalize("NFC", "\n".join(ANY_TAG.sub("", cue.text) for cue in cues))
    caption, _created = Caption.objects.update_or_create(
        video=video,
        language=language,
        defaults={
            "label": label or default_label(language),
            "vtt_key": key,
            "source_format": source_format,
            "source_encoding": encoding,
            "cue_count": len(cues),
            "text": plain,
        },
    )
    return caption
