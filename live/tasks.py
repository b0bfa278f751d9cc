"""The live app's periodic work on the database queue."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from reelvision.tasks import schedule_once

from . import reminders


@task(backend="db", queue_name="default")
def send_reminders() -> int:
    """Every LIVE_REMINDER_INTERVAL seconds: send the "remind me" reminders now due; then queue the
    next round."""
    try:
        return reminders.send_due()
    finally:
        schedule_once(send_reminders, settings.LIVE_REMINDER_INTERVAL)
