"""Titles are found whatever the spacing of the query: "겨울정류장" and "겨울 정류 장" find "겨울 정류장"."""

import pytest
from django.urls import reverse

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, PersonFactory
from search.site_search import ResultKind, clean_query, load, run_search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def spaced_titles(db):
    """A film, a project and a person whose names are written with spaces."""
    return {
        "film": FilmPageFactory(title="겨울 정류장", title_en="Winter Bus Stop", logline="막차를 기다리는 두 사람"),
        "project": FundingProjectPageFactory(title="무대 뒤의 사람들", title_en="People Backstage"),
        "other": FilmPageFactory(title="겨울 바다", title_en="Winter Sea"),
        "person": PersonFactory(name="남궁 민", name_en="Namgung Min"),
    }


def found(query, kind=ResultKind.FILM):
    outcome = run_search(clean_query(query), [kind])
    return [obj.name if kind == ResultKind.PERSON else obj.title for obj in load(kind, outcome.ids[kind])]


@pytest.mark.parametrize("query", ["겨울정류장", "겨울 정류 장", "겨 울정류장", "winterbus stop"])
def test_a_title_is_found_with_other_spacing(spaced_titles, query):
    """The query and the titles are compared with their spaces taken out, and only the matching title comes back."""
    assert found(query) == ["겨울 정류장"]


def test_a_project_title_and_a_name_are_found_with_other_spacing(spaced_titles):
    """Funding projects and people match the same way ("무대뒤의 사람들", "남궁민")."""
    assert found("무대뒤의 사람들", ResultKind.PROJECT) == ["무대 뒤의 사람들"]
    assert found("남궁민", ResultKind.PERSON) == ["남궁 민"]


def test_the_search_page_and_the_api_find_a_title_written_without_spaces(client, spaced_titles):
    """/search/ and /api/v2/search/ both list "겨울 정류장" for "겨울정류장"."""
    page = client.get(reverse("search:search"), {"q": "겨울정류장"})
    assert page.status_code == 200 and spaced_titles["film"].url in page.content.decode()
    body = client.get(reverse("api_search"), {"q": "겨울정류장"}).json()
    assert [hit["title"] for hit in body["items"]] == ["겨울 정류장"]
