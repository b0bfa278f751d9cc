"""Festivals in the API: on every film (listing and detail, and film cards inside other pages), the
catalogue's festival filters on `/api/v2/films/` and `/api/v2/pages/`, and the schema saying so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.choices import FestivalKind
from films.models import Festival

from .factories import (
    CollectionPageFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    ImageFactory,
    PersonFactory,
)
from .openapi import assert_matches_schema

pytestmark = pytest.mark.django_db

BUSAN = {"name": "부산국제영화제", "name_en": "Busan International Film Festival"}
JEONJU = {"name": "전주국제영화제", "name_en": "Jeonju International Film Festival"}


def festival(page, kind=FestivalKind.OFFICIAL_SELECTION, award="", award_en="", year=2025, **names):
    return Festival.objects.create(
        page=page, kind=kind, award=award, award_en=award_en, year=year, sort_order=page.festivals.count(), **names
    )


@pytest.fixture
def films():
    winner = FilmPageFactory(title="가을", title_en="Autumn")
    festival(winner, FestivalKind.AWARD, "최우수 작품상", "Best Film", **BUSAN)
    festival(winner, year=2024, **JEONJU)
    selected = FilmPageFactory(title="나비", title_en="Butterfly")
    festival(selected, FestivalKind.NOMINEE, "관객상", "Audience Award", **JEONJU)
    project = FundingProjectPageFactory(title="다리", title_en="Bridge")
    festival(project, FestivalKind.AWARD, "피칭상", "Best Pitch", **JEONJU)
    FilmPageFactory(title="눈", title_en="Snow")
    return {"winner": winner, "selected": selected, "project": project}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {item["title"] for item in response.json()["items"]}


def test_films_listing_has_each_films_festivals(client, openapi, films):
    response = client.get("/api/v2/films/")
    assert_matches_schema(openapi, "/api/v2/films/", response)
    by_title = {item["title"]: item["festivals"] for item in response.json()["items"]}
    assert by_title["눈"] == []
    assert by_title["가을"] == [
        {
            "name": "부산국제영화제",
            "name_en": "Busan International Film Festival",
            "year": 2025,
            "kind": "award",
            "kind_display": "수상",
            "award": "최우수 작품상",
            "award_en": "Best Film",
        },
        {
            "name": "전주국제영화제",
            "name_en": "Jeonju International Film Festival",
            "year": 2024,
            "kind": "official_selection",
            "kind_display": "공식 초청",
            "award": "",
            "award_en": "",
        },
    ]


def test_a_films_detail_and_cards_inside_other_pages_have_festivals(client, openapi, films):
    response = client.get(f"/api/v2/pages/{films['selected'].pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", response)
    assert [(f["kind"], f["award_en"]) for f in response.json()["festivals"]] == [("nominee", "Audience Award")]

    collection = CollectionPageFactory(films=[films["winner"], films["selected"]])
    response = client.get(f"/api/v2/pages/{collection.pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", response)
    assert [len(card["festivals"]) for card in response.json()["films"]] == [2, 1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"festival": "awarded"}, {"가을", "다리"}),
        ({"festival": "selected"}, {"가을", "나비", "다리"}),
        ({"festival_name": "부산국제영화제"}, {"가을"}),
        ({"festival_name": "JEONJU International Film Festival"}, {"가을", "나비", "다리"}),
        ({"festival": "awarded", "festival_name": "전주국제영화제"}, {"다리"}),  # an award there, not anywhere
        ({"festival": "awarded", "status": "finished"}, {"가을"}),
        ({"festival_name": "없는영화제"}, set()),
    ],
)
def test_films_festival_filters(client, films, query, expected):
    assert titles(client.get("/api/v2/films/", query)) == expected


def test_festival_filters_on_the_pages_endpoint_with_a_film_type(client, films):
    response = client.get("/api/v2/pages/", {"type": "films.FilmPage", "festival": "awarded"})
    assert titles(response) == {"가을"}


def test_a_bad_festival_filter_is_a_400(client, openapi, films):
    response = client.get("/api/v2/films/", {"festival": "famous"})
    assert_matches_schema(openapi, "/api/v2/films/", response, status=400)
    assert "festival" in response.json()["detail"]
    response = client.get("/api/v2/films/", {"festival_name": "x" * 121})
    assert_matches_schema(openapi, "/api/v2/films/", response, status=400)


@pytest.mark.parametrize("name", ["festival", "festival_name"])
def test_a_festival_filter_on_pages_without_a_film_type_is_refused(client, openapi, films, name):
    response = client.get("/api/v2/pages/", {name: "awarded"})
    assert_matches_schema(openapi, "/api/v2/pages/", response, 400)
    assert "type=films.FilmPage" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v2/films/", "/api/v2/pages/"])
def test_the_schema_describes_the_festival_filters(openapi, path):
    parameters = {p["name"]: p for p in openapi["paths"][path]["get"]["parameters"]}
    assert parameters["festival"]["schema"]["enum"] == ["awarded", "selected"]
    assert "award" in parameters["festival"]["description"]
    assert parameters["festival_name"]["schema"]["type"] == "string"
    assert "name_en" in parameters["festival_name"]["description"]


def test_the_schema_describes_festivals_on_films(openapi):
    schemas = openapi["components"]["schemas"]
    card = schemas["FilmCardSchema"]
    assert "festivals" in card["required"]
    item = card["properties"]["festivals"]["items"]
    festival_schema = schemas[item["$ref"].rsplit("/", 1)[-1]] if "$ref" in item else item
    assert set(festival_schema["properties"]) == {
        "name",
        "name_en",
        "year",
        "kind",
        "kind_display",
        "award",
        "award_en",
    }
    for name in ("FilmPageDetailSchema", "FundingProjectPageDetailSchema"):
        assert "festivals" in schemas[name]["properties"], name


def _add_films(count: int):
    for n in range(count):
        film = FilmPageFactory(poster=ImageFactory(), credits=[(PersonFactory(), "director")])
        festival(film, FestivalKind.AWARD, "최우수 작품상", **BUSAN)
        festival(film, year=2020 + n, **JEONJU)
        project = FundingProjectPageFactory(poster=ImageFactory(), raised=(10_000, 1))
        festival(project, **JEONJU)


def _queries(client, url, params) -> int:
    client.get(url, params)  # the first request makes the renditions; count a warm one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v2/films/", {"limit": 50}),
        ("/api/v2/films/", {"limit": 50, "festival": "awarded"}),
        ("/api/v2/films/", {"limit": 50, "festival": "selected", "festival_name": "전주국제영화제"}),
        ("/api/v2/pages/", {"limit": 50, "type": "films.FilmPage", "festival": "awarded"}),
    ],
)
def test_listing_query_count_with_festivals_does_not_grow_with_the_catalogue(client, url, params):
    """Festivals are prefetched with the cards: 18 films with laurels cost what 6 do."""
    _add_films(3)
    small = _queries(client, url, params)
    _add_films(6)
    assert _queries(client, url, params) == small
