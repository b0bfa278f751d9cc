"""A creator on a phone works through the backers list: filters to the rewards still to send, ticks
two, marks them sent in one go, and downloads the list; the table scrolls in its own box at 390 px."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from donations.models import Order
from donations.tests.factories import paid_donation
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, UserFactory

from .conftest import PHONE, has_horizontal_overflow
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def phone_as(new_context, live_server, user, locale):
    """A 390 px touch phone, logged in as `user`, asking for `locale`."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


@pytest.fixture
def project():
    """Three rewards to send (one sent by post, with an address), and a donation owing none."""
    project = FundingProjectPageFactory(title="무대 뒤의 사람들", title_en="People Backstage", owner=CreatorFactory())
    poster = DonationTierFactory(project=project, amount=20_000, title="포스터", reward="감독 사인 포스터", ships=True)
    credits = DonationTierFactory(project=project, amount=5_000, title="응원 한 잔", reward="엔딩 크레딧에 이름")
    address = {"shipping_name": "김지수", "shipping_phone": "010-1234-5678", "shipping_postcode": "04620",
               "shipping_address": "서울 중구 필동로1길 30", "shipping_address_detail": "2층"}  # fmt: skip
    paid_donation(project, UserFactory(display_name="김지수"), 20_000, tier=poster, message="기대할게요!", **address)
    paid_donation(project, UserFactory(display_name="이하늘"), 5_000, tier=credits, message="응원합니다!")
    paid_donation(project, UserFactory(display_name="박도윤"), 5_000, tier=credits, is_anonymous=True)
    paid_donation(project, UserFactory(display_name="Bora"), 12_000, message="화이팅")
    return project


def test_the_creator_marks_ticked_rewards_sent_on_a_phone(new_context, live_server, project, screenshot):
    """Filter "to send", tick two, "Mark as sent": both show as sent today and leave the filtered list."""
    page = phone_as(new_context, live_server, project.owner, "en-US")
    page.goto(reverse("donations:project_backers", args=[project.pk]))
    page.get_by_label("Reward", exact=True).select_option("to_send")  # site.js submits the filters on change
    expect(page.get_by_role("status").filter(has_text="3 of 4 donations")).to_be_visible()
    screenshot(page, "to-send")
    checkboxes = page.locator("input[type=checkbox][form=backer-rewards]")
    expect(checkboxes).to_have_count(3)
    checkboxes.nth(0).check()
    checkboxes.nth(1).check()
    page.locator("#backer-rewards").get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("2 rewards marked as sent.")).to_be_visible()
    assert "reward=to_send" in page.url  # back on the list as it was
    expect(page.get_by_role("status").filter(has_text="1 of 4 donations")).to_be_visible()
    assert Order.objects.filter(project=project, reward_sent_at__isnull=False).count() == 2

    page.get_by_label("Reward", exact=True).select_option("sent")
    expect(page.get_by_text("Sent on").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith(f"backers-{project.pk}-")
    with open(download.value.path(), encoding="utf-8-sig") as file:
        assert len(file.read().strip().splitlines()) == 3  # the header and the two sent


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_backers_list_fits_a_phone(new_context, live_server, project, screenshot, locale):
    """At 390 px the page never scrolls sideways (the table scrolls in its own box), and nothing overlaps."""
    page = phone_as(new_context, live_server, project.owner, locale)
    page.goto(reverse("donations:project_backers", args=[project.pk]))
    expect(page.locator(".backers__table")).to_be_visible()
    screenshot(page, f"backers-{locale}")
    assert layout_problems(page) == []
    assert not has_horizontal_overflow(page)
