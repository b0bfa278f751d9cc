"""The member chooser names only members the requester could have found: no lookups by id."""

import json
import re

import pytest
from django.urls import reverse

from members.tests.admin_forms import client_for
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def chosen(client, member, **params):
    return client.get(reverse("member_chooser:chosen", args=[member.pk]), params)


def chosen_title(response) -> str:
    return json.loads(response.content)["result"]["title"]


@pytest.fixture
def seoyun():
    return UserFactory(display_name="박서윤", email="seoyun@example.com")


def test_a_creator_cannot_look_a_member_up_by_id(seoyun):
    """Without a search that finds them, another member's name and address are not given out."""
    response = chosen(client_for(CreatorFactory()), seoyun)

    assert response.status_code == 404


def test_a_creator_cannot_look_a_member_up_by_id_with_a_search_that_misses_them(seoyun):
    """A search for someone else does not unlock this member."""
    response = chosen(client_for(CreatorFactory()), seoyun, q="김지수")

    assert response.status_code == 404


def test_a_creator_chooses_a_member_their_search_found(seoyun):
    """The link in the search results answers with the member's name and masked address."""
    client = client_for(CreatorFactory())
    results = client.get(reverse("member_chooser:choose_results"), {"q": "서윤"}).content.decode()
    link = re.search(r'href="([^"]*/chosen/[^"]*)"', results).group(1).replace("&amp;", "&")

    response = client.get(link)

    assert response.status_code == 200
    assert chosen_title(response) == "박서윤 (s•••@example.com)"


def test_a_creator_may_choose_themselves():
    """Creators are offered their own account without searching for it."""
    creator = CreatorFactory(display_name="이하늘")

    assert chosen(client_for(creator), creator).status_code == 200


def test_staff_choose_any_member(seoyun):
    """Staff browse the whole member list, so the chooser answers them for anyone."""
    response = chosen(client_for(StaffUserFactory()), seoyun)

    assert chosen_title(response) == "박서윤 (s•••@example.com)"


def test_the_multiple_choice_view_names_nobody_unfound(seoyun):
    """The chooser's several-at-once view follows the same rule."""
    response = client_for(CreatorFactory()).get(reverse("member_chooser:chosen_multiple"), {"id": [seoyun.pk]})

    assert json.loads(response.content)["result"] == []
