"""Creators mark the rewards they posted as sent (one backer, or several ticked at once), and back to
"to send"; only for their own project's donations, and only by POST with a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Order
from donations.tests.helpers import at, seoul
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory

from .factories import paid_donation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def mark(client, project, orders, status="sent", query=""):
    url = reverse("donations:mark_rewards", args=[project.pk]) + query
    return client.post(url, {"order": [order.pk for order in orders], "status": status})


def sent_at(order):
    return Order.objects.values_list("reward_sent_at", flat=True).get(pk=order.pk)


def test_the_owner_marks_one_reward_sent_and_the_time_is_recorded(client, backed_project):
    """The row's button records now as the date the reward was sent."""
    b = backed_project
    client.force_login(b.owner)
    with at(seoul(2026, 2, 1, 9)):
        response = mark(client, b.project, [b.jisu])
    assert response.status_code == 302
    assert sent_at(b.jisu) == seoul(2026, 2, 1, 9)
    assert sent_at(b.hidden) is None


def test_several_ticked_rewards_are_marked_in_one_post(client, backed_project):
    """The checkboxes send several `order` values with one status; the creator is told how many changed."""
    b = backed_project
    client.force_login(b.owner)
    response = mark(client, b.project, [b.jisu, b.hidden])
    assert sent_at(b.jisu) is not None and sent_at(b.hidden) is not None
    assert "2 rewards marked as sent." in client.get(response.url).content.decode()


def test_marking_sent_twice_keeps_the_first_date(client, backed_project):
    """A double click or a second tab records nothing new."""
    b = backed_project
    client.force_login(b.owner)
    with at(seoul(2026, 2, 1, 9)):
        mark(client, b.project, [b.jisu])
    with at(seoul(2026, 2, 3, 9)):
        response = mark(client, b.project, [b.jisu, b.hidden])
    assert sent_at(b.jisu) == seoul(2026, 2, 1, 9)
    assert sent_at(b.hidden) == seoul(2026, 2, 3, 9)
    assert "1 reward marked as sent." in client.get(response.url).content.decode()


def test_a_sent_reward_goes_back_to_to_send(client, backed_project):
    """ "Mark as to send" clears the date, and the donation shows under "to send" again."""
    b = backed_project
    client.force_login(b.owner)
    mark(client, b.project, [b.jisu])
    mark(client, b.project, [b.jisu], status="to_send")
    assert sent_at(b.jisu) is None
    listed = client.get(reverse("donations:project_backers", args=[b.project.pk]), {"reward": "to_send"})
    assert b.jisu in list(listed.context["page"])


def test_donations_owing_no_reward_are_left_alone(client, backed_project):
    """A tier without a reward, no tier, a full refund: ticked by a crafted POST, nothing is recorded."""
    b = backed_project
    client.force_login(b.owner)
    response = mark(client, b.project, [b.ann, b.bora, b.chul])
    assert response.status_code == 302
    assert [sent_at(order) for order in (b.ann, b.bora, b.chul)] == [None, None, None]


def test_an_order_of_another_project_is_a_404_and_changes_nothing(client, backed_project):
    """A forged id, alone or among the project's own: 404, and no reward of either project is marked."""
    b = backed_project
    elsewhere = FundingProjectPageFactory(owner=CreatorFactory())
    tier = DonationTierFactory(project=elsewhere, amount=20000, title="Poster", reward="Their poster")
    theirs = paid_donation(elsewhere, amount=20000, tier=tier)
    client.force_login(b.owner)
    assert mark(client, b.project, [theirs]).status_code == 404
    assert mark(client, b.project, [b.jisu, theirs]).status_code == 404
    assert sent_at(theirs) is None and sent_at(b.jisu) is None


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999", "1.5"])
def test_an_order_id_that_is_no_order_is_a_404(client, backed_project, value):
    """Not a number, empty or out of range: nothing to mark, nothing marked."""
    b = backed_project
    client.force_login(b.owner)
    url = reverse("donations:mark_rewards", args=[b.project.pk])
    response = client.post(url, {"order": [b.jisu.pk, value], "status": "sent"})
    assert response.status_code == 404
    assert sent_at(b.jisu) is None


def test_nothing_ticked_or_no_status_says_so_and_changes_nothing(client, backed_project):
    """The bulk buttons with no checkbox ticked, or a status that is neither, come back to the list with a message."""
    b = backed_project
    client.force_login(b.owner)
    url = reverse("donations:mark_rewards", args=[b.project.pk])
    for data in ({"status": "sent"}, {"order": b.jisu.pk, "status": "lost"}):
        response = client.post(url, data, follow=True)
        assert "Tick the backers whose rewards you want to mark first." in response.content.decode()
    assert sent_at(b.jisu) is None


def test_marking_returns_to_the_list_as_it_was(client, backed_project):
    """The redirect keeps the filters, sort and page of the list the creator was on, rebuilt from valid values only."""
    b = backed_project
    client.force_login(b.owner)
    list_url = reverse("donations:project_backers", args=[b.project.pk])
    response = mark(client, b.project, [b.jisu], query=f"?tier={b.poster.pk}&reward=to_send&sort=oldest&page=2")
    assert response.url == f"{list_url}?tier={b.poster.pk}&reward=to_send&sort=oldest&page=2"
    response = mark(client, b.project, [b.hidden], query="?sort=evil&next=https://example.com/&page=x")
    assert response.url == list_url


def test_marking_takes_a_post(client, backed_project):
    """A GET (a link, a prefetch) changes nothing."""
    b = backed_project
    client.force_login(b.owner)
    url = reverse("donations:mark_rewards", args=[b.project.pk])
    assert client.get(url, {"order": b.jisu.pk, "status": "sent"}).status_code == 405
    assert sent_at(b.jisu) is None


def test_marking_needs_the_csrf_token(backed_project):
    """A POST from another site (no token) is refused; the page's own forms carry one."""
    b = backed_project
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(b.owner)
    assert mark(browser, b.project, [b.jisu]).status_code == 403
    assert sent_at(b.jisu) is None
    page = browser.get(reverse("donations:project_backers", args=[b.project.pk]))
    token = page.context["csrf_token"]
    url = reverse("donations:mark_rewards", args=[b.project.pk])
    response = browser.post(url, {"order": b.jisu.pk, "status": "sent", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and sent_at(b.jisu) is not None
