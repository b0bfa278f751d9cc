"""Site-wide templates: the home page sections, the layout, language switching, error pages."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import get_template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from films.models import Genre
from films.tests.factories import (
    CollectionPageFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    ImageFactory,
    film_index,
    home_page,
)
from films.tests.pages import empty_caches, get_uncached, page_html
from members.tests.factories import UserFactory
from videos.tests.factories import ready_video_record

pytestmark = pytest.mark.django_db


def set_home_sections(sections):
    home = home_page()
    home.body = sections
    home.save_revision().publish()
    return home


def test_home_page_renders_its_sections():
    """Hero, film rows, the funding spotlight and text sections all render on the home page."""
    hero_film = FilmPageFactory(
        title="밤의 정류장", logline="막차를 기다리는 두 사람.", poster=ImageFactory(), main_video=ready_video_record()
    )
    row_film = FilmPageFactory(title="푸른 계절", poster=ImageFactory())
    project = FundingProjectPageFactory(title="별이 지는 곳", target_amount=None, raised=(420_000, 12))
    set_home_sections(
        [
            ("hero", {"film": hero_film, "headline": "", "text": "", "image": None, "call_to_action": "지금 보기"}),
            ("film_row", {"title": "이번 주 추천작", "films": [row_film]}),
            ("funding_spotlight", {"title": "제작 중인 작품", "projects": [project], "limit": 4}),
            ("text", {"heading": "ReelVision이란", "text": "<p>졸업작품이 머무는 곳.</p>"}),
        ]
    )
    html = page_html("/")
    for expected in (
        "밤의 정류장",
        "막차를 기다리는 두 사람.",
        "지금 보기",
        "이번 주 추천작",
        "푸른 계절",
        "별이 지는 곳",
        "420,000원",
        "졸업작품이 머무는 곳.",
    ):
        assert expected in html, expected


def test_home_page_auto_row_shows_a_collections_films_in_order():
    """A row filled from a collection keeps the curator's order."""
    films = [FilmPageFactory(title=t) for t in ("다", "가", "나")]
    collection = CollectionPageFactory(films=films)
    set_home_sections([("auto_film_row", {"title": "졸업영화제", "genre": None, "collection": collection, "limit": 8})])
    html = page_html("/")
    assert re.findall(r'class="film-card__title">([^<]+)<', html) == ["다", "가", "나"]


def test_home_page_without_sections_links_to_the_catalogue():
    """An empty home page still leads visitors to the films."""
    set_home_sections([])
    html = page_html("/")
    assert f'href="{film_index().url}"' in html


def test_home_page_query_count_does_not_grow_with_row_length():
    """A film row of six costs the same queries as a row of two (posters and genres prefetched)."""
    genres = list(Genre.objects.all()[:2])
    films = [FilmPageFactory(poster=ImageFactory(), genres=genres) for _ in range(6)]

    def queries_for_row(row):
        set_home_sections([("film_row", {"title": "추천작", "films": row})])
        client = Client()
        client.get("/")  # creates the renditions once
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    assert queries_for_row(films) == queries_for_row(films[:2])


def test_layout_is_korean_by_default_with_a_language_switch():
    """Without a preference the site is Korean, and offers a switch to English."""
    html = page_html("/")
    assert '<html lang="ko">' in html
    assert reverse("home:switch_language", args=["en"]) + "?next=/" in html
    assert 'href="#main"' in html  # skip link


def test_language_switch_shows_english_titles():
    """Switching to English sets the language cookie and pages then show the English title when there is one."""
    film = FilmPageFactory(title="밤의 정류장", title_en="Night Stop")
    client = Client()
    response = client.get(reverse("home:switch_language", args=["en"]), {"next": film.url})
    assert response.status_code == 302
    assert response["Location"] == film.url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = page_html(film.url, client)
    assert '<html lang="en">' in html
    assert '<h1 class="film-hero__title">Night Stop</h1>' in html
    assert "Free" in html


def test_english_falls_back_to_korean_when_a_film_has_no_english_title():
    """A film without an English title keeps its Korean title in English."""
    film = FilmPageFactory(title="밤의 정류장", title_en="")
    client = Client()
    client.get(reverse("home:switch_language", args=["en"]), {"next": "/"})
    html = page_html(film.url, client)
    assert '<h1 class="film-hero__title">밤의 정류장</h1>' in html


def test_language_switch_refuses_to_redirect_off_site():
    """`next` pointing at another site goes home instead (no open redirect)."""
    response = Client().get(reverse("home:switch_language", args=["en"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_anonymous_pages_carry_no_csrf_token():
    """Pages cached for everyone have no CSRF token (the language switch is a plain link, search a GET form)."""
    film = FilmPageFactory()
    project = FundingProjectPageFactory()
    for url in ("/", film_index().url, film.url, project.url):
        assert "csrfmiddlewaretoken" not in page_html(url), url


def test_a_members_name_never_reaches_anonymous_visitors():
    """A page rendered for a signed-in member (with their name in the header) is not what anonymous visitors get."""
    member = UserFactory(display_name="홍길동", email="gildong@example.com")
    film = FilmPageFactory()
    empty_caches()
    signed_in = Client()
    signed_in.force_login(member)
    assert "홍길동" in signed_in.get(film.url).content.decode()
    for _ in range(2):  # the second anonymous request may come from the page cache
        html = Client().get(film.url).content.decode()
        assert "홍길동" not in html and "gildong" not in html


def test_missing_page_renders_the_styled_404():
    """An unknown URL answers 404 with the site's own page and a way back to the films."""
    response = get_uncached(Client(), "/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert f'href="{film_index().url}"' in html


def test_500_page_renders_without_a_request_or_database():
    """The 500 template needs no context processors and no queries: it must render even when the database is down."""
    with CaptureQueriesContext(connection) as queries:
        html = get_template("500.html").render({})
    assert len(queries) == 0
    assert "ReelVision" in html and 'lang="ko"' in html and 'lang="en"' in html
