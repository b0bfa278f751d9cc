"""An optional read replica (``DATABASE_REPLICA_URL``) for public pages read by anonymous visitors.

Writes always go to the primary (``default``). A replica lags behind it, so reads go to the replica
only when nothing a visitor just did can be missing there. ``ReplicaReadsMiddleware`` decides that
once per request, before any other middleware touches the database, and ``ReplicaRouter`` follows
its decision. A request reads from the primary when it

- is anything but GET or HEAD (its reads may lead to writes, and it may read back what it wrote);
- carries a session cookie, an ``Authorization`` header or an ``X-Session-Token``: a logged-in member
  (site or app), or a visitor in the middle of signing up, whose own session and account must be
  current;
- comes from a browser that sent anything but GET or HEAD within the last
  ``DATABASE_REPLICA_STICKY_SECONDS`` (a cookie holding the time of that request), so a visitor sees
  their own anonymous writes (a view counted, a language chosen) on the next pages.

Inside ``transaction.atomic()`` every read goes to the primary as well, so a transaction reads what
it wrote. Routers never see the request: the decision travels in a context variable, set for the
duration of one request and reset after it. Code outside a request (task workers, management
commands, the shell) never sets it, so it always reads from the primary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
RECENT_WRITE_COOKIE = "reelvision_wrote_at"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})
# An app's JWT, and allauth's session token for apps in the middle of logging in.
CREDENTIAL_HEADERS = frozenset({"Authorization", "X-Session-Token"})

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let reads in this block go to the replica (outside ``transaction.atomic``), then restore the previous choice."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


class ReplicaRouter:
    """Reads to the replica when the current request allows it and no transaction is open; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        if _reads_from_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        """The replica holds the primary's rows, so an object read from either may point at one from the other."""
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        """Migrations run on the primary only; the replica receives them through replication."""
        return db == DEFAULT_DB_ALIAS


def may_read_from_replica(request: HttpRequest, now: float | None = None) -> bool:
    """True when nothing this request's visitor did recently could be missing from the replica."""
    if request.method not in READ_ONLY_METHODS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CREDENTIAL_HEADERS & set(request.headers):
        return False
    try:
        wrote_at = float(request.COOKIES.get(RECENT_WRITE_COOKIE, ""))
    except ValueError:
        return True
    return (now if now is not None else time.time()) - wrote_at >= settings.DATABASE_REPLICA_STICKY_SECONDS


class ReplicaReadsMiddleware:
    """Route this request's reads (``may_read_from_replica``) and mark the browser after a request that may have written.

    First in ``MIDDLEWARE``, so the session, the page cache and every view run under its decision.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if may_read_from_replica(request):
            with replica_reads():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if request.method not in READ_ONLY_METHODS:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                str(time.time()),
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
