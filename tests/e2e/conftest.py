"""Shared set-up for the end-to-end tests: one headless Chromium per session, a fresh context per test.

The app is served by pytest-django's `live_server` (a real HTTP server in a
thread of this process) and driven by Playwright through Debian's Chromium;
`playwright install` is never needed. Data is made with the ORM in the test
before the browser starts; every test runs in a transactional database whose
migration data (site tree, genres, roles) is restored by serialized rollback.
"""

import contextlib
import re
import shutil
import threading
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# How long a step may wait for the page (an element, a URL, a response) before the journey fails.
# Generous on purpose: a loaded machine (other tests, a transcode) is slow, not broken, and a step
# that succeeds returns as soon as it does.
TIMEOUT_MS = 30_000


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Let the ORM run in the thread where Playwright's sync API keeps an asyncio loop.

    Django refuses database calls from a thread with a running loop unless told
    this is deliberate. Session-wide because pytest-django's database set-up
    and flush run around each test, outside function fixtures; pytest-django
    runs transactional tests (all of these) after the rest of the suite, so
    the other tests keep Django's guard.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (starting it is the slow part)."""
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    migrated_data = {
        connection.alias: connection.__dict__.get("_test_serialized_contents") for connection in connections.all()
    }
    with sync_playwright() as playwright:
        # From here on this thread has a running event loop, so asgiref hands it
        # new connection objects; Django keeps the migrated data that serialized
        # rollback restores on the old ones (seen when other tests ran first).
        for connection in connections.all():
            if migrated_data.get(connection.alias) is not None:
                connection._test_serialized_contents = migrated_data[connection.alias]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestGate:
    """Wraps the live server's WSGI app so that no request touches the database outside a test.

    The browser keeps talking after a test's last step: the Wagtail editor
    pings its editing session every few seconds and sends a "release" beacon
    when the page goes away. A request still running while pytest-django
    flushes the database between transactional tests fails ("database table
    is locked" on in-memory SQLite, whose connection the server thread shares)
    or breaks the flush itself. So the gate is open only during a test; on
    closing it turns newcomers away with a 503 and waits for those in flight.

    With in-memory SQLite every request thread also shares that one
    connection, and two queries at once break it ("bad parameter or other API
    misuse", seen when the admin loads a page and its /admin/jsi18n/ together).
    There the gate lets one request at a time reach Django; file bodies are
    streamed after the lock is released. PostgreSQL gives each thread its own
    connection, so requests stay parallel.
    """

    def __init__(self, app, *, serial: bool):
        self.app = app
        self.is_open = False
        self.in_flight = 0
        self.changed = threading.Condition()
        self.one_at_a_time = threading.Lock() if serial else contextlib.nullcontext()

    def __call__(self, environ, start_response):
        with self.changed:
            if not self.is_open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"Between tests."]
            self.in_flight += 1
        try:
            # Django's handler runs the view (and every query) before returning.
            with self.one_at_a_time:
                return self.app(environ, start_response)
        finally:
            with self.changed:
                self.in_flight -= 1
                self.changed.notify_all()

    def open(self):
        with self.changed:
            self.is_open = True

    def close(self, timeout: float = TIMEOUT_MS / 1000):
        with self.changed:
            self.is_open = False
            drained = self.changed.wait_for(lambda: self.in_flight == 0, timeout=timeout)
        assert drained, f"{self.in_flight} request(s) still running on the live server after the test"


@pytest.fixture(scope="session")
def request_gate(live_server):
    from django.db import connection

    httpd = live_server.thread.httpd
    gate = RequestGate(httpd.get_app(), serial=connection.vendor == "sqlite")
    httpd.set_app(gate)
    return gate


@pytest.fixture
def new_context(browser, live_server, request_gate):
    """Open isolated browser contexts (own cookies) against the live server; all closed after the test."""
    contexts = []
    request_gate.open()

    def open_context(**options):
        options.setdefault("viewport", DESKTOP)
        # A Korean visitor by default: LocaleMiddleware reads Accept-Language.
        options.setdefault("locale", "ko-KR")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    request_gate.close()


@pytest.fixture
def admin_page(new_context):
    """`admin_page(user)` logs `user` into the Wagtail admin in a fresh context and returns the dashboard page.

    The admin is driven in English (Accept-Language en): Wagtail picks the
    admin language from the request when the user has not chosen one, and
    English labels are the ones our models and Wagtail's templates spell out.
    """

    def log_in(user, password="password"):  # UserFactory's password
        page = new_context(locale="en-US").new_page()
        page.goto("/admin/")  # the studio sends people to the site's log-in and back
        page.get_by_label("Email").fill(user.email)
        page.get_by_label(re.compile(r"^Password:?$")).fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        return page

    return log_in


@pytest.fixture
def page(new_context):
    """A page in a fresh desktop context."""
    return new_context().new_page()


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "step")` saves tests/artifacts/<test>/<nn>-<step>.png, full page."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(page, step: str) -> Path:
        path = folder / f"{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def has_horizontal_overflow(page) -> bool:
    """True when the document is wider than the viewport (something sticks out sideways).

    Measured against the width the context was made with: in a mobile context the browser zooms out
    to fit a page that is too wide, and `innerWidth` grows with it."""
    width = (page.viewport_size or {}).get("width") or page.evaluate("window.innerWidth")
    return page.evaluate("document.documentElement.scrollWidth") > width
