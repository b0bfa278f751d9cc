"""The notification worker's tasks (on the database queue "notifications")."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from reelvision.tasks import schedule_once

from . import delivery


@task(backend="db", queue_name="notifications")
def send_emails(key: str) -> int:
    """Send the e-mails of one event that are still to send."""
    return delivery.send_pending(key)


@task(backend="db", queue_name="notifications")
def fan_out(fan_out_id: int) -> str:
    """Deliver a notification to a whole audience, batch after batch."""
    return delivery.run_fan_out(fan_out_id)


@task(backend="db", queue_name="notifications")
def sweep() -> dict:
    """Every NOTIFICATIONS_SWEEP_INTERVAL seconds: resume what a dead worker left, send the daily
    digests when due; then queue the next round."""
    try:
        return delivery.sweep()
    finally:
        schedule_once(sweep, settings.NOTIFICATIONS_SWEEP_INTERVAL)
