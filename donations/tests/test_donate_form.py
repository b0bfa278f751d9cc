"""The donate form: amounts typed as people type them, and a shipping address for rewards sent by post."""

import pytest
from django.urls import reverse

from donations.forms import DonationForm
from donations.models import Order
from donations.providers.sandbox import payment_key
from films.tests.factories import DonationTierFactory
from members.tests.factories import CreatorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ADDRESS = {
    "shipping_name": "김지수",
    "shipping_phone": "010-1234-5678",
    "shipping_postcode": "04620",
    "shipping_address": "서울 중구 필동로1길 30",
    "shipping_address_detail": "신공학관 101호",
}


def donate(client, project, **data):
    """Open the donate page (for its one-time token), then send it."""
    page = client.get(reverse("donations:donate", args=[project.pk]))
    body = {"provider": "sandbox", "client_token": page.context["form"]["client_token"].value(), **data}
    return client.post(reverse("donations:donate", args=[project.pk]), body)


@pytest.mark.parametrize(
    "typed", ["12,000", "12000원", "12,000 원", "₩12,000", "１２，０００", "１２０００원", " 12000 "]
)
def test_the_amount_is_read_as_people_type_it(project, typed):
    """Thousands commas, "원", "₩" and full-width digits all mean 12,000 KRW."""
    form = DonationForm({"amount": typed, "provider": "sandbox", "client_token": "t" * 24}, project=project)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 12000


@pytest.mark.parametrize("typed", ["12,00", "1,2000", "12.5", "열두 개", "12,000달러"])
def test_an_amount_that_is_not_a_sum_of_won_is_refused(project, typed):
    """Misplaced commas, decimals and other words are refused, never guessed at."""
    form = DonationForm({"amount": typed, "provider": "sandbox", "client_token": "t" * 24}, project=project)
    assert not form.is_valid() and "amount" in form.errors


def test_a_donation_typed_with_a_comma_goes_through_the_page(client, project, member):
    """The donate page takes "12,000" in a text box (a number box would drop it) and orders 12,000 KRW."""
    page = client.get(reverse("donations:donate", args=[project.pk])).content.decode()
    assert 'name="amount"' in page and 'type="number"' not in page.split('name="amount"')[0].rsplit("<", 1)[-1]
    response = donate(client, project, amount="12,000")
    assert response.status_code == 302
    assert Order.objects.get(member=member).amount == 12000


def test_a_shipping_tier_asks_for_the_address_prefilled_from_the_profile(client, project, member):
    """The address fields appear, filled in with the profile's address."""
    DonationTierFactory(project=project, amount=30000, title="Poster", reward="A signed poster", ships=True)
    member.__class__.objects.filter(pk=member.pk).update(**ADDRESS)
    form = client.get(reverse("donations:donate", args=[project.pk])).context["form"]
    assert {name: form[name].value() for name in ADDRESS} == ADDRESS


def test_a_shipping_tier_without_an_address_is_refused(client, project, member):
    """No order is made until the recipient, phone, postcode and address are given."""
    tier = DonationTierFactory(project=project, amount=30000, title="Poster", reward="A signed poster", ships=True)
    response = donate(client, project, tier=tier.pk)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"shipping_name", "shipping_phone", "shipping_postcode", "shipping_address"}
    assert errors["shipping_postcode"] == ["Needed to send you the reward."]
    assert not Order.objects.exists()


def test_a_tier_that_does_not_ship_needs_no_address(client, project, member):
    """A thank-you in the credits asks for nothing, even when another tier ships."""
    DonationTierFactory(project=project, amount=30000, title="Poster", reward="A signed poster", ships=True)
    credits = DonationTierFactory(project=project, amount=5000, title="Credits", reward="Your name in the credits")
    response = donate(client, project, tier=credits.pk)
    assert response.status_code == 302
    order = Order.objects.get(member=member)
    assert order.tier == credits and order.shipping_address == ""


def test_the_address_is_stored_on_the_order_and_shown_to_the_creator(client, project, member):
    """The creator's backers list shows the address given at checkout (the profile has none)."""
    project.owner = CreatorFactory()
    project.save(update_fields=["owner"])
    tier = DonationTierFactory(project=project, amount=30000, title="Poster", reward="A signed poster", ships=True)
    response = donate(client, project, tier=tier.pk, save_shipping="", **ADDRESS)
    assert response.status_code == 302
    order = Order.objects.get(member=member)
    assert {name: getattr(order, name) for name in ADDRESS} == ADDRESS
    member.refresh_from_db()
    assert member.shipping_address == ""  # "keep on my profile" was unticked
    query = {"paymentKey": payment_key(order.public_id, order.amount), "orderId": order.public_id, "amount": 30000}
    assert client.get(reverse("donations:payment_success"), query).status_code == 302

    client.force_login(project.owner)
    page = client.get(reverse("donations:project_backers", args=[project.pk])).content.decode()
    assert "서울 중구 필동로1길 30" in page and "(04620)" in page and "010-1234-5678" in page


def test_the_address_can_be_kept_on_the_profile(client, project, member):
    """Ticking "keep this address" fills the profile for the next checkout."""
    tier = DonationTierFactory(project=project, amount=30000, title="Poster", reward="A signed poster", ships=True)
    donate(client, project, tier=tier.pk, save_shipping="on", **ADDRESS)
    member.refresh_from_db()
    assert member.shipping_postcode == "04620" and member.shipping_name == "김지수"
