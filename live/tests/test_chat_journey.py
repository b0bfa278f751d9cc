"""Two members in Chromium at a live premiere, the site served by daphne (ASGI): the stream plays
on the watch page, and what one writes in the chat the other sees.

The stream is live for real: ffmpeg writes 2-second HLS fragments in real time into the folder
nginx would write them to (LIVE_DIR/hls/premiere-<id>/), for as long as the journey runs; the page
plays them through the site's signed links. daphne runs in a subprocess against the test
database, so the journey needs PostgreSQL (an in-memory SQLite database cannot be shared with
another process), Debian's Chromium and ffmpeg.
"""

import os
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
from tests.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING
from tests.ports import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 30_000
PHONE = {"width": 390, "height": 844}


def database_url() -> str:
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture
def live_dir(tmp_path):
    return tmp_path / "live"


@pytest.fixture
def daphne_server(tmp_path, live_dir):
    if connection.vendor != "postgresql":
        pytest.skip("the chat journey runs daphne in another process, which needs PostgreSQL (DATABASE_URL)")
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "live.tests.journey_settings",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "LIVE_DIR": str(live_dir),
    }
    log = (tmp_path / "daphne.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - argv list, no shell
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "reelvision.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_listening(port, server, "daphne")
    except RuntimeError as error:
        pytest.fail(f"{error}\n{(tmp_path / 'daphne.log').read_text()}")
    yield f"http://localhost:{port}"
    server.terminate()
    server.wait(timeout=20)
    log.close()


def broadcast(folder: Path, log: Path) -> subprocess.Popen:
    """ffmpeg sending a test picture and tone as live HLS into `folder`, in real time, until stopped."""
    folder.mkdir(parents=True)
    return subprocess.Popen(  # noqa: S603 - argv list, no shell
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=426x240:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
            "-pix_fmt",
            "yuv420p",
            "-g",
            "50",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-f",
            "hls",
            "-hls_time",
            "2",
            "-hls_list_size",
            "10",
            "-hls_flags",
            "delete_segments+omit_endlist",
            "-hls_segment_filename",
            str(folder / "segment%d.ts"),
            str(folder / "index.m3u8"),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )


def wait_for_fragments(folder: Path, count: int, ffmpeg: subprocess.Popen, log: Path) -> None:
    """Until the live playlist lists `count` fragments (ffmpeg writes one every 2 seconds)."""
    deadline = time.monotonic() + 120
    playlist = folder / "index.m3u8"
    while not (playlist.exists() and playlist.read_text().count(".ts") >= count):
        assert ffmpeg.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "ffmpeg wrote no live fragments"
        time.sleep(0.5)


def session_cookie(member, base_url: str) -> dict:
    """`member`'s session cookie for the browser (a log-in made by Django's test client)."""
    client = Client()
    client.force_login(member)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


VIDEO_STATE = """() => { const v = document.querySelector('video'); if (!v) return 'no video';
  const b = []; for (let i = 0; i < v.buffered.length; i++) b.push(v.buffered.start(i) + '-' + v.buffered.end(i));
  return `time ${v.currentTime} paused ${v.paused} ready ${v.readyState} network ${v.networkState} ` +
    `error ${v.error && v.error.code} buffered ${b.join(',')} notice ` +
    (document.querySelector('[data-notice]') || {}).textContent; }"""
# How far the video's position has to move on its own: the stream plays, it is not a still frame.
PLAYED_SECONDS = 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_watches_a_live_premiere_and_chats_with_another_browser(daphne_server, live_dir, tmp_path):
    """Two members open a live premiere's watch page on phones: the stream plays (its position
    advances) with the "LIVE" badge, and what one writes in the chat the other sees. No
    Content-Security-Policy violation is reported (media from our own links, WebSockets to the
    same origin)."""
    from playwright.sync_api import expect, sync_playwright

    page_owner = CreatorFactory()
    film = FilmPageFactory(parent=film_index(), owner=page_owner, title="겨울 정류장")
    premiere = Premiere.objects.create(
        page=film,
        title="졸업영화 프리미어",
        starts_at=timezone.now() - timedelta(minutes=1),
        status=PremiereStatus.LIVE,
        went_live_at=timezone.now(),
        has_qa=True,
    )
    folder, ffmpeg_log = live_dir / "hls" / f"premiere-{premiere.pk}", tmp_path / "ffmpeg.log"
    ffmpeg = broadcast(folder, ffmpeg_log)
    writer, reader = UserFactory(display_name="민지"), UserFactory(display_name="Ben")
    url = f"/live/{premiere.pk}/"
    # Logged in before Playwright starts its event loop in this thread (the ORM's connections
    # made inside it would be new ones, left open).
    cookies = [session_cookie(member, daphne_server) for member in (writer, reader)]
    violations, failures, positions, messages = [], [], [], []

    # In a thread of its own: Playwright's synchronous API runs an event loop in its thread, and the
    # journeys in tests/e2e/ may hold one open in this one for the whole session.
    def watch_and_chat_in_two_browsers():
        try:
            pages = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM),
                    headless=True,
                    args=CHROMIUM_ARGS,
                )
                # The writer reads the site in English, the reader in Korean (their browsers' language).
                for cookie, locale in zip(cookies, ("en-US", "ko-KR"), strict=True):
                    context = browser.new_context(viewport=PHONE, base_url=daphne_server, locale=locale)
                    context.add_cookies([cookie])
                    context.set_default_timeout(TIMEOUT_MS)
                    page = context.new_page()
                    page.on(
                        "console",
                        lambda message: "Content-Security-Policy" in message.text and violations.append(message),
                    )
                    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
                    page.on("requestfailed", lambda request: messages.append(f"failed: {request.url}"))
                    page.on(
                        "response",
                        lambda response: (
                            response.status >= 400 and messages.append(f"{response.status} {response.url}")
                        ),
                    )
                    page.goto(url)
                    expect(page.locator("[data-live-badge]")).to_be_visible()
                    expect(page.locator("[data-chat-form]")).to_be_visible()
                    pages.append(page)
                writing, reading = pages
                # The stream plays: its position moves on by itself, however long the machine takes.
                try:
                    writing.wait_for_function("() => document.querySelector('video').currentTime > 0", timeout=90_000)
                    start = writing.evaluate("document.querySelector('video').currentTime")
                    writing.wait_for_function(
                        f"() => document.querySelector('video').currentTime > {start + PLAYED_SECONDS}",
                        timeout=90_000,
                    )
                except Exception as error:
                    error.add_note(writing.evaluate(VIDEO_STATE))
                    raise
                positions.extend([start, writing.evaluate("document.querySelector('video').currentTime")])
                writing.fill("[data-chat-form] input[name=body]", "안녕하세요, 축하드려요!")
                writing.click("[data-chat-form] button[type=submit]")
                expect(reading.locator('[data-chat-list="messages"] .live-chat__message')).to_contain_text(
                    "안녕하세요, 축하드려요!"
                )
                expect(reading.locator('[data-chat-list="messages"] .live-chat__author')).to_have_text("민지")
                for page in pages:
                    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                expect(reading.locator("html")).to_have_attribute("lang", "ko")
                for name, page in (("en", writing), ("ko", reading)):
                    page.screenshot(path=str(tmp_path / f"live-premiere-390-{name}.png"), full_page=True)
                browser.close()
        except Exception as error:  # noqa: BLE001 - re-raised in the test's own thread below
            error.add_note("The browsers said:\n" + "\n".join(messages))
            failures.append(error)

    try:
        wait_for_fragments(folder, 3, ffmpeg, ffmpeg_log)
        journey = threading.Thread(target=watch_and_chat_in_two_browsers)
        journey.start()
        journey.join()
    finally:
        ffmpeg.terminate()
        ffmpeg.wait(timeout=20)
    if failures:
        raise failures[0]
    assert positions[1] > positions[0] + PLAYED_SECONDS
    assert violations == []
    assert ChatMessage.objects.get().author == writer
