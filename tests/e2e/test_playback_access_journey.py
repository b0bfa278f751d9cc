"""The player in headless Chromium when its links are refused: a refunded buyer is stopped and told
why; a buyer whose links have run out gets fresh ones and plays on."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donations import payments
from donations.models import Order
from donations.providers import Payment
from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory

from .journeys import log_in, ready_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def bought(film, member) -> Order:
    order = Order.objects.create(
        member=member, kind="purchase", film=film, provider="sandbox", amount=film.price, client_token="e2e-purchase-1"
    )
    return payments.settle(order, Payment(reference="sbx", status="paid", amount=film.price), notify=False)


def test_a_refund_stops_the_buyers_player_at_its_next_request(new_context, screenshot, tmp_path):
    """Refunded while watching: the next segment is refused and the player says the film can no longer be watched."""
    film = FilmPageFactory(
        title="긴 영화", slug="long-film", price=3000, main_video=ready_video(tmp_path / "long.mp4", seconds=48)
    )
    member = UserFactory()
    order = bought(film, member)
    page = new_context(locale="en-US").new_page()
    log_in(page, member)
    page.goto(reverse("watching:watch_film", args=["long-film"]))
    page.wait_for_function("() => document.querySelector('video').buffered.length > 0")

    payments.refund(order, order.amount, by=None, reason="Asked for it")
    # hls.js loads at most about 30 s ahead (its maxBufferLength) in 4 s segments: 44 s is past anything
    # buffered, so the seek needs a new request.
    page.evaluate("document.querySelector('video').currentTime = 44")

    expect(page.locator("[data-notice]")).to_contain_text("You can no longer watch this film.")
    screenshot(page, "refunded")


def test_a_buyer_whose_links_ran_out_gets_fresh_ones_and_plays_on(new_context, settings, tmp_path):
    """Links that have expired (a long sitting) are renewed by the player, which keeps playing."""
    film = FilmPageFactory(title="긴 영화", slug="long-film", price=3000, main_video=ready_video(tmp_path / "f.mp4"))
    member = UserFactory()
    bought(film, member)
    page = new_context(locale="en-US").new_page()
    log_in(page, member)
    settings.VIDEO_SEGMENT_URL_TTL = -1  # every variant link the page's master hands out has already expired

    def later(route):  # the player asks for fresh links: by now time has moved on
        settings.VIDEO_SEGMENT_URL_TTL = 6 * 3600
        route.continue_()

    page.route("**" + reverse("api_playback", args=[film.pk]), later)
    with page.expect_request("**" + reverse("api_playback", args=[film.pk])):
        page.goto(reverse("watching:watch_film", args=["long-film"]))
    page.locator("[data-player]").focus()
    page.keyboard.press("m")
    page.locator("[data-play]").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)
    expect(page.locator("[data-notice]")).to_be_hidden()
