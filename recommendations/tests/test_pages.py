"""The rows on the pages: a member's home, the film page, the watch page's "up next", the cards' marks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from films.tests.factories import GenreFactory, ImageFactory
from home.models import HomePage
from members.tests.factories import UserFactory
from recommendations.recompute import recompute_all
from recommendations.tests.factories import watchable_film, watched

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def site():
    genre = GenreFactory()
    member = UserFactory()
    finished = watchable_film(title="Finished Film", genres=[genre], poster=ImageFactory())
    halfway = watchable_film(title="Halfway Film", genres=[genre], poster=ImageFactory())
    others = [watchable_film(title=f"Other Film {n}", genres=[genre], poster=ImageFactory()) for n in range(4)]
    watched(member, finished)
    watched(member, halfway, share=0.5)
    for film in others:
        fan = UserFactory()
        watched(fan, finished)
        watched(fan, film)
    recompute_all()
    return member, finished, halfway, others


def home_html(client):
    return client.get(HomePage.objects.live().first().url).content.decode()


def test_a_members_home_starts_with_their_rows(client, site):
    member, finished, halfway, _others = site
    client.force_login(member)
    html = home_html(client)
    assert "Continue watching" in html and "Popular this week" in html
    # Continue watching resumes on the watch page.
    assert reverse("watching:watch_film", args=[halfway.slug]) in html


def test_cards_mark_what_the_member_finished(client, site):
    member, finished, _halfway, _others = site
    client.force_login(member)
    html = client.get(finished.get_parent().url).content.decode()  # the catalogue
    card = html[html.index("Finished Film") - 2000 : html.index("Finished Film")]
    assert "badge--watched" in card


def test_a_visitors_home_has_no_personal_rows_and_costs_no_query_for_them(client, site):
    html = home_html(client)
    assert "Continue watching" not in html and "Popular this week" not in html
    with CaptureQueriesContext(connection) as queries:
        home_html(client)
    assert not any("recommendations_" in query["sql"] for query in queries.captured_queries)


def test_the_film_page_offers_more_like_this(client, site):
    _member, finished, _halfway, others = site
    html = client.get(finished.url).content.decode()
    assert "More like this" in html
    assert any(film.title in html for film in others)


def test_the_end_of_a_film_suggests_the_next_one(client, site):
    member, finished, _halfway, others = site
    client.force_login(member)
    html = client.get(reverse("watching:watch_film", args=[finished.slug])).content.decode()
    assert "data-up-next" in html and "Up next" in html
