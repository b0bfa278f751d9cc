"""The words members write: cleaned before they are stored, and shown as plain text.

Cleaning (`clean`) normalises to NFC, removes what can disguise text — bidirectional overrides and
isolates, zero-width characters (except the joiner inside emoji), control characters — trims each
line, and keeps at most two empty lines in a row. What is stored is shown escaped, with web
addresses made into links (`rel="nofollow ugc noopener"`) and line breaks kept (`render`); nowhere is
it trusted as HTML.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

# Bidirectional embeddings, overrides and isolates: they can make "gpj.exe" read as "exe.jpg".
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
# Zero-width spaces and the like, used to slip words past filters; U+200D (joiner) is kept between
# emoji and removed elsewhere.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"))
STRAY_JOINER = re.compile(
    r"(?<![\U0001F000-\U0001FAFF\u2600-\u27BF])\u200d|\u200d(?![\U0001F000-\U0001FAFF\u2600-\u27BF])"
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BLANK_LINES = re.compile(r"\n{3,}")
LINK = re.compile(r"(https?://|www\.)\S+|\b[\w.-]+\.(com|net|org|kr|io|me|ly|co|xyz|app|site|link)\b(/\S*)?", re.I)


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(BIDI_CONTROLS).translate(INVISIBLE)
    text = STRAY_JOINER.sub("", text)
    text = CONTROL.sub("", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return BLANK_LINES.sub("\n\n", text).strip()


def comparable(text: str) -> str:
    """For matching watched words: case-folded, compatibility-normalised, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(text)).casefold())


def has_link(text: str) -> bool:
    return bool(LINK.search(text))


def render(text: str) -> SafeString:
    """Stored text as HTML: escaped, links clickable (never followed by search engines), breaks kept."""
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc noopener" target="_blank"')
    return mark_safe(linked.replace("\n", "<br>"))  # noqa: S308 (urlize escapes; it adds only <a>)


def excerpt(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
