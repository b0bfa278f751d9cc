"""The root page remembers where each path leads for a generation (`page_cache.routes`): fewer
queries, and never a page the tree no longer leads to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.models import FilmPage
from films.tests.factories import FilmPageFactory
from home.tests.factories import notice_board, publish_notice
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def slug_lookups(client, url: str) -> int:
    """Wagtail's walk down the tree: one query for each level's child by its slug."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('"wagtailcore_page"."slug" =' in query["sql"] for query in queries)


def test_a_remembered_route_finds_the_page_without_walking_the_tree(client):
    film = FilmPageFactory(title="겨울 정류장", slug="겨울-정류장")
    client.force_login(UserFactory())
    assert slug_lookups(client, film.url) == 2  # the catalogue, then the film
    assert slug_lookups(client, film.url) == 0


def test_a_renamed_page_is_not_served_at_its_old_address(client):
    """A new slug is published: the old path no longer leads to the page (Wagtail redirects it)."""
    film = FilmPageFactory(slug="old-name")
    old_url = film.url
    assert client.get(old_url).status_code == 200
    client.force_login(UserFactory())  # no page cache: the route itself is asked
    assert client.get(old_url).status_code == 200

    film.slug = "new-name"
    film.save_revision().publish()
    assert client.get(old_url).status_code != 200
    assert client.get(FilmPage.objects.get(pk=film.pk).url).status_code == 200


def test_a_page_taken_offline_is_a_404_even_on_a_remembered_route(client):
    """The page's own route still decides, so a page made not live without a new generation (a
    change written past Wagtail) is not served."""
    film = FilmPageFactory()
    client.force_login(UserFactory())
    assert client.get(film.url).status_code == 200
    FilmPage.objects.filter(pk=film.pk).update(live=False)
    assert client.get(film.url).status_code == 404


def test_sub_routes_of_a_routable_page_are_never_remembered_as_a_page(client):
    """The notice board answers its own feed path: each request still reaches its sub-route."""
    notice = publish_notice(title_en="Screening")
    board = notice_board()
    client.force_login(UserFactory())
    for _ in range(2):
        feed = client.get(f"{board.url}feed/")
        assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
        assert client.get(board.url).status_code == 200
        assert client.get(notice.url).status_code == 200


def test_a_changed_site_is_followed_at_once(client):
    """The site of a host is remembered for the generation (`page_cache.sites`): changing the site
    starts a new one, so the new root answers the next request."""
    from wagtail.models import Page, Site

    from home.models import HomePage

    site = Site.objects.get(is_default_site=True)
    assert client.get("/").status_code == 200
    other_root = site.root_page.get_parent().add_child(instance=HomePage(title="다른 홈", slug="other-home"))
    site.root_page = Page.objects.get(pk=other_root.pk)
    site.save()
    assert "다른 홈" in client.get("/").content.decode()
