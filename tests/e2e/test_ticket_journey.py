"""A member on a 390 px phone buys a ticket to an upcoming premiere, in Korean and in English: from the
film page's premiere box to the watch page, the checkout (the sandbox provider), the receipt and back
to the premiere, which now knows the ticket."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from donations.models import LedgerEntry, Order
from films.tests.factories import FilmPageFactory
from live.models import Premiere
from members.tests.factories import CreatorFactory, UserFactory
from tests.e2e.journeys import log_in
from tests.readable import in_language

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_a_member_on_a_phone_buys_a_ticket_to_a_premiere(new_context, screenshot, locale):
    language = locale[:2]

    def say(text: str) -> str:
        return in_language(language, text)

    film = FilmPageFactory(title="겨울 정류장", title_en="Winter Stop", owner=CreatorFactory())
    premiere = Premiere.objects.create(
        page=film, title="겨울 정류장 프리미어", starts_at=timezone.now() + timedelta(days=1), ticket_price=7000
    )
    member = UserFactory(display_name="김지수")
    page = new_context(viewport=PHONE, locale=locale, is_mobile=True).new_page()
    log_in(page, member)

    page.goto(film.url)
    box = page.locator(f"#premiere-{premiere.pk}")
    expect(box).to_contain_text("7,000")
    box.get_by_role("link", name=say("Tickets and details")).click()
    expect(page.get_by_role("heading", name="겨울 정류장 프리미어")).to_be_visible()
    # The chat's box to write in appears only once the chat says this viewer may write (here, with
    # no WebSocket server behind the test's site, never).
    expect(page.locator("[data-chat-form]")).to_be_hidden()
    screenshot(page, f"{locale}-watch-without-ticket")
    assert not has_horizontal_overflow(page)

    page.get_by_role("link", name=say("Buy a ticket")).click()
    expect(page.locator(".checkout__price")).to_contain_text("7,000")
    screenshot(page, f"{locale}-checkout")
    assert not has_horizontal_overflow(page)
    page.get_by_role("button", name=say("Continue to payment")).dblclick()  # a double click is one order
    page.get_by_role("button", name=say("Pay"), exact=True).click()

    expect(page.get_by_role("heading", name=say("Your ticket is ready"))).to_be_visible()
    screenshot(page, f"{locale}-receipt")
    assert not has_horizontal_overflow(page)
    page.get_by_role("link", name=say("Go to the premiere")).click()
    expect(page.get_by_text(re.compile(re.escape(say("You have a ticket ✓"))))).to_be_visible()
    expect(page.get_by_role("link", name=say("Buy a ticket"))).to_have_count(0)
    screenshot(page, f"{locale}-watch-with-ticket")
    assert not has_horizontal_overflow(page)

    # The member's page lists the ticket with a way back to its premiere.
    page.goto(reverse("members:my_donations"))
    tickets = page.locator("section").filter(has=page.get_by_role("heading", name=say("Your tickets")))
    expect(tickets.get_by_role("link", name="겨울 정류장 프리미어")).to_have_attribute(
        "href", reverse("live:watch", args=[premiere.pk])
    )
    screenshot(page, f"{locale}-my-tickets")
    assert not has_horizontal_overflow(page)

    order = Order.objects.get(member=member)
    assert (order.kind, order.status, order.amount, order.item) == ("ticket", "paid", 7000, f"premiere:{premiere.pk}")
    assert LedgerEntry.objects.get(order=order).chain_id == f"film:{film.pk}"
