"""manage.py task_worker: the database task worker keeps going when PostgreSQL drops its connections."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from home.task_worker import ResilientWorker
from home.tests.worker_tasks import note_run

ROOT = Path(settings.BASE_DIR)
WORKER_APP_NAME = "reelvision-task-worker-test"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates PostgreSQL backends")


def wait_until(condition: Callable[[], object], what: str, *, worker=None, log: Path | None = None, bound=120):
    """Poll ``condition`` until it is true (generous bound); fail early if the worker process exited."""
    deadline = time.monotonic() + bound
    while not (result := condition()):
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) while waiting for {what}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}:\n{log.read_text() if log else ''}")
        time.sleep(0.1)
    return result


class Server:
    """An administrator's connection to the PostgreSQL server that holds the test database."""

    def __init__(self):
        s = connection.settings_dict
        self.database = s["NAME"]
        self.params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
        if s["PASSWORD"]:
            self.params["password"] = s["PASSWORD"]
        self.admin = psycopg2.connect(dbname="postgres", **self.params)
        self.admin.autocommit = True

    def worker_url(self) -> str:
        p = self.params
        auth = p["user"] + (f":{p['password']}" if "password" in p else "")
        return f"postgres://{auth}@{p['host']}:{p['port']}/{self.database}?application_name={WORKER_APP_NAME}"

    def query(self, sql: str, *args):
        with self.admin.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall() if cur.description else None

    def worker_backends(self) -> int:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
        return self.query(sql, self.database, WORKER_APP_NAME)[0][0]

    @contextmanager
    def outage(self):
        """The worker's connections terminated and new ones refused (as while PostgreSQL restarts)."""
        self.query(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS false')
        try:
            sql = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND application_name = %s"
            self.query(sql, self.database, WORKER_APP_NAME)
            yield
        finally:
            self.query(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS true')


@pytest.fixture
def server():
    server = Server()
    yield server
    server.query(f'ALTER DATABASE "{server.database}" ALLOW_CONNECTIONS true')
    server.admin.close()


@contextmanager
def running_worker(server: Server, log: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reelvision.settings.test",
        "DATABASE_URL": server.worker_url(),
        "DATABASE_CONN_MAX_AGE": "600",
    }
    args = ["task_worker", "--backend", "db", "--queue-name", "default", "--interval", "0.2", "--no-startup-delay"]
    with log.open("ab") as out:
        worker = subprocess.Popen(  # noqa: S603 - argv list, no shell
            [sys.executable, "manage.py", *args, "--no-reload"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def status_of(result_id) -> str:
    return DBTaskResult.objects.values_list("status", flat=True).get(pk=result_id)


def log_mentions(log: Path, text: str) -> Callable[[], bool]:
    return lambda: text in log.read_text()


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_carries_on_after_postgresql_drops_and_refuses_its_connections(server, tmp_path):
    """Backends terminated and reconnects refused for a while: the worker waits, reconnects and runs the next task."""
    log, runs = tmp_path / "worker.log", tmp_path / "runs"
    with running_worker(server, log) as worker:
        wait_until(server.worker_backends, "the worker's connection", worker=worker, log=log)
        with server.outage():
            wait_until(log_mentions(log, "Database unavailable"), "a failed reconnect", worker=worker, log=log)
        result = note_run.enqueue(str(runs))
        wait_until(lambda: status_of(result.id) == TaskResultStatus.SUCCESSFUL, "the task", worker=worker, log=log)
        assert worker.poll() is None
    assert runs.read_text() == "ran\n"


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_running_while_connections_drop_is_recorded_once_the_database_is_back(server, tmp_path):
    """A task in flight when the database goes away runs exactly once and its result is written afterwards."""
    log, runs, gate = tmp_path / "worker.log", tmp_path / "runs", tmp_path / "gate"
    result = note_run.enqueue(str(runs), gate=str(gate))
    with running_worker(server, log) as worker:
        wait_until(
            lambda: status_of(result.id) == TaskResultStatus.RUNNING, "the task to start", worker=worker, log=log
        )
        with server.outage():
            gate.touch()
            wait_until(log_mentions(log, "recording a task's result"), "a failed result write", worker=worker, log=log)
        wait_until(lambda: status_of(result.id) == TaskResultStatus.SUCCESSFUL, "the result", worker=worker, log=log)
        assert worker.poll() is None
    assert runs.read_text() == "ran\n"
    assert DBTaskResult.objects.get(pk=result.id).return_value == 1


@pytest.mark.django_db
def test_claims_that_never_started_go_back_to_the_queue(tmp_path):
    """After a failed fetch, a task left running under this worker's id (its claim committed unseen) is ready again."""
    unseen = DBTaskResult.objects.get(pk=note_run.enqueue(str(tmp_path / "a")).id)
    unseen.claim("this-worker")
    elsewhere = DBTaskResult.objects.get(pk=note_run.enqueue(str(tmp_path / "b")).id)
    elsewhere.claim("another-worker")
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="db",
        startup_delay=False,
        max_tasks=None,
        worker_id="this-worker",
        excluded_queue_names=[],
    )
    assert worker.release_unstarted_claims() == 1
    assert status_of(unseen.pk) == TaskResultStatus.READY
    assert status_of(elsewhere.pk) == TaskResultStatus.RUNNING
