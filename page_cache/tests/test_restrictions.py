"""Which pages have view restrictions is remembered per generation (`page_cache.restrictions`): a
film page with none costs no query for the check, and a restriction added, removed or inherited
through a move takes effect at once, for visitors and members alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from films.models import FilmPage
from films.tests.factories import FilmPageFactory, film_index
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def restriction_checks(client, url: str) -> list[str]:
    """Wagtail's check before serving: the page's ancestors, then the restrictions on them."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in queries
        if 'FROM "wagtailcore_pageviewrestriction" WHERE' in query["sql"] or '"alias_of_id" FROM' in query["sql"]
    ]


def test_a_page_without_restrictions_is_served_without_asking_for_them(client):
    film = FilmPageFactory()
    client.force_login(UserFactory())  # no page cache: the page is rendered
    client.get(film.url)
    assert restriction_checks(client, film.url) == []


@pytest.mark.parametrize("restricted", ["film", "catalogue"])
def test_a_new_restriction_applies_at_once_to_visitors_and_members(client, restricted):
    film = FilmPageFactory()
    member = UserFactory()
    assert client.get(film.url).status_code == 200
    client.force_login(member)
    assert client.get(film.url).status_code == 200

    page = film if restricted == "film" else film_index()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert "password" in client.get(film.url).content.decode()  # the member gets the password form
    client.logout()
    assert "password" in client.get(film.url).content.decode()

    restriction.delete()
    assert client.get(film.url).status_code == 200
    client.force_login(member)
    assert "password" not in client.get(film.url).content.decode()


def test_a_page_moved_under_a_restricted_page_is_restricted_at_once(client):
    film = FilmPageFactory()
    elsewhere = FilmPageFactory()
    PageViewRestriction.objects.create(page=elsewhere, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(UserFactory())
    assert client.get(film.url).status_code == 200
    client.logout()

    film.move(elsewhere, pos="last-child")
    response = client.get(FilmPage.objects.get(pk=film.pk).url)
    assert response.status_code == 302 and "login" in response["Location"]
