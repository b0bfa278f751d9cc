"""The periodic recompute: one round waits in the database queue at all times once
`manage.py recompute_recommendations --schedule` ran (bin/run calls it); each round queues the
next `RECOMMENDATIONS_RECOMPUTE_INTERVAL` seconds after it ends, as videos' housekeeping does."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from reelvision.tasks import schedule_once

from . import recompute


def recompute_interval() -> int:
    return int(getattr(settings, "RECOMMENDATIONS_RECOMPUTE_INTERVAL", 3600))


def schedule_recompute(delay: float = 0) -> bool:
    """Queue the recompute `delay` seconds from now unless one is already waiting; True if queued."""
    return schedule_once(recompute_recommendations, delay)


@task(backend="db", queue_name="recommendations")
def recompute_recommendations() -> dict:
    """Rewrite the recommendation, similar-film and popularity tables, then schedule the next round
    (even when this one failed: a bad round must not stop the ones after it)."""
    try:
        return recompute.recompute_all().as_dict()
    finally:
        schedule_recompute(delay=recompute_interval())
