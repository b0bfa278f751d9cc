"""A member backs a film in production through the sandbox, in headless Chromium, and sees it counted."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donations.models import LedgerEntry, Order
from films.models import FundingTotal
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import UserFactory
from tests.e2e.journeys import log_in

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_member_donates_and_sees_it_on_their_page_the_project_and_the_ledger(new_context, screenshot):
    project = FundingProjectPageFactory(
        title="심야 버스", title_en="Night Bus", slug="night-bus", minimum_donation=1000
    )
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 100000, "backers": 4})
    tier = DonationTierFactory(project=project, amount=20000, title="엔딩 크레딧")
    member = UserFactory(display_name="김후원")
    # A visitor looks first, so the anonymous page cache holds the page with the old total.
    visitor = new_context(locale="en-US").new_page()
    visitor.goto(project.url)
    expect(visitor.locator(".funding-progress__raised")).to_contain_text("100,000")

    page = new_context(locale="en-US").new_page()
    log_in(page, member)
    page.goto(project.url)
    page.get_by_role("link", name=re.compile(r"Donate 20,000")).click()
    expect(page.get_by_role("heading", name="Night Bus")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("엔딩 크레딧"))).to_be_checked()
    page.get_by_label("A message to the creator (optional)").fill("끝까지 응원해요")
    screenshot(page, "checkout")
    page.get_by_role("button", name="Continue to payment").dblclick()  # a double click is one order

    expect(page.get_by_text("Sandbox: no real money")).to_be_visible()
    screenshot(page, "sandbox")
    page.get_by_role("button", name="Pay", exact=True).click()

    expect(page.get_by_role("heading", name="Your donation has arrived")).to_be_visible()
    expect(page.get_by_text("20,000 KRW")).to_be_visible()
    screenshot(page, "receipt")
    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert order.status == "paid" and order.tier == tier

    page.get_by_role("link", name="All my donations and purchases").click()
    expect(page.get_by_role("cell", name="Night Bus")).to_be_visible()

    # The visitor's page still comes from the cache (the payment did not invalidate it), yet the
    # figures and recent backers on it are current: the page's script fetched them.
    # (Fetched by the page itself, so language and cookies are the visitor's: the cache key matches.)
    cached = visitor.evaluate(
        "async (url) => { const r = await fetch(url); return {cache: r.headers.get('x-page-cache'), html: await r.text()}; }",
        project.url,
    )
    assert cached["cache"] == "hit" and "100,000" in cached["html"]
    visitor.reload()
    expect(visitor.locator(".funding-progress__raised")).to_contain_text("120,000")
    expect(visitor.locator(".funding-progress__figures")).to_contain_text("5 backers")
    expect(visitor.locator(".recent-backers")).to_contain_text("김*원")
    screenshot(visitor, "project-live")
    visitor.get_by_role("link", name="See every donation (ledger)").click()
    expect(visitor.get_by_role("cell", name="김*원")).to_be_visible()
    visitor.get_by_role("link", name="Verify the chain").click()
    expect(visitor.get_by_text("Verified: 1 entry, every link intact.")).to_be_visible()
    screenshot(visitor, "ledger")
    assert LedgerEntry.objects.count() == 1

    phone = new_context(locale="en-US", viewport=PHONE).new_page()
    log_in(phone, member)
    phone.goto(reverse("donations:donate", args=[project.pk]))
    assert not has_horizontal_overflow(phone)
    screenshot(phone, "checkout-phone")


def test_a_member_buys_a_paid_film_and_then_plays_it(new_context, screenshot, settings, tmp_path):
    from .journeys import ready_video

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"
    film = FilmPageFactory(
        title="유료 단편", slug="paid-short", price=3000, main_video=ready_video(tmp_path / "paid.mp4")
    )
    member = UserFactory()
    page = new_context(locale="en-US").new_page()
    log_in(page, member)
    page.goto(reverse("watching:watch_film", args=["paid-short"]))
    page.get_by_role("link", name="Buy and watch").click()
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", name="The film is yours")).to_be_visible()
    screenshot(page, "bought")
    body = page.request.get(reverse("api_playback", args=[film.pk])).json()
    assert body["can_watch"] is True
    # And it plays: the whole film, not the trailer.
    page.goto(reverse("watching:watch_film", args=["paid-short"]))
    page.locator("[data-player]").focus()
    page.keyboard.press("m")
    page.locator("[data-play]").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)
    screenshot(page, "playing-bought-film")
