"""What a reader of a page meets, for the tests that check a page is all in one language.

`ReadableText(language)` collects the text and the readable attributes (alt, title, aria-label,
placeholder, label, a button's value) outside script, style and template, and outside anything
marked as written in another language (`lang="ko"` on an English page). With `head=True` it also
reads the document's title and its description and Open Graph meta tags; otherwise the head is
skipped.
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.utils import translation
from django.utils.translation import gettext

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READABLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "value", "label")
BUTTON_TYPES = ("button", "submit", "reset")


class ReadableText(HTMLParser):
    def __init__(self, language: str = "en", *, head: bool = False):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.head = head
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        lang = attrs.get("lang") or self.language
        skipped = (
            tag in ("script", "style", "template")
            or (tag == "head" and not self.head)
            or not lang.startswith(self.language)
        )
        if not skipped and not self._skipping():
            if tag == "meta":
                if attrs.get("name") == "description" or attrs.get("property", "").startswith("og:"):
                    self.parts.append(attrs.get("content", ""))
            else:
                readable = [name for name in READABLE_ATTRIBUTES if attrs.get(name)]
                if tag != "input" or attrs.get("type") not in BUTTON_TYPES:
                    readable = [name for name in readable if name != "value"]  # a button's words, not data
                self.parts += [attrs[name] for name in readable]
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def readable_text(html: str, language: str = "en", *, head: bool = False) -> str:
    reader = ReadableText(language, head=head)
    reader.feed(html)
    return " ".join(reader.parts)


def in_language(language: str, text: str) -> str:
    """`text` as the site shows it in `language` ("ko", "en")."""
    with translation.override(language):
        return gettext(text)
