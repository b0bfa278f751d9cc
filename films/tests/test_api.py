"""The headless API (`/api/v2/`) and its OpenAPI schema (`/api/schema/`).

Every response test checks the real JSON against the response schema the API
publishes for that path, so the schema is a contract the apps can rely on.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate as validate_openapi
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from films.models import Genre
from films.tests.factories import (
    CollectionPageFactory,
    DonationTierFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    ImageFactory,
    PersonFactory,
    ProductionUpdateFactory,
    home_page,
)
from films.tests.openapi import assert_matches_schema
from home.blocks import HomeSectionsBlock
from videos.tests.factories import ready_video_record

pytestmark = pytest.mark.django_db

# --- data -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue():
    """Two finished films, one funding project, a draft and a private film; a collection and home sections."""
    drama, comedy = Genre.objects.get(slug="drama"), Genre.objects.get(slug="comedy")
    director, actor = PersonFactory(), PersonFactory()
    poster = ImageFactory(file__width=1200, file__height=1800)
    first = FilmPageFactory(
        title="가을",
        title_en="Autumn",
        graduation_year=2023,
        poster=poster,
        genres=[drama],
        credits=[(director, "director"), (actor, "lead_actor")],
        main_video=ready_video_record(),
    )
    second = FilmPageFactory(
        title="나비",
        title_en="Butterfly",
        graduation_year=2024,
        price=3000,
        genres=[comedy],
        main_video=ready_video_record(),
    )
    project = FundingProjectPageFactory(
        title="다리",
        title_en="Bridge",
        graduation_year=2024,
        poster=poster,
        genres=[drama],
        credits=[(director, "director")],
        raised=(1_500_000, 12),
        target_amount=5_000_000,
    )
    DonationTierFactory(project=project, amount=30_000, title="포스터")
    DonationTierFactory(project=project, amount=10_000, title="응원 한 잔")
    ProductionUpdateFactory(page=project, title="촬영 시작")
    draft = FilmPageFactory(title="초안", live=False, genres=[drama], credits=[(director, "director")])
    private = FilmPageFactory(title="비공개", genres=[drama], credits=[(director, "director")])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    collection = CollectionPageFactory(title="2024 졸업 상영", films=[second, draft, first])

    home = home_page()
    home.body = HomeSectionsBlock().to_python(
        [
            {"type": "hero", "value": {"film": first.pk, "headline": "", "text": "", "call_to_action": "보기"}},
            {"type": "film_row", "value": {"title": "추천", "films": [second.pk, draft.pk, first.pk]}},
            {"type": "auto_film_row", "value": {"title": "드라마", "genre": drama.pk, "collection": None, "limit": 6}},
            {"type": "funding_spotlight", "value": {"title": "응원하기", "projects": [project.pk], "limit": 4}},
            {"type": "text", "value": {"heading": "소개", "text": "<p>졸업작품</p>"}},
        ]
    )
    home.save_revision().publish()
    return {
        "first": first,
        "second": second,
        "project": project,
        "draft": draft,
        "private": private,
        "collection": collection,
        "home": home,
        "director": director,
        "drama": drama,
    }


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


# --- the schema -----------------------------------------------------------------------------------------------------


def test_schema_is_valid_openapi_3(openapi):
    """/api/schema/ serves a valid OpenAPI 3 document."""
    validate_openapi(openapi)
    assert openapi["openapi"].startswith("3.")


def test_schema_is_served_as_json_by_accept_header(client):
    """Apps can ask for JSON with an Accept header instead of ?format=json."""
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "ReelVision API"


def test_schema_leaves_out_wagtail_admin_api(openapi):
    """The editors' private admin API is not part of the public contract."""
    assert not [p for p in openapi["paths"] if p.startswith("/admin/")]


def test_schema_documents_every_public_endpoint_with_unique_operation_ids(openapi):
    """Pages, films, people, genres, images and documents are documented, each operation with its own id."""
    for path in ("/api/v2/pages/", "/api/v2/pages/{id}/", "/api/v2/films/", "/api/v2/people/{id}/"):
        assert path in openapi["paths"]
    for path in ("/api/v2/genres/", "/api/v2/images/{id}/", "/api/v2/documents/{id}/"):
        assert path in openapi["paths"]
    ids = [op["operationId"] for item in openapi["paths"].values() for op in item.values() if "operationId" in op]
    assert len(ids) == len(set(ids))
    assert {"pages_list", "pages_retrieve", "films_list", "people_retrieve"} <= set(ids)


def test_docs_page_uses_only_local_static_files(client):
    """/api/docs/ renders Swagger UI from our static files: nothing is loaded from another host."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html) + re.findall(r"""["'](https?://[^"']+)""", html)
    assert any("swagger-ui" in url for url in urls)
    assert [url for url in urls if url.startswith(("http://", "https://", "//"))] == []


# --- pages ----------------------------------------------------------------------------------------------------------


def test_pages_listing_matches_schema(client, openapi, catalogue):
    """The pages listing has Wagtail's envelope and items as documented, without drafts or private pages."""
    response = client.get("/api/v2/pages/")
    assert_matches_schema(openapi, "/api/v2/pages/", response)
    assert "초안" not in titles(response)
    assert "비공개" not in titles(response)


def test_film_detail_has_film_fields(client, openapi, catalogue):
    """A film's detail has its genres, credits in order, poster renditions and no funding figures."""
    response = client.get(f"/api/v2/pages/{catalogue['first'].pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", response)
    film = response.json()
    assert film["meta"]["type"] == "films.FilmPage"
    assert [g["slug"] for g in film["genres"]] == ["drama"]
    assert [c["role"] for c in film["credits"]] == ["director", "lead_actor"]
    assert film["credits"][0]["person"]["name"] == catalogue["director"].name
    assert (film["poster"]["width"], film["poster"]["height"]) == (360, 540)
    assert (film["poster_large"]["width"], film["poster_large"]["height"]) == (600, 900)
    assert film["poster"]["url"].endswith(".webp")
    assert film["funding"] is None


def test_funding_project_detail_has_figures_tiers_and_updates(client, openapi, catalogue):
    """A project's detail has the amount raised, backers, target, progress, minimum, tiers by amount and updates."""
    response = client.get(f"/api/v2/pages/{catalogue['project'].pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", response)
    project = response.json()
    assert project["funding"] == {
        "stage": "development",
        "amount_raised": 1_500_000,
        "backers": 12,
        "target_amount": 5_000_000,
        "progress_percent": 30,
        "minimum_donation": 1000,
    }
    assert [t["amount"] for t in project["tiers"]] == [10_000, 30_000]
    assert [u["title"] for u in project["updates"]] == ["촬영 시작"]


def test_collection_detail_lists_live_films_in_curated_order(client, openapi, catalogue):
    """A collection's films come in the curator's order as cards; the draft is left out."""
    response = client.get(f"/api/v2/pages/{catalogue['collection'].pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", response)
    films = response.json()["films"]
    assert [f["title"] for f in films] == ["나비", "가을"]
    assert films[1]["poster"]["width"] == 360


def test_home_detail_expands_film_references(client, openapi, catalogue):
    """Home sections carry film cards (id, title, urls, poster), not bare ids; drafts are dropped."""
    response = client.get(f"/api/v2/pages/{catalogue['home'].pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", response)
    sections = {s["type"]: s["value"] for s in response.json()["body"]}
    assert sections["hero"]["film"]["title"] == "가을"
    assert sections["hero"]["film"]["html_url"].endswith(catalogue["first"].url)
    assert [f["title"] for f in sections["film_row"]["films"]] == ["나비", "가을"]
    assert {f["title"] for f in sections["auto_film_row"]["films"]} == {"가을", "다리"}
    assert sections["funding_spotlight"]["projects"][0]["funding"]["backers"] == 12
    assert sections["text"]["text"] == "<p>졸업작품</p>"


@pytest.mark.parametrize("which", ["draft", "private"])
def test_draft_and_private_pages_have_no_detail(client, catalogue, which):
    """Drafts and password-protected pages are 404 in the API."""
    assert client.get(f"/api/v2/pages/{catalogue[which].pk}/").status_code == 404


# --- the catalogue filters ------------------------------------------------------------------------------------------


def test_films_listing_matches_schema(client, openapi, catalogue):
    """/api/v2/films/ lists live public films and projects as documented cards, newest first."""
    response = client.get("/api/v2/films/")
    assert_matches_schema(openapi, "/api/v2/films/", response)
    assert titles(response) == ["다리", "나비", "가을"]
    assert response.json()["items"][0]["funding"]["amount_raised"] == 1_500_000


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"genre": "drama"}, ["다리", "가을"]),
        ({"year": "2024"}, ["다리", "나비"]),
        ({"status": "finished"}, ["나비", "가을"]),
        ({"status": "funding"}, ["다리"]),
        ({"status": "free"}, ["가을"]),  # the project costs nothing to back, yet it is in production
        ({"status": "coming_soon"}, []),
        ({"status": "paid"}, ["나비"]),
        ({"sort": "title"}, ["가을", "나비", "다리"]),
        ({"genre": "drama", "year": "2023"}, ["가을"]),
    ],
)
def test_films_filters(client, catalogue, query, expected):
    """The catalogue's genre, year, status and sort filters work through the API."""
    response = client.get("/api/v2/films/", query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_film_filters_on_pages_endpoint_with_film_type(client, catalogue):
    """The same filters apply on /api/v2/pages/ when a film type is asked for."""
    response = client.get("/api/v2/pages/", {"type": "films.FilmPage", "genre": "drama"})
    assert titles(response) == ["가을"]


def test_invalid_filter_value_is_a_bad_request(client, openapi, catalogue):
    """An app sending a malformed filter hears about it (400 with a message) instead of getting everything."""
    response = client.get("/api/v2/films/", {"status": "sold-out"})
    assert_matches_schema(openapi, "/api/v2/films/", response, status=400)
    assert "status" in response.json()["detail"] and response.json()["code"] == "bad_request"


def test_films_endpoint_refuses_non_film_types(client, catalogue):
    """/api/v2/films/ is only films: asking it for another page type is a 400, not a list of other pages."""
    response = client.get("/api/v2/films/", {"type": "home.HomePage"})
    assert response.status_code == 400


# --- people, genres, images, documents ------------------------------------------------------------------------------


def test_people_listing_and_detail_match_schema(client, openapi, catalogue):
    """People are listed; a person's detail has their live films with roles, without drafts or private films."""
    director = catalogue["director"]
    assert_matches_schema(openapi, "/api/v2/people/", client.get("/api/v2/people/"))
    response = client.get(f"/api/v2/people/{director.pk}/")
    assert_matches_schema(openapi, "/api/v2/people/{id}/", response)
    person = response.json()
    assert person["html_url"].endswith(f"/people/{director.slug}/")
    assert {row["film"]["title"] for row in person["films"]} == {"가을", "다리"}
    assert person["films"][0]["credits"][0]["role"] == "director"


def test_genres_listing_matches_schema(client, openapi, catalogue):
    """The seeded genres are listed in the editors' order with their slugs."""
    response = client.get("/api/v2/genres/")
    assert_matches_schema(openapi, "/api/v2/genres/", response)
    assert [g["slug"] for g in response.json()["items"]][:3] == ["action", "comedy", "drama"]


@pytest.mark.wagtail_indexes  # which images and documents pages use: the reference index
def test_images_listing_and_detail_match_schema(client, openapi, catalogue):
    """Images are listed and described as documented."""
    response = client.get("/api/v2/images/")
    assert_matches_schema(openapi, "/api/v2/images/", response)
    image_id = response.json()["items"][0]["id"]
    assert_matches_schema(openapi, "/api/v2/images/{id}/", client.get(f"/api/v2/images/{image_id}/"))


@pytest.mark.wagtail_indexes  # which images and documents pages use: the reference index
def test_documents_listing_and_detail_match_schema(client, openapi):
    """Documents are listed and described as documented."""
    document = get_document_model().objects.create(title="보도자료", file=ContentFile(b"%PDF-1.4", name="press.pdf"))
    # Listed because a live page links to it (the editor offers no document links yet; the API
    # lists what public pages use, films.media_access).
    FilmPageFactory(synopsis=f'<p><a linktype="document" id="{document.pk}">보도자료</a></p>')
    assert_matches_schema(openapi, "/api/v2/documents/", client.get("/api/v2/documents/"))
    assert_matches_schema(openapi, "/api/v2/documents/{id}/", client.get(f"/api/v2/documents/{document.pk}/"))


# --- query counts ---------------------------------------------------------------------------------------------------


def _add_films(count: int):
    drama = Genre.objects.get(slug="drama")
    for _ in range(count):
        person = PersonFactory()
        FilmPageFactory(poster=ImageFactory(), genres=[drama], credits=[(person, "director"), (person, "writer")])
        FundingProjectPageFactory(
            poster=ImageFactory(), genres=[drama], credits=[(person, "director")], raised=(10_000, 1)
        )


def _queries(client, url, params) -> int:
    client.get(url, params)  # first request renders the renditions; count a warm one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v2/films/", {"limit": 50}),
        ("/api/v2/films/", {"limit": 50, "fields": "credits", "genre": "drama"}),
        ("/api/v2/pages/", {"limit": 50, "type": "films.FundingProjectPage", "fields": "credits"}),
        ("/api/v2/people/", {"limit": 50}),
    ],
)
def test_listing_query_count_does_not_grow_with_the_catalogue(client, url, params):
    """A listing of 24 films costs the same number of queries as a listing of 6."""
    _add_films(3)
    small = _queries(client, url, params)
    _add_films(9)
    assert _queries(client, url, params) == small
