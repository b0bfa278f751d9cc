"""Film cards play their preview clip on hover in headless Chromium: with a mouse, after a moment,
muted, over the poster; never for a visitor who asked for less motion, nor on a touch screen."""

import pytest
from playwright.sync_api import expect

from films.tests.factories import FilmPageFactory, film_index
from tests.e2e.journeys import ready_video

from .conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PREVIEW = "video.film-card__preview"
# Longer than the hover delay (about a second) with room to spare: enough for a clip that was going
# to start to have started.
NOTHING_HAPPENS_MS = 3_000


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture
def catalogue_url(tmp_path):
    """The catalogue, showing a paid film whose trailer has its preview clip."""
    trailer = ready_video(tmp_path / "trailer.mp4", seconds=6)
    assert trailer.preview_key
    FilmPageFactory(title="정류장", title_en="The Stop", slug="the-stop", price=5000, trailer=trailer)
    return film_index().url


def hover_the_card(page, url):
    page.goto(url)
    card = page.locator(".film-card__link").first
    expect(card.locator("[data-preview]")).to_have_count(1)
    card.hover()
    return card


def test_hovering_a_card_plays_its_clip_muted_over_the_poster(page, catalogue_url, screenshot):
    card = hover_the_card(page, catalogue_url)
    assert page.evaluate("document.documentElement.dataset.cardPreviews") == "on"
    page.wait_for_function(
        """() => {
            const video = document.querySelector('.film-card__preview');
            return video && !video.paused && video.currentTime > 0.3 && video.classList.contains('is-playing');
        }""",
        timeout=20_000,
    )
    assert page.evaluate(f"document.querySelector('{PREVIEW}').muted")
    expect(card.locator(".film-card__poster img, .film-card__noposter")).to_have_count(1)  # still beneath
    screenshot(page, "playing")

    page.mouse.move(0, 0)  # the pointer leaves: the clip stops and goes
    expect(page.locator(PREVIEW)).to_have_count(0)


def test_no_clip_plays_for_a_visitor_who_asked_for_less_motion(new_context, catalogue_url):
    page = new_context(reduced_motion="reduce").new_page()
    hover_the_card(page, catalogue_url)
    assert page.evaluate("document.documentElement.dataset.cardPreviews") == "off"
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    expect(page.locator(PREVIEW)).to_have_count(0)


def test_no_clip_plays_on_a_touch_screen(new_context, catalogue_url):
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    hover_the_card(page, catalogue_url)
    assert page.evaluate("document.documentElement.dataset.cardPreviews") == "off"
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    expect(page.locator(PREVIEW)).to_have_count(0)
