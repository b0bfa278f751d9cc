"""The periodic rollup: one round waits in the database queue at all times once
`manage.py roll_up_analytics --schedule` ran (bin/run calls it); each round queues the next
`ANALYTICS_ROLLUP_INTERVAL` seconds after it ends."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from reelvision.tasks import schedule_once

from . import rollup


def schedule_rollup(delay: float = 0) -> bool:
    """Queue the rollup `delay` seconds from now unless one is already waiting; True if queued."""
    return schedule_once(roll_up_analytics, delay)


@task(backend="db", queue_name="analytics")
def roll_up_analytics() -> dict:
    """Roll up today and yesterday, prune old sessions, then schedule the next round (even after a
    failure: a bad round must not stop the ones after it)."""
    try:
        return rollup.roll_up_recent()
    finally:
        schedule_rollup(delay=settings.ANALYTICS_ROLLUP_INTERVAL)
