"""The live app's periodic work on the database queue."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from reelvision.tasks import schedule_once

from . import ingest, reminders


@task(backend="db", queue_name="default")
def send_reminders() -> int:
    """Every LIVE_REMINDER_INTERVAL seconds: send the "remind me" reminders now due and end the
    broadcasts nginx never said had stopped (`ingest.end_abandoned_broadcasts`); then queue the
    next round."""
    try:
        ingest.end_abandoned_broadcasts()
        return reminders.send_due()
    finally:
        schedule_once(send_reminders, settings.LIVE_REMINDER_INTERVAL)
