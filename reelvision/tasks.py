"""Small helpers around Django's tasks API shared by the apps' periodic work."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def pending_task_args(task) -> list[list]:
    """Positional args of the not-yet-started (READY) database tasks of ``task``."""

    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    return [row["args"] for row in rows.values_list("args_kwargs", flat=True)]


def schedule_once(task, delay: float = 0) -> bool:
    """Queue ``task`` ``delay`` seconds from now unless a run is already waiting; True if queued.

    A periodic task calls this for its next round when it finishes, so exactly one round is
    always waiting once something scheduled the first (bin/run does, through a command).
    """
    if pending_task_args(task):
        return False
    task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()
    return True
