"""The number of SQL queries a page needs does not grow with the catalogue.

Each test renders a page for an anonymous visitor with a small catalogue,
grows everything the page lists (films, credits, genres, stills, festivals,
tiers, updates, collection items) about fivefold, and renders it again: the counts
must be equal. Each counted render follows a warm-up render (which creates
the image renditions in the database) and an emptied cache: no page cache, and
no help from Wagtail's rendition cache either, which a busy or restarted
server does not have (local memory keeps 300 entries per process).
"""

import re
from collections import Counter

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.choices import FestivalKind
from films.models import Festival
from films.tests.factories import (
    CollectionPageFactory,
    DonationTierFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    GenreFactory,
    ImageFactory,
    PersonFactory,
    ProductionUpdateFactory,
    film_index,
    home_page,
)
from page_cache.cache import HIT_HEADER

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 15


class Catalogue:
    """A catalogue that can grow: films and projects sharing a genre, a person and a collection."""

    def __init__(self):
        self.genres = [GenreFactory(), GenreFactory(), GenreFactory()]
        self.person = PersonFactory()
        self.films = []
        self.projects = []
        self.collection = CollectionPageFactory()
        self.grow_to(FEW)

    def grow_to(self, count: int) -> None:
        while len(self.films) < count:
            n = len(self.films)
            film = FilmPageFactory(
                poster=ImageFactory(),
                price=1000 * (n % 2),
                genres=self.genres[: 1 + n % 3],
                credits=[(self.person, "director"), (PersonFactory(), "cast")],
            )
            film.stills = [("still", {"image": ImageFactory(), "alt_text": "still", "decorative": False})]
            # Laurels on the film's page and marks on its card; every festival once in the filter.
            Festival.objects.create(page=film, name="부산국제영화제", year=2025, kind=FestivalKind.AWARD, award="대상")
            Festival.objects.create(page=film, name=f"영화제 {n}", year=2024, sort_order=1)
            film.save_revision().publish()
            self.films.append(film)
            project = FundingProjectPageFactory(
                poster=ImageFactory(), genres=[self.genres[0]], raised=(10_000 * (n + 1), n + 1)
            )
            Festival.objects.create(page=project, name="부산국제영화제", year=2025)
            project.save_revision().publish()
            self.projects.append(project)
            self.collection.items.create(film=film, sort_order=n)
        self.collection.save_revision().publish()
        self._publish_home()

    def _publish_home(self) -> None:
        home = home_page()
        home.body = [
            ("hero", {"film": self.films[0]}),
            ("film_row", {"title": "추천", "films": self.films}),
            ("auto_film_row", {"title": "장르", "genre": self.genres[0], "collection": None, "limit": 30}),
            ("auto_film_row", {"title": "컬렉션", "genre": None, "collection": self.collection, "limit": 30}),
            ("funding_spotlight", {"title": "펀딩", "projects": [], "limit": 12}),
        ]
        home.save_revision().publish()


def count_queries(client, url: str) -> list[str]:
    """SQL run by an anonymous render of `url` with an empty cache, after a warm-up render."""
    assert client.get(url).status_code == 200
    for alias in ("default", "pages"):  # rendition cache and page cache
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response[HIT_HEADER] == "miss"
    return [query["sql"] for query in queries.captured_queries]


def assert_constant(client, catalogue: Catalogue, url_of) -> None:
    few = count_queries(client, url_of(catalogue))
    catalogue.grow_to(MANY)
    many = count_queries(client, url_of(catalogue))
    grown = Counter(map(_shape, many)) - Counter(map(_shape, few))
    repeated = "\n".join(f"  +{count}× {sql[:300]}" for sql, count in grown.most_common(3))
    assert len(many) == len(few), f"{len(few)} queries with {FEW} films, {len(many)} with {MANY}:\n{repeated}"


def _shape(sql: str) -> str:
    """The query with its literals and IN lists blanked, so that the same query for another row compares equal."""
    return re.sub(r"\((?:%s|N|'[^']*')(?:, (?:%s|N|'[^']*'))*\)", "(…)", re.sub(r"\b\d+\b", "N", sql))


@pytest.fixture
def catalogue():
    return Catalogue()


def test_home_page_query_count_is_constant(client, catalogue):
    """Hero, rows (chosen, by genre, by collection) and the funding spotlight."""
    assert_constant(client, catalogue, lambda c: home_page().url)


def test_catalogue_query_count_is_constant(client, catalogue):
    """The catalogue's first page, all films and projects on it."""
    assert_constant(client, catalogue, lambda c: film_index().url)


def test_filtered_catalogue_query_count_is_constant(client, catalogue):
    """The catalogue filtered by genre (filter options, counts, cards)."""
    assert_constant(client, catalogue, lambda c: f"{film_index().url}?genre={c.genres[0].slug}")


@pytest.mark.parametrize("query", ["festival=awarded", "festival=selected&festival_name=부산국제영화제"])
def test_catalogue_filtered_by_festival_query_count_is_constant(client, catalogue, query):
    """The catalogue filtered by festival honours and by festival: laurel marks and festival names."""
    assert_constant(client, catalogue, lambda c: f"{film_index().url}?{query}")


def test_film_page_query_count_is_constant(client, catalogue):
    """A film with genres, credits and stills, in a growing catalogue."""

    def url_of(c):
        film = c.films[0]
        for person in PersonFactory.create_batch(4):
            film.credits.create(person=person, role="cast")
        film.genres.set(c.genres)
        film.stills = [("still", {"image": ImageFactory(), "alt_text": "still", "decorative": False})] * (
            1 + len(c.films) // FEW
        )
        film.save_revision().publish()
        return film.url

    assert_constant(client, catalogue, url_of)


def test_funding_page_query_count_is_constant(client, catalogue):
    """A project with tiers, production updates and credits, in a growing catalogue."""

    def url_of(c):
        project = c.projects[0]
        DonationTierFactory(project=project, amount=5_000 * (len(c.films) + 1))
        ProductionUpdateFactory(page=project)
        project.credits.create(person=PersonFactory(), role="cast")
        if len(c.films) == MANY:
            DonationTierFactory.create_batch(3, project=project)
            ProductionUpdateFactory.create_batch(3, page=project)
        project.save_revision().publish()
        return project.url

    assert_constant(client, catalogue, url_of)


def test_collection_page_query_count_is_constant(client, catalogue):
    """A collection listing every film."""
    assert_constant(client, catalogue, lambda c: c.collection.url)


def test_person_page_query_count_is_constant(client, catalogue):
    """A director credited on every film."""
    assert_constant(client, catalogue, lambda c: c.person.get_absolute_url())


def member_queries(client) -> tuple[int, int]:
    """SQL run by a member's home page: with empty caches (after a warm-up render), then again with
    the parts every viewer shares cached, as between publishes."""
    url = home_page().url
    assert client.get(url).status_code == 200
    for alias in ("default", "pages"):
        caches[alias].clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_members_home_query_count_is_constant(client, catalogue):
    """A member who watched, half-watched and bought films, with recommendations: their rows grow
    with the catalogue and their history, their home's queries do not."""
    from members.tests.factories import UserFactory
    from recommendations.recompute import recompute_all
    from recommendations.tests.factories import bought, watchable_film, watched

    member = UserFactory()
    others = UserFactory.create_batch(2)

    def watch_up_to(count: int) -> None:
        for n in range(count - len(history)):
            film = watchable_film(genres=catalogue.genres[:1])
            history.append(film)
            watched(member, film, share=0.5 if n % 2 else 1.0)
            if n % 3 == 0:
                bought(member, film)
            for other in others:
                watched(other, film)
        recompute_all()

    history = []
    watch_up_to(FEW)
    client.force_login(member)
    few = member_queries(client)
    catalogue.grow_to(MANY)
    watch_up_to(MANY)
    many = member_queries(client)
    assert "home-section--continue_watching" in client.get(home_page().url).content.decode()
    assert few == many, f"{few} queries (nothing cached, shared parts cached) with {FEW} films, {many} with {MANY}"
    assert many[1] < many[0]
