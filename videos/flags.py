"""Staff's decisions on the sensitive-content scan's flags (`ContentFlag`).

A confirmed flag becomes an advisory of the films that show the video (`playback.advisories`); a
dismissed one is kept, so that the next analysis does not flag the same moment again. Deciding
twice the same way changes nothing; the cached pages are retired when a decision changes what
pages show.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from page_cache.cache import invalidate_all_pages
from videos.models import ContentFlag, FlagStatus

DECISIONS = {"confirm": FlagStatus.CONFIRMED, "dismiss": FlagStatus.DISMISSED, "reopen": FlagStatus.PENDING}


def decide(flag: ContentFlag, decision: str, user) -> bool:
    """Apply `decision` ("confirm", "dismiss" or "reopen") to `flag`; whether anything changed."""
    status = DECISIONS[decision]
    with transaction.atomic():
        current = ContentFlag.objects.select_for_update().filter(pk=flag.pk).first()
        if current is None or current.status == status:
            return False
        was_advisory = current.status == FlagStatus.CONFIRMED
        current.status = status
        current.decided_by = None if status == FlagStatus.PENDING else user
        current.decided_at = None if status == FlagStatus.PENDING else timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
        if was_advisory or status == FlagStatus.CONFIRMED:
            transaction.on_commit(invalidate_all_pages)
    flag.status, flag.decided_by, flag.decided_at = current.status, current.decided_by, current.decided_at
    return True
