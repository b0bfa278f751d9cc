"""A backer on a phone picks a reward sent by post, gives the address (prefilled from the profile)
with an amount typed as people type it, pays in the sandbox, and the creator sees where to send it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donations.models import Order
from films.models import FundingTotal
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, UserFactory

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, user):
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(re.compile(r"^Password:?$")).fill("password")  # UserFactory's password
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/me/"))


def test_a_backer_gives_a_shipping_address_for_a_posted_reward_and_the_creator_sees_it(new_context, screenshot):
    project = FundingProjectPageFactory(title="Night Bus", owner=CreatorFactory(), minimum_donation=1000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    poster = DonationTierFactory(project=project, amount=30000, title="Poster", reward="A signed poster", ships=True)
    DonationTierFactory(project=project, amount=5000, title="Credits", reward="Your name in the credits")
    backer = UserFactory(shipping_name="김지수", shipping_phone="010-1234-5678", shipping_postcode="04620")

    page = new_context(locale="en-US", viewport=PHONE).new_page()
    log_in(page, backer)
    page.goto(reverse("donations:donate", args=[project.pk]))
    address = page.get_by_role("group", name="Shipping address")
    expect(address).to_be_hidden()  # no reward sent by post chosen yet
    page.get_by_label(re.compile(r"Credits")).check()
    expect(address).to_be_hidden()
    page.get_by_label(re.compile(r"Poster · sent by post")).check()
    expect(address).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_value("04620")  # from the profile
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Needed to send you the reward.")).to_be_visible()  # no street address yet
    page.get_by_label(re.compile(r"^Address:?$")).fill("서울 중구 필동로1길 30")
    assert not has_horizontal_overflow(page)
    screenshot(page, "shipping-address-phone")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name=re.compile("^Pay")).click()
    expect(page.get_by_text(re.compile("Thank you|paid", re.I)).first).to_be_visible()
    order = Order.objects.get(member=backer)
    assert (order.tier_id, order.amount, order.shipping_address) == (poster.pk, 30000, "서울 중구 필동로1길 30")

    # Another amount, typed with a comma, needs no address.
    page.goto(reverse("donations:donate", args=[project.pk]))
    page.get_by_label("Or any amount (KRW)").fill("12,000")
    expect(address).to_be_hidden()
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name=re.compile("^Pay")).click()
    assert Order.objects.filter(member=backer, amount=12000, tier=None).exists()

    creator = new_context(locale="en-US").new_page()
    log_in(creator, project.owner)
    creator.goto(reverse("donations:project_backers", args=[project.pk]))
    expect(creator.get_by_text(re.compile(r"\(04620\) 서울 중구 필동로1길 30"))).to_be_visible()
    screenshot(creator, "backers-with-address")
