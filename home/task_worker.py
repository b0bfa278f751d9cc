"""The task worker: django-tasks-db's ``db_worker`` loop, made to outlive the database going away.

django-tasks-db's own worker exits on the first database error that is not a lock (PostgreSQL
restarted or failed over, connections terminated, the network dropped), and queued work then
waits until a person restarts it. This worker instead closes the broken connections, waits
(``RETRY_FIRST`` seconds, doubling up to ``RETRY_MAX``) and carries on:

- **fetching**: a failed fetch rolled back, so it claimed nothing and is simply tried again. A
  claim whose commit reached the server while its answer did not leaves the task marked running
  under this worker without having started; once the database is back such claims go back to the
  queue, so the task is neither lost nor run twice;
- **results**: a task that ran is never run again for want of a database. Its result stays in
  memory and is written once the database answers again.

Everything else (options, signals, batch mode, ``--max-tasks``) is django-tasks-db's.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.tasks import TaskResultStatus
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("django_tasks_db.worker")

# Errors that mean "the database is not there right now" rather than "this query is wrong".
# SQLite's "database is locked" is an OperationalError too, and waiting is right for it as well.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
RETRY_FIRST = 1.0
RETRY_MAX = 30.0


def close_database_connections() -> None:
    """Drop this thread's connections so the next query opens a fresh one (Django never reconnects a broken one)."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:  # closing a connection the server already dropped may complain; it is closed
            pass


class DatabaseRetry:
    """Waits between attempts while the database is away: ``first`` seconds, doubling up to ``most``."""

    def __init__(
        self, first: float = RETRY_FIRST, most: float = RETRY_MAX, sleep: Callable[[float], None] = time.sleep
    ):
        self.first, self.most, self.sleep = first, most, sleep
        self.delay = first

    def wait(self, exc: BaseException, doing: str) -> None:
        logger.warning("Database unavailable while %s (%s); retrying in %.0f s", doing, _one_line(exc), self.delay)
        close_database_connections()
        self.sleep(self.delay)
        self.delay = min(self.delay * 2, self.most)

    def reset(self) -> None:
        self.delay = self.first


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}"


class ResilientWorker(Worker):
    """django-tasks-db's ``Worker`` with the fetch loop and the result writes guarded against a lost database."""

    def __init__(self, *args, retry: DatabaseRetry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry = retry or DatabaseRetry()
        self._recovering = False

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads out workers started together, not a secret

        while self.running:
            try:
                close_old_connections()
                if self._recovering:
                    self.release_unstarted_claims()
                    self._recovering = False
                task_result = self.claim_next()
            except CONNECTION_ERRORS as exc:
                self._recovering = True
                self.retry.wait(exc, "fetching the next task")
                continue
            self.retry.reset()

            if task_result is not None:
                self.run_task(task_result)

            if self.batch and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id
                )
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def claim_next(self) -> DBTaskResult | None:
        """Lock the next ready task and mark it as running under this worker, in one transaction."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def release_unstarted_claims(self) -> int:
        """Put tasks this worker claimed but never started back in the queue; returns how many.

        Called between tasks after a failed fetch: this worker runs one task at a time, so a task
        still marked running under its id at that moment is one whose claim committed unseen.
        """
        claimed = DBTaskResult.objects.filter(backend_name=self.backend_name, status=TaskResultStatus.RUNNING)
        released = 0
        for pk, worker_ids in claimed.values_list("pk", "worker_ids"):
            if worker_ids and worker_ids[-1] == self.worker_id:
                released += claimed.filter(pk=pk).update(status=TaskResultStatus.READY, started_at=None)
        if released:
            logger.warning("Returned %d task(s) claimed during a database outage to the queue", released)
        return released

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task once and record its result, waiting for the database as long as that takes."""
        try:
            self.running_task = True
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    return_value = task.call(
                        TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                    )
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as exc:  # noqa: BLE001 - as db_worker: any failure is the task's result
                self._record_failure(db_task_result, exc)
                return
            try:
                self.write_result(db_task_result.set_successful, return_value)
            except Exception as exc:  # noqa: BLE001 - e.g. a return value JSON cannot hold: recorded as a failure
                self._record_failure(db_task_result, exc)
                return
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _record_failure(self, db_task_result: DBTaskResult, exc: BaseException) -> None:
        self.write_result(db_task_result.set_failed, exc)
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except Exception:  # noqa: BLE001 - the task cannot even be imported: nothing to signal
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)

    def write_result(self, write: Callable[[Any], None], value: Any) -> None:
        """``write(value)``, retried across database outages until it is stored."""
        while True:
            try:
                write(value)
            except CONNECTION_ERRORS as exc:
                self.retry.wait(exc, "recording a task's result")
            else:
                self.retry.reset()
                return
