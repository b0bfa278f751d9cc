"""Who may watch a premiere: its live stream and its replay (asked on every playlist and segment).

A free premiere is for everyone, visitors too. A ticketed one is for its page's owner, the member
who scheduled it, staff, and whoever holds a ticket (`live.tickets`): a ticket refunded in full
ends playback at the player's next request.
"""

from __future__ import annotations

from live import tickets
from live.models import Premiere
from videos.access import is_staff_member


def may_watch_premiere(user, premiere: Premiere, *, holds_ticket: bool | None = None) -> bool:
    """`holds_ticket`: whether `user` holds a ticket, when the caller has asked already (None: ask)."""
    if premiere.ticket_price == 0:
        return True
    if not user.is_authenticated:
        return False
    if holds_ticket or user.pk in (premiere.page.owner_id, premiere.created_by_id) or is_staff_member(user):
        return True
    return tickets.holds_ticket(user, premiere) if holds_ticket is None else False


def watchable(user, premieres) -> set[int]:
    """The ids of those of `premieres` that `user` may watch, as `may_watch_premiere` answers one by
    one, in at most two queries (staff, and the tickets held)."""
    premieres = list(premieres)
    free = {premiere.pk for premiere in premieres if premiere.ticket_price == 0}
    ticketed = [premiere for premiere in premieres if premiere.ticket_price > 0]
    if not user.is_authenticated or not ticketed:
        return free
    if is_staff_member(user):
        return free | {premiere.pk for premiere in ticketed}
    held = tickets.held(user, ticketed)
    return (
        free
        | {premiere.pk for premiere in ticketed if user.pk in (premiere.page.owner_id, premiere.created_by_id)}
        | held
    )


def may_stream_video(user, video) -> bool | None:
    """The `may_stream_video` hook: a premiere's replay is for whoever may watch the premiere."""
    premiere = Premiere.objects.filter(replay=video).select_related("page").first()
    if premiere is None:
        return None
    return may_watch_premiere(user, premiere)
