"""What other apps hand to notifications through Wagtail hooks rather than signals: an app that
nothing may import (live) cannot offer a signal to listen to, so it calls whoever registered its
hook with the plain facts of the event."""

from __future__ import annotations

from datetime import datetime

from wagtail import hooks

from . import delivery
from .models import Kind


@hooks.register("premiere_starting_soon")
def tell_premiere_starting_soon(
    *, key: str, member_ids: list[int], page, title: str, starts_at: datetime, url: str
) -> int:
    """Members who asked "remind me" hear that the premiere starts soon, once per `key` (the
    premiere and its start time), on the site and by e-mail as their preferences say."""
    params = {
        "title": page.title,
        "title_en": getattr(page, "title_en", "") or "",
        "premiere": title,
        "starts_at": starts_at.isoformat(),
    }
    return delivery.notify(member_ids, Kind.PREMIERE_STARTING, key, params, url)
