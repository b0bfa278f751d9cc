"""Shared set-up for the end-to-end tests: one headless Chromium per session, a fresh context per test.

The app is served by pytest-django's `live_server` (a real HTTP server in a
thread of this process) and driven by Playwright through Debian's Chromium;
`playwright install` is never needed. Data is made with the ORM in the test
before the browser starts; every test runs in a transactional database whose
migration data (site tree, genres, roles) is restored by serialized rollback.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (starting it is the slow part)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (bin/test does) to run e2e tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Open isolated browser contexts (own cookies) against the live server; all closed after the test."""
    contexts = []

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
    """True when the document is wider than the viewport (something sticks out sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
