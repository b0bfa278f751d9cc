"""Creators see who backed their project, with the messages left for them; nobody else does."""

import pytest
from django.urls import reverse

from donations.tests.factories import paid_donation
from films.tests.factories import DonationTierFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def donate(project, member, amount, *, tier=None, anonymous=False, message=""):
    return paid_donation(project, member, amount, tier=tier, is_anonymous=anonymous, message=message)


@pytest.fixture
def owned_project():
    from films.tests.factories import FundingProjectPageFactory

    creator = CreatorFactory()
    return FundingProjectPageFactory(title="Night Bus", owner=creator, minimum_donation=1000)


def test_the_creator_sees_names_amounts_messages_and_where_to_send_rewards(client, owned_project):
    tier = DonationTierFactory(project=owned_project, amount=20000, title="Poster", reward="A signed poster")
    with_address = UserFactory(
        display_name="김지수",
        shipping_name="김지수",
        shipping_phone="010-1234-5678",
        shipping_postcode="04620",
        shipping_address="서울 중구 필동로1길 30",
    )
    donate(owned_project, with_address, 20000, tier=tier, message="포스터 기대할게요!")
    donate(owned_project, UserFactory(display_name="Hidden Name"), 5000, anonymous=True, message="Good luck")
    client.force_login(owned_project.owner)
    page = client.get(reverse("donations:project_backers", args=[owned_project.pk])).content.decode()
    assert "김지수" in page and "포스터 기대할게요!" in page and "서울 중구 필동로1길 30" in page
    assert "Anonymous" in page and "Good luck" in page and "Hidden Name" not in page
    assert "25,000 KRW from 2 backers" in page
    assert (
        reverse("donations:project_backers", args=[owned_project.pk])
        in client.get(reverse("members:my_projects")).content.decode()
    )


def test_other_members_and_creators_cannot_see_a_projects_backers(client, owned_project):
    donate(owned_project, UserFactory(), 5000, message="private note")
    url = reverse("donations:project_backers", args=[owned_project.pk])
    for user in (UserFactory(), CreatorFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to log in
    client.force_login(StaffUserFactory())
    assert "private note" in client.get(url).content.decode()
