"""Who may watch a premiere: its live stream and its replay (asked on every playlist and segment).

A free premiere is for everyone, visitors too. A ticketed one is for its page's owner, the member
who scheduled it, staff, and whoever holds a ticket: ticket rules answer through the
`may_watch_premiere` hook (`fn(user, premiere)` → True, or None when they have nothing to say), so
a refunded ticket ends playback at the player's next request.
"""

from __future__ import annotations

from wagtail import hooks

from live.models import Premiere
from videos.access import is_staff_member


def may_watch_premiere(user, premiere: Premiere) -> bool:
    if premiere.ticket_price == 0:
        return True
    if not user.is_authenticated:
        return False
    if user.pk in (premiere.page.owner_id, premiere.created_by_id) or is_staff_member(user):
        return True
    # Tickets: the scheduling part registers a rule that looks up the member's ticket for this premiere.
    return any(rule(user, premiere) for rule in hooks.get_hooks("may_watch_premiere"))


def may_stream_video(user, video) -> bool | None:
    """The `may_stream_video` hook: a premiere's replay is for whoever may watch the premiere."""
    premiere = Premiere.objects.filter(replay=video).select_related("page").first()
    if premiere is None:
        return None
    return may_watch_premiere(user, premiere)
