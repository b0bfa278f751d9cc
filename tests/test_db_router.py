"""The optional read replica (reelvision/db_router.py): anonymous visitors' page reads go to it, and
nothing a member or a browser just wrote is ever read from it.

The request tests give the "replica" alias a connection of its own to the test database (so its
queries are counted apart from the primary's) and commit their data (a transactional test), as a
replica only ever sees committed rows. They need PostgreSQL: pytest-django's SQLite test database
lives in one connection's memory, which a second connection cannot open.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory
from reelvision.db_router import (
    RECENT_WRITE_COOKIE,
    REPLICA,
    ReplicaRouter,
    may_read_from_replica,
    replica_reads,
)
from videos.tests.factories import ready_video_record
from watching.models import DailyView

ROUTER = "reelvision.db_router.ReplicaRouter"
MIDDLEWARE = "reelvision.db_router.ReplicaReadsMiddleware"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a second connection to the test database (SQLite's lives in one connection's memory)",
)


# --- where the router sends a query ---------------------------------------------------------------


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = [ROUTER]


def test_reads_outside_a_request_go_to_the_primary(replica_router):
    """Task workers, management commands and the shell never choose the replica."""
    assert router.db_for_read(DailyView) == DEFAULT_DB_ALIAS


def test_reads_in_a_replica_request_go_to_the_replica_but_writes_never_do(replica_router):
    with replica_reads():
        assert router.db_for_read(DailyView) == REPLICA
        assert router.db_for_write(DailyView) == DEFAULT_DB_ALIAS
    assert router.db_for_read(DailyView) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_inside_a_transaction_go_to_the_primary(replica_router):
    """A transaction reads what it wrote, which the replica may not have yet."""
    with replica_reads():
        with transaction.atomic():
            assert router.db_for_read(DailyView) == DEFAULT_DB_ALIAS
        assert router.db_for_read(DailyView) == REPLICA


def test_only_the_primary_is_migrated_and_objects_of_both_may_be_related():
    router_ = ReplicaRouter()
    assert router_.allow_migrate(DEFAULT_DB_ALIAS, "watching") and not router_.allow_migrate(REPLICA, "watching")
    written, read = DailyView(), DailyView()
    written._state.db, read._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert router_.allow_relation(written, read)
    read._state.db = "elsewhere"
    assert not router_.allow_relation(written, read)


# --- which requests may read from the replica -----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "cookies", "headers", "expected"),
    [
        ("GET", {}, {}, True),
        ("HEAD", {}, {}, True),
        ("POST", {}, {}, False),
        ("PUT", {}, {}, False),
        ("GET", {"sessionid": "abc"}, {}, False),
        ("GET", {}, {"HTTP_AUTHORIZATION": "Bearer token"}, False),
        ("GET", {}, {"HTTP_X_SESSION_TOKEN": "token"}, False),
        ("GET", {RECENT_WRITE_COOKIE: "1000"}, {}, False),  # 5 s after a write
        ("GET", {RECENT_WRITE_COOKIE: "900"}, {}, True),  # long after it
        ("GET", {RECENT_WRITE_COOKIE: "garbage"}, {}, True),
    ],
)
def test_which_requests_may_read_from_the_replica(rf, settings, method, cookies, headers, expected):
    settings.DATABASE_REPLICA_STICKY_SECONDS = 10
    request = rf.generic(method, "/films/", **headers)
    request.COOKIES.update(cookies)
    assert may_read_from_replica(request, now=1005.0) is expected


# --- real requests, a real second connection ------------------------------------------------------


@pytest.fixture
def replica(settings):
    """A "replica" alias with a connection of its own to the test database, the router and the middleware.

    The connection is handed to ``connections`` directly rather than through DATABASES, as a
    connection made at run time: the test database already exists, and only this alias reads it.
    """
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    replica_connection = load_backend(primary["ENGINE"]).DatabaseWrapper(copy.deepcopy(primary), REPLICA)
    connections[REPLICA] = replica_connection
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    settings.DATABASE_REPLICA_STICKY_SECONDS = 10
    yield replica_connection
    replica_connection.close()
    del connections[REPLICA]


class QueriesPerDatabase:
    """The queries the primary and the replica ran inside the block."""

    def __init__(self):
        self.primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
        self.replica = CaptureQueriesContext(connections[REPLICA])

    def __enter__(self):
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc_info):
        self.replica.__exit__(*exc_info)
        self.primary.__exit__(*exc_info)

    @staticmethod
    def _reads(captured) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    @property
    def primary_reads(self) -> list[str]:
        return self._reads(self.primary)

    @property
    def replica_reads(self) -> list[str]:
        return self._reads(self.replica)


@pytest.fixture
def free_film():
    return FilmPageFactory(title="Night Bus", price=0, main_video=ready_video_record())


def report_a_view(client, film):
    """An anonymous visitor's player reports a view: a POST that writes."""
    data = {"video_id": film.main_video_id, "film_id": film.pk, "position": 1, "duration": 2, "played": 1}
    data["viewer"] = "3f2c1b7e-aaaa-bbbb-cccc-123456789abc"
    return client.post("/watch/progress/", data=json.dumps(data), content_type="application/json")


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_anonymous_visitors_film_page_and_catalogue_read_from_the_replica(client, replica, free_film):
    for url in (free_film.url, free_film.get_parent().url):
        with QueriesPerDatabase() as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert queries.replica_reads, url
        assert queries.primary_reads == [], (url, queries.primary_reads)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_members_page_reads_from_the_primary(client, replica, free_film):
    client.force_login(UserFactory())
    with QueriesPerDatabase() as queries:
        assert client.get(free_film.url).status_code == 200
    assert queries.primary_reads and queries.replica_reads == []


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_and_the_same_browsers_next_pages_read_from_the_primary(client, replica, free_film, settings):
    """The view counted by the POST is on the next page at once, whatever the replica's lag."""
    with QueriesPerDatabase() as queries:
        assert report_a_view(client, free_film).json()["new_view"]
    assert queries.replica_reads == []
    assert DailyView.objects.count() == 1

    with QueriesPerDatabase() as queries:
        assert client.get(free_film.url).status_code == 200
    assert queries.primary_reads and queries.replica_reads == []

    # Once the sticky time has passed, the same browser reads from the replica again.
    client.cookies[RECENT_WRITE_COOKIE] = str(time.time() - settings.DATABASE_REPLICA_STICKY_SECONDS - 1)
    with QueriesPerDatabase() as queries:
        assert client.get(free_film.get_parent().url).status_code == 200
    assert queries.replica_reads and queries.primary_reads == []


# --- settings -------------------------------------------------------------------------------------


def base_settings_with(env: dict[str, str]) -> dict:
    """reelvision.settings.base imported in a fresh interpreter with ``env``."""
    script = (
        "import json; from reelvision.settings import base as s; "
        "print(json.dumps({'replica': s.DATABASES.get('replica'), 'routers': getattr(s, 'DATABASE_ROUTERS', []), "
        "'middleware': s.MIDDLEWARE}, default=str))"
    )
    clean = {name: value for name, value in os.environ.items() if not name.startswith("DATABASE_")}
    result = subprocess.run(  # noqa: S603 - argv list, no shell
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_replica_url_adds_the_replica_its_router_and_its_middleware_first():
    configured = base_settings_with(
        {
            "DATABASE_URL": "postgres://app@primary:5432/reelvision",
            "DATABASE_REPLICA_URL": "postgres://app@replica:5432/reelvision",
        }
    )
    assert configured["replica"]["HOST"] == "replica"
    assert configured["replica"]["TEST"] == {"MIRROR": "default"}
    assert configured["routers"] == [ROUTER]
    assert configured["middleware"][0] == MIDDLEWARE
    plain = base_settings_with({"DATABASE_URL": "postgres://app@primary:5432/reelvision"})
    assert plain["replica"] is None and plain["routers"] == [] and MIDDLEWARE not in plain["middleware"]
