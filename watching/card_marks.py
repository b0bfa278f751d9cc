"""A member's marks on film cards ("owned", "watched", the progress bar), filled in after rendering.

A card's HTML is the same for everyone, so rendered cards and whole sections of them can be cached
once and served to every member. Where a member's marks belong, `includes/film_card.html` leaves a
slot: `<!--mine:ID-->`, what a visitor sees there (the price, "free" or "coming soon" badge),
`<!--/mine-->`. `CardMarksMiddleware` fills the slots of every HTML page in one pass of a regular
expression: for a film the member owns, the "owned" badge takes the slot's place; a film they
finished gets the "watched" badge, one they started the progress bar; every other slot (and every
slot on a visitor's page, which is what the anonymous page cache stores) keeps its own content.
The member's films come from `watching.ownership` (two queries, only when a page has a slot).
"""

from __future__ import annotations

import re

from django.utils.html import format_html
from django.utils.translation import gettext as _

from .ownership import Owned, films_for_request

SLOT = re.compile(r"<!--mine:(\d+)-->(.*?)<!--/mine-->", re.DOTALL)
SLOT_START = b"<!--mine:"


def fill_slots(html: str, films: dict[int, Owned]) -> str:
    """`html` with every card slot filled for a viewer who has `films` (empty for a visitor)."""
    if not films:
        return SLOT.sub(r"\2", html)
    owned_badge = format_html('<span class="badge badge--owned">{}</span>', _("Owned"))
    watched_badge = format_html(
        '<span class="badge badge--watched"><span aria-hidden="true">✓</span> {}</span>', _("Watched")
    )

    def fill(match: re.Match) -> str:
        film = films.get(int(match[1]))
        if film is None:
            return match[2]
        mark = ""
        if film.watched:
            mark = watched_badge
        elif film.percent:
            mark = format_html(
                '<progress class="film-card__progress" max="100" value="{}" aria-label="{}">{}%</progress>',
                film.percent,
                _("%(percent)s%% watched") % {"percent": film.percent},
                film.percent,
            )
        return (owned_badge if film.owned else match[2]) + mark

    return SLOT.sub(fill, html)


class CardMarksMiddleware:
    """Fills the card slots of HTML responses (see the module's docstring). Listed inside the
    anonymous page cache, so what it stores has its slots filled for a visitor already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or SLOT_START not in response.content
        ):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        response.content = fill_slots(html, films_for_request(request)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
