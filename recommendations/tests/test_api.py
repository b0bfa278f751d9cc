"""`/api/v2/me/genres/` and `/api/v2/me/recommendations/` for apps: members only, in the schema."""

import pytest

from films.tests.factories import GenreFactory
from films.tests.openapi import assert_matches_schema
from members.tests.app_tokens import app_tokens, bearer, cookieless_client
from members.tests.factories import UserFactory
from recommendations.models import PickedGenre
from recommendations.recompute import recompute_all
from recommendations.tests.factories import watchable_film, watched

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GENRES = "/api/v2/me/genres/"
RECOMMENDATIONS = "/api/v2/me/recommendations/"


@pytest.fixture
def api():
    return cookieless_client()


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def token(member):
    return bearer(app_tokens(member)[0])


@pytest.mark.parametrize(("method", "path"), [("get", GENRES), ("put", GENRES), ("get", RECOMMENDATIONS)])
def test_anonymous_requests_get_a_401(openapi, api, method, path):
    """No token, no session: a JSON 401 in the shared error shape, never cached."""
    response = getattr(api, method)(path, {"genre_ids": []}, content_type="application/json")
    assert_matches_schema(openapi, path, response, 401, method)
    assert "no-store" in response["Cache-Control"]


def test_put_replaces_the_picked_genres_and_get_returns_them(openapi, api, member, token):
    """PUT three genres, then two of them: GET answers the two, in the catalogue's order."""
    drama, comedy, horror = GenreFactory(sort_order=1), GenreFactory(sort_order=2), GenreFactory(sort_order=3)
    ids = [horror.pk, drama.pk, comedy.pk]
    response = api.put(GENRES, {"genre_ids": ids}, content_type="application/json", **token)
    assert_matches_schema(openapi, GENRES, response, 200, "put")
    assert [genre["id"] for genre in response.json()["genres"]] == [drama.pk, comedy.pk, horror.pk]
    api.put(GENRES, {"genre_ids": [comedy.pk, drama.pk]}, content_type="application/json", **token)
    response = api.get(GENRES, **token)
    assert_matches_schema(openapi, GENRES, response)
    assert [genre["slug"] for genre in response.json()["genres"]] == [drama.slug, comedy.slug]


def test_fewer_than_three_genres_and_none_are_taken_through_the_api(api, member, token):
    """The site asks for three; an app may ask for fewer, and an empty list clears the picks."""
    genre = GenreFactory()
    assert api.put(GENRES, {"genre_ids": [genre.pk]}, content_type="application/json", **token).status_code == 200
    assert api.put(GENRES, {"genre_ids": []}, content_type="application/json", **token).status_code == 200
    assert not PickedGenre.objects.filter(user=member).exists()


def test_unknown_genre_ids_are_a_400_and_change_nothing(openapi, api, member, token):
    """One id no genre has: `invalid`, the id named under `fields`, the picks as before."""
    genre = GenreFactory()
    PickedGenre.objects.create(user=member, genre=genre)
    response = api.put(GENRES, {"genre_ids": [genre.pk, 999_999]}, content_type="application/json", **token)
    assert_matches_schema(openapi, GENRES, response, 400, "put")
    body = response.json()
    assert body["code"] == "invalid" and "999999" in body["fields"]["genre_ids"][0]
    assert list(PickedGenre.objects.filter(user=member).values_list("genre_id", flat=True)) == [genre.pk]


@pytest.mark.parametrize(
    "body", [{"genre_ids": "1,2"}, {"genre_ids": ["drama"]}, {"genre_ids": [0]}, {}, {"genre_ids": [], "x": 1}]
)
def test_a_body_that_is_not_a_list_of_ids_is_a_400(openapi, api, token, body):
    """Not a list, not ids, missing, or with fields the endpoint does not take."""
    response = api.put(GENRES, body, content_type="application/json", **token)
    assert_matches_schema(openapi, GENRES, response, 400, "put")


def test_a_session_put_needs_the_csrf_token(api, member):
    """With the site's session (not a token), DRF's CSRF check applies."""
    client = cookieless_client()
    client.handler.enforce_csrf_checks = True
    client.force_login(member)
    assert client.put(GENRES, {"genre_ids": []}, content_type="application/json").status_code == 403


def test_recommendations_are_the_home_rows_with_their_reasons(openapi, api, member, token):
    """Continue watching with where to resume; because you watched, naming the film."""
    seen, halfway, next_one = watchable_film(), watchable_film(), watchable_film()
    watched(member, seen)
    watched(member, halfway, share=0.5)
    for film in (seen, next_one):
        for fan in UserFactory.create_batch(2):
            watched(fan, film)
    recompute_all()
    response = api.get(RECOMMENDATIONS, **token)
    assert_matches_schema(openapi, RECOMMENDATIONS, response)
    rows = {row["key"]: row for row in response.json()["rows"]}
    [resumed] = rows["continue_watching"]["films"]
    assert resumed["id"] == halfway.pk and resumed["resume"]["percent"] == 50
    assert [film["id"] for film in rows["for_you"]["films"]] == [next_one.pk]
    assert rows["for_you"]["films"][0]["resume"] is None
