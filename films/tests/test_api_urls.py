"""The API's links all start at the configured public address (WAGTAILAPI_BASE_URL), never at
whatever host a request used or a Wagtail site's own hostname and port."""

import pytest
from django.urls import reverse

from films.tests.factories import CollectionPageFactory, FilmPageFactory, PersonFactory
from members.tests.factories import UserFactory
from videos.tests.factories import ready_video_record

pytestmark = pytest.mark.django_db

BASE = "https://reelvision.example"


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.WAGTAILAPI_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["app.internal"]


def get(client, url, **params):
    response = client.get(url, params, HTTP_HOST="app.internal:8000")
    assert response.status_code == 200, response.content
    return response.json()


def test_page_links_in_listings_and_details_start_at_the_public_address(client):
    """html_url and detail_url of pages, films, collections and people share the public base."""
    director = PersonFactory(name="김감독", name_en="Director Kim")
    film = FilmPageFactory(slug="night-stop", credits=[(director, "director")])
    CollectionPageFactory(slug="showcase", films=[film])
    urls = []
    for listing in (reverse("wagtailapi:pages:listing"), reverse("wagtailapi:films:listing")):
        for item in get(client, listing)["items"]:
            urls += [item["meta"]["detail_url"], item["meta"]["html_url"]]
    detail = get(client, reverse("wagtailapi:pages:detail", args=[film.pk]))
    urls += [detail["meta"]["html_url"], detail["meta"]["detail_url"]]
    for person in get(client, reverse("wagtailapi:people:listing"))["items"]:
        urls += [person["meta"]["detail_url"], person["html_url"]]
    assert urls and all(url.startswith(BASE + "/") for url in urls), urls


def test_the_progress_url_a_player_gets_is_absolute(client):
    """The playback answer's progress_url is absolute, like its other URLs, for a member's app."""
    film = FilmPageFactory(slug="free-one", price=0, main_video=ready_video_record())
    client.force_login(UserFactory())
    body = get(client, reverse("api_playback", args=[film.pk]))
    assert body["film"]["progress_url"] == BASE + reverse("api_progress")
