"""Two members in Chromium chat during a live premiere, the site served by daphne (ASGI).

The live watch page (the stream with its player) is not part of this journey: it covers the chat
alone, on a page with the chat panel (live/tests/journey_urls.py). daphne runs in a subprocess
against the test database, so the journey needs PostgreSQL (an in-memory SQLite database cannot be
shared with another process) and Debian's Chromium.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from films.tests.factories import FilmPageFactory, film_index
from live.models import ChatMessage, Premiere, PremiereStatus
from members.tests.factories import CreatorFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 30_000
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture
def daphne_server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the chat journey runs daphne in another process, which needs PostgreSQL (DATABASE_URL)")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run e2e tests")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "live.tests.journey_settings",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    log = (tmp_path / "daphne.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - argv list, no shell
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "reelvision.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, (tmp_path / "daphne.log").read_text()
            assert time.monotonic() < deadline, "daphne did not start"
            time.sleep(0.2)
    yield f"http://localhost:{port}"
    server.terminate()
    server.wait(timeout=20)
    log.close()


def session_cookie(member, base_url: str) -> dict:
    """`member`'s session cookie for the browser (a log-in made by Django's test client)."""
    client = Client()
    client.force_login(member)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_one_member_sends_appears_in_the_other_members_browser(daphne_server):
    """Two members open the same live premiere's chat on phones; what one writes the other sees, and
    no Content-Security-Policy violation is reported (WebSockets to the same origin are allowed)."""
    from playwright.sync_api import expect, sync_playwright

    page_owner = CreatorFactory()
    film = FilmPageFactory(parent=film_index(), owner=page_owner)
    premiere = Premiere.objects.create(
        page=film,
        title="졸업영화 시사회",
        starts_at=timezone.now() - timedelta(minutes=1),
        status=PremiereStatus.LIVE,
        went_live_at=timezone.now(),
        has_qa=True,
    )
    writer, reader = UserFactory(display_name="민지"), UserFactory(display_name="Ben")
    url = f"/journey/chat/{premiere.pk}/"
    # Logged in before Playwright starts its event loop in this thread (the ORM's connections
    # made inside it would be new ones, left open).
    cookies = [session_cookie(member, daphne_server) for member in (writer, reader)]
    violations, failures = [], []

    # In a thread of its own: Playwright's synchronous API runs an event loop in its thread, and the
    # journeys in tests/e2e/ may hold one open in this one for the whole session.
    def chat_in_two_browsers():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
                )
                pages = []
                for cookie in cookies:
                    context = browser.new_context(viewport=PHONE, base_url=daphne_server)
                    context.add_cookies([cookie])
                    context.set_default_timeout(TIMEOUT_MS)
                    page = context.new_page()
                    page.on(
                        "console",
                        lambda message: "Content-Security-Policy" in message.text and violations.append(message),
                    )
                    page.goto(url)
                    expect(page.locator("[data-chat-form]")).to_be_visible()
                    pages.append(page)
                writing, reading = pages
                writing.fill("[data-chat-form] input[name=body]", "안녕하세요, 축하드려요!")
                writing.click("[data-chat-form] button[type=submit]")
                expect(reading.locator('[data-chat-list="messages"] .live-chat__message')).to_contain_text(
                    "안녕하세요, 축하드려요!"
                )
                expect(reading.locator('[data-chat-list="messages"] .live-chat__author')).to_have_text("민지")
                assert reading.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                browser.close()
        except Exception as error:  # noqa: BLE001 - re-raised in the test's own thread below
            failures.append(error)

    journey = threading.Thread(target=chat_in_two_browsers)
    journey.start()
    journey.join()
    if failures:
        raise failures[0]
    assert violations == []
    assert ChatMessage.objects.get().author == writer
