""" "Remind me": members ask to be told shortly before a premiere starts, and are told once.

The reminder goes out LIVE_REMINDER_MINUTES before the start (`send_due`, run every minute or so by
`tasks.send_reminders`). Each reminder remembers the start time it was sent for, so a premiere
moved to a later time reminds again, and nobody is reminded twice for one start time however often
the task runs or whether two runs overlap.

This app does not know how members are told: it hands the facts to whoever registered the
`premiere_starting_soon` hook (notifications, which words them in each member's language and
e-mails by their preferences). Nothing is imported either way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail import hooks

from .models import Premiere, PremiereReminder, PremiereStatus
from .schedule import shown

HOOK = "premiere_starting_soon"


def lead_time() -> timedelta:
    return timedelta(minutes=settings.LIVE_REMINDER_MINUTES)


def may_remind(premiere: Premiere, now: datetime | None = None) -> bool:
    """A reminder can still be asked for: the premiere has not started (or ended, or been cancelled)."""
    return premiere.status == PremiereStatus.SCHEDULED and premiere.starts_at > (now or timezone.now())


def is_reminded(member, premiere: Premiere) -> bool:
    if not member.is_authenticated:
        return False
    return PremiereReminder.objects.filter(member=member, premiere=premiere).exists()


def remind(member, premiere: Premiere) -> bool:
    """Ask for a reminder; True if the member has one now (False once it is too late to ask)."""
    if not may_remind(premiere):
        return is_reminded(member, premiere)
    PremiereReminder.objects.get_or_create(member=member, premiere=premiere)
    return True


def forget(member, premiere: Premiere) -> None:
    PremiereReminder.objects.filter(member=member, premiere=premiere).delete()


def reminded_premiere_ids(member, premiere_ids) -> set[int]:
    """Which of `premiere_ids` the member asked a reminder for (one query for a whole list)."""
    if not member.is_authenticated:
        return set()
    return set(
        PremiereReminder.objects.filter(member=member, premiere_id__in=list(premiere_ids)).values_list(
            "premiere_id", flat=True
        )
    )


def due(now: datetime | None = None):
    """Reminders to send now: their premiere starts within the lead time (or started less than the
    lead time ago: a task that ran late still tells members the premiere is on), and they were not
    sent for this start time."""
    now = now or timezone.now()
    lead = lead_time()
    premieres = shown().filter(
        status__in=[PremiereStatus.SCHEDULED, PremiereStatus.LIVE],
        starts_at__lte=now + lead,
        starts_at__gt=now - lead,
    )
    return PremiereReminder.objects.filter(premiere__in=premieres.values("pk")).filter(
        Q(reminded_for__isnull=True) | ~Q(reminded_for=F("premiere__starts_at"))
    )


def send_due(now: datetime | None = None) -> int:
    """Send every due reminder, one premiere at a time; returns how many members were reminded."""
    sent = 0
    premiere_ids = sorted(set(due(now).values_list("premiere_id", flat=True)))
    for premiere_id in premiere_ids:
        sent += _send_for(premiere_id, now)
    return sent


def _send_for(premiere_id: int, now: datetime | None) -> int:
    with transaction.atomic():
        # Rows locked and skipped by a concurrent run are that run's to send (SQLite serialises writers).
        claimed = list(
            due(now)
            .filter(premiere_id=premiere_id)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "member_id")
        )
        if not claimed:
            return 0
        premiere = Premiere.objects.select_related("page").get(pk=premiere_id)
        PremiereReminder.objects.filter(pk__in=[pk for pk, _member in claimed]).update(reminded_for=premiere.starts_at)
        page = premiere.page.specific
        facts = {
            "key": f"premiere:{premiere.pk}:{premiere.starts_at.isoformat()}",
            "member_ids": [member_id for _pk, member_id in claimed],
            "page": page,
            "title": premiere.title,
            "starts_at": premiere.starts_at,
            "url": f"{page.url or ''}#premieres",
        }
        for tell in hooks.get_hooks(HOOK):
            tell(**facts)
    return len(claimed)
