"""`GET /api/v2/posts/?page_id=` and `GET /api/v2/posts/<id>/`: the documented shapes, the shared
pagination and error shape, and the same locks as the site for sessions and app tokens."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from community.models import Post, PostAudience
from films.tests.factories import FundingProjectPageFactory
from films.tests.openapi import assert_matches_schema
from members.tests.app_tokens import app_tokens, bearer, cookieless_client

from .post_helpers import build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = "/api/v2/posts/"
DETAIL = "/api/v2/posts/{post_id}/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


def test_a_visitor_gets_a_pages_posts_locked_with_the_way_to_unlock_them(openapi, world):
    """Title, teaser, audience and tier; no body or media; the donation form (through the log-in) as the key."""
    Post.objects.create(
        page=world.project, author=world.creator, title="초안", body="아직", audience=PostAudience.PUBLIC
    )  # a draft: not listed
    response = cookieless_client().get(LIST, {"page_id": world.project.pk})
    assert_matches_schema(openapi, LIST, response)
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert body["meta"] == {"total_count": 1}
    (item,) = body["items"]
    assert item["id"] == world.backers_post.pk and item["locked"] is True
    assert item["minimum_tier"] == {"id": world.tier_high.pk, "title": "엔딩 크레딧에 이름", "amount": 50_000}
    assert (item["body"], item["images"], item["videos"]) == (None, [], [])
    assert item["unlock"]["kind"] == "back"
    unlock, url = urlsplit(item["unlock"]["url"]), urlsplit(item["url"])
    assert unlock.scheme == "http" and unlock.path == "/accounts/login/"
    assert parse_qs(unlock.query) == {"next": [f"/support/{world.project.pk}/?tier={world.tier_high.pk}"]}
    assert url.scheme == "http" and url.path == f"/community/posts/{world.backers_post.pk}/"


def test_an_app_token_of_a_backer_at_the_tier_unlocks_the_post(openapi, world):
    """The JWT counts like the session: body, a signed picture and a signed master playlist."""
    token = app_tokens(world.users["backer at the tier"])[0]
    response = cookieless_client().get(DETAIL.format(post_id=world.backers_post.pk), **bearer(token))
    assert_matches_schema(openapi, DETAIL, response)
    item = response.json()
    assert item["locked"] is False and item["body"] == world.backers_post.body and item["unlock"] is None
    assert urlsplit(item["images"][0]["url"]).path.startswith("/community/posts/images/")
    assert (item["images"][0]["width"], item["images"][0]["height"]) == (64, 48)
    assert "/stream/" in item["videos"][0]["master_url"] and item["videos"][0]["title"] == "메이킹 필름"


def test_an_app_token_of_a_backer_below_the_tier_leaves_it_locked(world):
    token = app_tokens(world.users["backer below the tier"])[0]
    item = cookieless_client().get(DETAIL.format(post_id=world.backers_post.pk), **bearer(token)).json()
    assert (
        item["locked"] is True
        and item["body"] is None
        and item["unlock"]["url"].endswith(f"/support/{world.project.pk}/?tier={world.tier_high.pk}")
    )


def test_a_dead_token_is_a_401_in_the_shared_shape(openapi, world):
    response = cookieless_client().get(DETAIL.format(post_id=world.backers_post.pk), **bearer("not-a-token"))
    assert_matches_schema(openapi, DETAIL, response, 401)


def test_the_list_pages_with_offset_and_limit_newest_first(openapi, world):
    now = timezone.now()
    for number in range(5):
        Post.objects.create(
            page=world.project,
            author=world.creator,
            title=f"공개 글 {number}",
            body="본문",
            published_at=now - timezone.timedelta(days=number + 1),
        )
    response = client_for(world.users["member"]).get(LIST, {"page_id": world.project.pk, "offset": 1, "limit": 2})
    assert_matches_schema(openapi, LIST, response)
    assert response.json()["meta"]["total_count"] == 6
    assert [item["title"] for item in response.json()["items"]] == ["공개 글 0", "공개 글 1"]
    assert all(item["locked"] is False and item["body"] == "본문" for item in response.json()["items"])


@pytest.mark.parametrize(
    "query",
    [{}, {"page_id": "abc"}, {"page_id": "0"}, {"page_id": "9" * 20}, {"page_id": "1", "limit": "51"}],
    ids=["missing", "text", "zero", "huge", "limit-too-high"],
)
def test_a_query_the_list_cannot_take_is_a_400(openapi, world, query):
    query = {**query, "page_id": world.project.pk} if query.get("page_id") == "1" else query
    response = cookieless_client().get(LIST, query)
    assert_matches_schema(openapi, LIST, response, 400)


def test_an_unpublished_page_or_a_missing_post_is_a_neutral_404(openapi, world):
    draft_page = FundingProjectPageFactory(live=False)
    response = cookieless_client().get(LIST, {"page_id": draft_page.pk})
    assert_matches_schema(openapi, LIST, response, 404)
    missing = cookieless_client().get(DETAIL.format(post_id=2_000_000_000))
    assert_matches_schema(openapi, DETAIL, missing, 404)
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}


def test_every_posts_operation_declares_its_refusals_with_the_error_shape(openapi):
    for path in (LIST, DETAIL):
        operation = openapi["paths"][path]["get"]
        assert {"200", "400", "401", "404"} <= set(operation["responses"])
        assert {} in operation["security"]  # a token is taken when given, never needed
        params = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "page" not in params
