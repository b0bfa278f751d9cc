"""A task for the multi-worker tests (tests/test_task_workers.py): each run leaves a row behind.

The row (the task's id and the pid of the process that ran it) goes into ``RUNS_TABLE``, a plain
table the test creates and drops itself, so the count of runs per task is read from the database
that every worker shares rather than from anything one process remembers.
"""

import os
import time

from django.db import connection
from django.tasks import TaskContext, task

RUNS_TABLE = "test_counted_task_runs"
# Long enough that one worker cannot drain the queue before the others poll it again.
RUN_SECONDS = 0.02


@task(backend="db", queue_name="default", takes_context=True)
def record_run(context: TaskContext) -> int:
    """Insert (task id, this process's pid) into ``RUNS_TABLE``, hold the task briefly, return the pid."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RUNS_TABLE} (task_id, pid) VALUES (%s, %s)",  # noqa: S608 - a constant table name
            [str(context.task_result.id), os.getpid()],
        )
    time.sleep(RUN_SECONDS)
    return os.getpid()
