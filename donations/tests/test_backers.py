"""Creators see who backed their project, with the messages left for them; nobody else does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from donations.models import Order
from donations.tests.factories import paid_donation
from donations.tests.helpers import seoul
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


# --- sorting, filtering, counting ------------------------------------------------------------------


def listed(client, project, **params) -> list:
    """The orders the backers list shows for `params`, in its order (as the project's owner)."""
    client.force_login(project.owner)
    response = client.get(reverse("donations:project_backers", args=[project.pk]), params)
    assert response.status_code == 200
    return list(response.context["page"])


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["chul", "bora", "ann", "hidden", "jisu"]),
        ("newest", ["chul", "bora", "ann", "hidden", "jisu"]),
        ("oldest", ["jisu", "hidden", "ann", "bora", "chul"]),
        ("amount_high", ["hidden", "chul", "jisu", "bora", "ann"]),
        ("amount_low", ["ann", "bora", "jisu", "chul", "hidden"]),
        ("name", ["ann", "bora", "chul", "jisu", "hidden"]),
    ],
)
def test_the_list_sorts_by_date_amount_or_name(client, backed_project, sort, expected):
    """Newest first by default; equal amounts by date; by name, anonymous backers come last (their place would hint at a name)."""
    orders = listed(client, backed_project.project, sort=sort)
    assert orders == [getattr(backed_project, name) for name in expected]


def test_the_list_filters_by_tier_or_no_tier(client, backed_project):
    """A tier of the project, or "none": donations of any other amount."""
    b = backed_project
    assert listed(client, b.project, tier=b.poster.pk, sort="oldest") == [b.jisu, b.hidden, b.chul]
    assert listed(client, b.project, tier=b.thanks.pk) == [b.ann]
    assert listed(client, b.project, tier="none") == [b.bora]


def test_the_list_filters_by_reward_status(client, backed_project):
    """To send and sent are donations owing a reward; a tier without one, no tier and a full refund owe none."""
    b = backed_project
    Order.objects.filter(pk=b.hidden.pk).update(reward_sent_at=timezone.now())
    assert listed(client, b.project, reward="to_send") == [b.jisu]
    assert listed(client, b.project, reward="sent") == [b.hidden]
    assert listed(client, b.project, reward="none") == [b.chul, b.bora, b.ann]


def test_filters_and_sort_combine(client, backed_project):
    """Tier, reward status and sort apply together."""
    b = backed_project
    assert listed(client, b.project, tier=b.poster.pk, reward="to_send", sort="amount_low") == [b.jisu, b.hidden]
    assert listed(client, b.project, tier=b.poster.pk, reward="none") == [b.chul]
    assert listed(client, b.project, tier="none", reward="to_send") == []


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "'; DROP TABLE donations_order; --"},
        {"sort": "-amount"},
        {"reward": "lost"},
        {"tier": "abc"},
        {"tier": "99999999999999999999"},
        {"tier": "\u0663"},  # an Arabic-Indic three: a digit to Python, not a tier
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
    ],
)
def test_a_bad_parameter_falls_back_to_its_default(client, backed_project, params):
    """Anything that is not one of the choices shows the whole list, newest first: never an error page."""
    assert listed(client, backed_project.project, **params) == listed(client, backed_project.project)


def test_a_tier_of_another_project_is_not_a_filter(client, backed_project):
    """Tiers are checked against the project's own: another project's tier shows everything."""
    other = DonationTierFactory(amount=20000, title="Poster", reward="Another poster")
    assert len(listed(client, backed_project.project, tier=other.pk)) == 5


def test_the_list_counts_what_it_shows_and_the_rewards(client, backed_project):
    """How many donations the filters keep out of all, and how many rewards are to send and sent."""
    b = backed_project
    Order.objects.filter(pk=b.hidden.pk).update(reward_sent_at=timezone.now())
    client.force_login(b.owner)
    url = reverse("donations:project_backers", args=[b.project.pk])
    page = client.get(url).content.decode()
    assert "5 of 5 donations" in page and "To send: 1" in page and "Sent: 1" in page
    assert "3 of 5 donations" in client.get(url, {"tier": b.poster.pk}).content.decode()
    assert "1 of 5 donations" in client.get(url, {"tier": "none"}).content.decode()


def test_page_links_keep_the_sort_and_filters(client, backed_project, monkeypatch):
    """Moving between pages keeps what the creator chose; defaults stay out of the links."""
    monkeypatch.setattr("donations.views.backers.PAGE_SIZE", 2)
    b = backed_project
    client.force_login(b.owner)
    url = reverse("donations:project_backers", args=[b.project.pk])
    first = client.get(url, {"tier": b.poster.pk, "sort": "oldest"})
    assert list(first.context["page"]) == [b.jisu, b.hidden]
    assert f"?tier={b.poster.pk}&amp;sort=oldest&amp;page=2" in first.content.decode()
    second = client.get(url, {"tier": b.poster.pk, "sort": "oldest", "page": 2})
    assert list(second.context["page"]) == [b.chul]
    assert f"?tier={b.poster.pk}&amp;sort=oldest&amp;page=1" in second.content.decode()
    assert "sort=newest" not in client.get(url).content.decode()


def test_the_page_says_which_rewards_are_to_send_and_when_others_were_sent(client, backed_project):
    """ "To send", or "Sent on" with the date in Seoul; a donation owing nothing has no status and no checkbox."""
    b = backed_project
    Order.objects.filter(pk=b.hidden.pk).update(reward_sent_at=seoul(2026, 2, 1, 0, 30))
    client.force_login(b.owner)
    page = client.get(reverse("donations:project_backers", args=[b.project.pk]), {"reward": "sent"}).content.decode()
    assert "Sent on 2026-02-01" in page
    page = client.get(reverse("donations:project_backers", args=[b.project.pk])).content.decode()
    assert "To send" in page
    assert f'name="order" value="{b.jisu.pk}" form="backer-rewards"' in page
    assert f'name="order" value="{b.bora.pk}"' not in page and f'name="order" value="{b.chul.pk}"' not in page


def test_a_fully_refunded_reward_shows_no_address(client, backed_project):
    """Once all the money went back, the reward and the address where it would have gone are not shown."""
    b = backed_project
    Order.objects.filter(pk=b.chul.pk).update(shipping_address="부산 해운대구 센텀로 1")
    client.force_login(b.owner)
    page = client.get(reverse("donations:project_backers", args=[b.project.pk])).content.decode()
    assert "부산 해운대구 센텀로 1" not in page and "서울 중구 필동로1길 30" in page


# --- who may do what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "csv", "mark", "marked"),
    [
        ("owner", 200, 200, 302, True),
        ("staff", 200, 200, 302, True),
        ("another creator", 404, 404, 404, False),
        ("a member", 404, 404, 404, False),
        ("a visitor", 302, 302, 302, False),  # to log in
    ],
)
def test_who_may_see_download_and_mark_rewards(client, backed_project, who, page, csv, mark, marked):
    """The owner and staff; for everybody else the project's backers do not exist, and nothing is marked."""
    b = backed_project
    user = {
        "owner": b.owner,
        "staff": StaffUserFactory(),
        "another creator": CreatorFactory(),
        "a member": UserFactory(),
        "a visitor": None,
    }[who]
    if user is not None:
        client.force_login(user)
    args = [b.project.pk]
    assert client.get(reverse("donations:project_backers", args=args)).status_code == page
    assert client.get(reverse("donations:project_backers_csv", args=args)).status_code == csv
    response = client.post(reverse("donations:mark_rewards", args=args), {"order": b.jisu.pk, "status": "sent"})
    assert response.status_code == mark
    if user is None:
        assert response.url.startswith(reverse("account_login"))
    b.jisu.refresh_from_db()
    assert (b.jisu.reward_sent_at is not None) is marked


def test_a_project_that_does_not_exist_is_a_404(client, backed_project):
    """For its owner too: the id is checked before anything else."""
    client.force_login(backed_project.owner)
    missing = backed_project.project.pk + 1000
    assert client.get(reverse("donations:project_backers", args=[missing])).status_code == 404
    assert client.get(reverse("donations:project_backers_csv", args=[missing])).status_code == 404
    assert client.post(reverse("donations:mark_rewards", args=[missing]), {"status": "sent"}).status_code == 404
