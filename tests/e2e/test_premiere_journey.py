"""A member on a 390 px phone finds an upcoming premiere on a film page, in Korean and in English,
sees its countdown run and presses "remind me"; the reminder is saved and the button says so."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from films.tests.factories import FilmPageFactory
from live.models import Premiere, PremiereReminder
from members.tests.factories import CreatorFactory, UserFactory
from tests.e2e.journeys import log_in
from tests.readable import in_language

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLOCK = re.compile(r"\d{2}:\d{2}:\d{2}")


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_a_member_on_a_phone_asks_to_be_reminded_of_a_premiere(new_context, screenshot, locale):
    language = locale[:2]
    remind = in_language(language, "Remind me")
    reminded = re.escape(in_language(language, "Reminder set ✓"))
    days = in_language(language, "{days} d").replace("{days}", "2")
    film = FilmPageFactory(title="겨울 정류장", title_en="Winter Stop", owner=CreatorFactory())
    premiere = Premiere.objects.create(
        page=film, title="온라인 첫 상영", starts_at=timezone.now() + timedelta(days=2, hours=3), has_qa=True
    )
    member = UserFactory()
    page = new_context(viewport=PHONE, locale=locale, is_mobile=True).new_page()
    log_in(page, member)

    page.goto(film.url)
    box = page.locator(f"#premiere-{premiere.pk}")
    expect(box).to_contain_text("온라인 첫 상영")
    countdown = box.locator("[data-countdown]")
    expect(countdown).to_be_visible()
    expect(countdown).to_contain_text(CLOCK)
    expect(countdown).to_contain_text(days)
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first)  # it counts down
    box.scroll_into_view_if_needed()
    screenshot(page, f"{locale}-premiere-countdown")
    assert not has_horizontal_overflow(page)

    box.get_by_role("button", name=remind, exact=True).click()
    expect(page.locator(f"#premiere-{premiere.pk}").get_by_role("button", name=re.compile(reminded))).to_be_visible()
    assert PremiereReminder.objects.filter(member=member, premiere=premiere).exists()
    page.locator(f"#premiere-{premiere.pk}").scroll_into_view_if_needed()
    screenshot(page, f"{locale}-reminder-set")
