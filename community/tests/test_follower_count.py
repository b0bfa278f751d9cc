"""The follower count on follow buttons comes from the cache (`follows.follower_count`) and is
dropped whenever a follow starts or ends, however it ends: the member who followed and everyone
else see the new count at once."""

import pytest
from django.urls import reverse

from community import follows
from community.models import Follow
from films.tests.factories import FilmPageFactory, PersonFactory
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def count_on_page(client, page, user=None) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    html = client.get(page.url).content.decode()
    return html.split('class="follow__count muted">', 1)[1].split("</span>", 1)[0]


def test_following_and_unfollowing_show_at_once_to_the_follower_and_to_other_members(client):
    film = FilmPageFactory()
    fan, other = UserFactory(), UserFactory()
    assert count_on_page(client, film, fan) == "팔로워 0명"
    assert count_on_page(client, film, other) == "팔로워 0명"

    client.force_login(fan)
    client.post(reverse("community:follow", args=["page", film.pk]), {"follow": "1"})
    assert count_on_page(client, film, fan) == "팔로워 1명"
    assert count_on_page(client, film, other) == "팔로워 1명"

    client.force_login(fan)
    client.post(reverse("community:follow", args=["page", film.pk]), {"follow": "0"})
    assert count_on_page(client, film, fan) == "팔로워 0명"
    assert count_on_page(client, film, other) == "팔로워 0명"


def test_a_follow_deleted_with_its_member_leaves_the_count(client):
    director = PersonFactory()
    fans = UserFactory.create_batch(2)
    for fan in fans:
        follows.follow(fan, director)
    assert follows.follower_count(director) == 2
    fans[0].delete()
    assert follows.follower_count(director) == 1


def test_each_target_keeps_its_own_count():
    """A page, a person and a member with the same id are counted apart."""
    film = FilmPageFactory()
    member = UserFactory()
    follows.follow(UserFactory(), film)
    assert follows.follower_count(film) == 1
    assert follows.follower_count(member) == 0
    Follow.objects.create(follower=UserFactory(), member=member)
    assert follows.follower_count(member) == 1 and follows.follower_count(film) == 1
