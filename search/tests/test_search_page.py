"""The search page, /search/: grouped results, one kind per tab, the blank and the empty page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from films.tests.factories import FilmPageFactory, GenreFactory, ImageFactory, PersonFactory
from films.tests.pages import empty_caches
from search.site_search import MAX_QUERY_LENGTH, PER_PAGE

pytestmark = pytest.mark.django_db


def get(client, **params):
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def query_of(href):
    """The query parameters of a link, e.g. {"q": ["졸업"], "type": ["film"]}."""
    assert href.startswith("?"), href
    return parse_qs(urlsplit(href).query)


def card_titles(soup):
    return [h.get_text(strip=True) for h in soup.select(".film-card__title")]


def test_korean_prefix_shows_the_film_card(client, catalogue):
    """Searching “졸업” shows the card of “졸업작품 오디세이”, linking to the film."""
    _, soup = get(client, q="졸업")
    assert card_titles(soup) == ["졸업작품 오디세이"]
    assert soup.select_one(".film-card__link")["href"] == catalogue.odyssey.url


def test_results_are_grouped_by_kind(client, catalogue):
    """A query matching a film, a project and a person shows three sections in that order."""
    FilmPageFactory(title="노래하는 등대", title_en="Singing Lighthouse")
    PersonFactory(name="등대민", name_en="")
    _, soup = get(client, q="등대")
    headings = [h["id"] for h in soup.select(".search-group .section__title")]
    assert headings == ["search-film-h", "search-project-h", "search-person-h"]


def test_person_result_links_to_the_person_page(client, catalogue):
    """People are listed by name and link to /people/<slug>/."""
    _, soup = get(client, q="Park")
    links = soup.select(".search-people a")
    assert [a["href"] for a in links] == [catalogue.director.get_absolute_url()]
    assert "박서연" in links[0].get_text()


def test_type_shows_only_that_kind(client, catalogue):
    """?type=project lists the funding project and no film or person section."""
    FilmPageFactory(title="등대 아래서", title_en="Under the Lighthouse")
    _, soup = get(client, q="등대", type="project")
    assert card_titles(soup) == ["등대지기의 노래"]
    assert not soup.select(".search-group")


def test_tabs_show_counts_and_mark_the_current_kind(client, catalogue):
    """Tabs list only kinds with results, with counts; the current one is aria-current."""
    _, soup = get(client, q="졸업", type="film")
    tabs = soup.select(".search-tabs a")
    assert [t.select_one(".muted").get_text() for t in tabs] == ["1", "1"]
    assert [query_of(t["href"]) for t in tabs] == [{"q": ["졸업"]}, {"q": ["졸업"], "type": ["film"]}]
    assert [t.get("aria-current") for t in tabs] == [None, "page"]


def test_unknown_type_falls_back_to_all_kinds(client, catalogue):
    """A hand-edited ?type=xyz shows the grouped page rather than an error."""
    _, soup = get(client, q="졸업", type="xyz")
    assert card_titles(soup) == ["졸업작품 오디세이"]
    assert soup.select(".search-group")


def test_drafts_never_appear(client, catalogue):
    """An unpublished film with a matching title is not shown."""
    FilmPageFactory(title="졸업 비밀", title_en="Secret Draft", live=False)
    _, soup = get(client, q="졸업")
    assert card_titles(soup) == ["졸업작품 오디세이"]


def test_query_is_echoed_into_the_search_box(client, catalogue):
    """The search field holds the query, escaped, so the visitor can refine it."""
    _, soup = get(client, q='졸업 "<b>')
    assert soup.select_one("#search-q")["value"] == '졸업 "<b>'
    assert not soup.select("h1 b")


def test_result_pages_are_noindex(client, catalogue):
    """Search pages ask search engines not to index them."""
    _, soup = get(client, q="졸업")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"


def test_blank_query_shows_a_guide_with_genres(client, db):
    """No query: no search runs; the page explains what to search for and links genres to the catalogue."""
    GenreFactory(name="다큐", name_en="Documentary", slug="docu")
    _, soup = get(client, q="   ")
    assert soup.select_one(".search-guide")
    assert not soup.select(".film-card")
    genre_links = [a["href"] for a in soup.select(".search-guide__genres a")]
    assert any(href.endswith("?genre=docu") for href in genre_links)


def test_no_results_shows_the_empty_state(client, catalogue):
    """A query that finds nothing says so and offers the catalogue."""
    _, soup = get(client, q="존재하지않는제목")
    empty = soup.select_one(".empty-state")
    assert "존재하지않는제목" in empty.get_text()
    assert not soup.select(".search-tabs")


def test_very_long_query_is_shortened_and_said_so(client, catalogue):
    """A 5,000-character query is searched as its first MAX_QUERY_LENGTH characters, with a note."""
    _, soup = get(client, q="졸업" + "가" * 5000)
    assert len(soup.select_one("#search-q")["value"]) == MAX_QUERY_LENGTH
    assert soup.select_one(".note[role=status]")


@pytest.mark.parametrize("query", ["%", "'", '"', "*", ":", '"졸업', "a:b*", "(", "\\", "--"])
def test_special_characters_do_not_crash(client, catalogue, query):
    """Characters that are query syntax to FTS5 or PostgreSQL give a normal page."""
    get(client, q=query)


def test_one_kind_is_paginated(client, db):
    """More than a page of films: page 1 has PER_PAGE cards, page 2 the rest, and links keep q and type."""
    for n in range(PER_PAGE + 2):
        FilmPageFactory(title=f"졸업필름 {n}", title_en=f"Film {n}")
    _, first = get(client, q="졸업필름", type="film")
    _, second = get(client, q="졸업필름", type="film", page=2)
    assert len(card_titles(first)) == PER_PAGE
    assert len(card_titles(second)) == 2
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert query_of(next_link) == {"q": ["졸업필름"], "type": ["film"], "page": ["2"]}


def test_grouped_view_links_to_all_results_of_a_kind(client, db):
    """When a kind has more results than its preview, a “see all” link opens that kind's tab."""
    for n in range(12):
        FilmPageFactory(title=f"졸업필름 {n}", title_en=f"Film {n}")
    _, soup = get(client, q="졸업필름")
    assert len(card_titles(soup)) == 10
    assert query_of(soup.select_one(".search-group__more a")["href"]) == {"q": ["졸업필름"], "type": ["film"]}


def test_query_count_does_not_grow_with_results(client, db):
    """Cards come with their posters and genres prefetched: 2 or 8 results cost the same queries."""
    genre = GenreFactory()

    def queries_for(query):
        client.get(reverse("search:search"), {"q": query})  # first request renders (and stores) the poster renditions
        empty_caches()  # the anonymous page cache would answer the second request without a query
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("search:search"), {"q": query})
        return len(captured)

    for n in range(2):
        FilmPageFactory(title=f"가람 {n}", slug=f"garam-{n}", poster=ImageFactory(), genres=[genre])
    for n in range(8):
        FilmPageFactory(title=f"나래 {n}", slug=f"narae-{n}", poster=ImageFactory(), genres=[genre])
    assert queries_for("가람") == queries_for("나래")
