"""GET /api/v2/search/: the JSON shape, the filters, and its place in the OpenAPI schema."""

import jsonschema
import pytest
from django.conf import settings
from django.urls import reverse

from films.tests.factories import FilmPageFactory, ImageFactory
from search.site_search import MAX_QUERY_LENGTH, PER_PAGE

pytestmark = pytest.mark.django_db

# URLs in API responses are absolute on WAGTAILAPI_BASE_URL, like Wagtail's own endpoints.
API_BASE = settings.WAGTAILAPI_BASE_URL.rstrip("/")
RESULT_KEYS = {"type", "id", "title", "title_en", "url", "poster", "year", "genres", "logline", "logline_en", "matches"}


def search(client, expected_status=200, **params):
    response = client.get(reverse("api_search"), params)
    assert response.status_code == expected_status, response.content
    return response.json()


def test_api_url():
    """The endpoint sits with the rest of the v2 API."""
    assert reverse("api_search") == "/api/v2/search/"


def test_response_shape(client, catalogue):
    """A hit carries type, ids, both titles, absolute URLs, year and genres; `meta` carries the query and counts."""
    data = search(client, q="졸업")
    assert data["meta"] == {
        "total_count": 1,
        "query": "졸업",
        "type": None,
        "counts": {"film": 1, "project": 0, "person": 0},
    }
    [hit] = data["items"]
    assert set(hit) == RESULT_KEYS
    assert hit["matches"] == [{"kind": "title", "text": "졸업작품 오디세이", "language": "ko"}]
    assert hit["type"] == "film"
    assert hit["id"] == catalogue.odyssey.pk
    assert (hit["title"], hit["title_en"]) == ("졸업작품 오디세이", "Graduation Odyssey")
    assert hit["url"] == API_BASE + catalogue.odyssey.url
    assert hit["year"] == 2024
    assert hit["genres"] == [{"slug": "coming-of-age", "name": "성장드라마", "name_en": "Coming of age"}]
    assert hit["poster"] is None


def test_poster_is_the_card_rendition(client, db):
    """A film with a poster returns the absolute URL of its 360×540 WebP rendition."""
    FilmPageFactory(title="포스터있는영화", poster=ImageFactory())
    [hit] = search(client, q="포스터")["items"]
    assert hit["poster"].startswith(API_BASE + "/media/")
    assert "fill-360x540" in hit["poster"] and hit["poster"].endswith(".webp")


def test_person_hit(client, catalogue):
    """People come back as type person, named in title/title_en, linking to their page."""
    [hit] = search(client, q="Park", type="person")["items"]
    assert hit["type"] == "person"
    assert (hit["title"], hit["title_en"]) == ("박서연", "Park Seoyeon")
    assert hit["url"] == API_BASE + catalogue.director.get_absolute_url()
    assert hit["year"] is None and hit["genres"] == []


def test_all_kinds_in_one_list_films_first(client, catalogue):
    """Without type, films, then projects, then people, in one list."""
    FilmPageFactory(title="등대 영화", title_en="Lighthouse Film")
    data = search(client, q="등대")
    assert [hit["type"] for hit in data["items"]] == ["film", "project"]


def test_type_filter(client, catalogue):
    """type=project returns only funding projects; counts still cover every kind."""
    FilmPageFactory(title="등대 영화", title_en="Lighthouse Film")
    data = search(client, q="등대", type="project")
    assert [hit["title"] for hit in data["items"]] == ["등대지기의 노래"]
    assert data["meta"]["counts"] == {"film": 1, "project": 1, "person": 0}


def test_unknown_type_is_a_bad_request(client, db):
    """An API client gets told about a bad type instead of silently getting everything."""
    data = search(client, expected_status=400, q="졸업", type="video")
    assert data["code"] == "invalid" and "type" in data["fields"]


def test_drafts_are_not_returned(client, catalogue):
    """Unpublished pages never reach the API."""
    FilmPageFactory(title="졸업 초안", title_en="Draft", live=False)
    assert [hit["title"] for hit in search(client, q="졸업")["items"]] == ["졸업작품 오디세이"]


def test_blank_query_returns_no_results(client, catalogue):
    """A blank q is a valid request with nothing in it."""
    data = search(client, q="  ")
    assert data["meta"]["query"] == ""
    assert data["items"] == []
    assert data["meta"]["counts"] == {"film": 0, "project": 0, "person": 0}


def test_long_query_is_shortened(client, catalogue):
    """q is cut to MAX_QUERY_LENGTH characters and echoed as searched."""
    data = search(client, q="졸" * 1000)
    assert len(data["meta"]["query"]) == MAX_QUERY_LENGTH


@pytest.mark.parametrize("query", ["%", "'", '"', "*", ":", '"졸업*', "a:b", "!&|"])
def test_special_characters_do_not_crash(client, catalogue, query):
    """Query-syntax characters give a normal 200."""
    search(client, q=query)


def test_offset_and_limit_slice_the_results(client, db):
    """More than the default limit: offset and limit slice the list, like every list in the API."""
    for n in range(PER_PAGE + 1):
        FilmPageFactory(title=f"졸업필름 {n}", title_en=f"Film {n}")
    first = search(client, q="졸업필름", type="film")
    assert first["meta"]["total_count"] == PER_PAGE + 1
    assert len(first["items"]) == PER_PAGE
    rest = search(client, q="졸업필름", type="film", offset=PER_PAGE)
    assert len(rest["items"]) == 1
    assert {hit["id"] for hit in first["items"]}.isdisjoint({hit["id"] for hit in rest["items"]})


def test_endpoint_is_in_the_openapi_schema_and_responses_match_it(client, catalogue):
    """/api/schema/ documents the endpoint; a real response validates against its 200 schema."""
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v2/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "offset", "limit"}
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    # Resolve "#/components/..." references against the whole document.
    validator = jsonschema.Draft202012Validator(
        {**response_schema, "components": schema["components"]},
    )
    validator.validate(search(client, q="졸업"))
    validator.validate(search(client, q="Park", type="person"))
