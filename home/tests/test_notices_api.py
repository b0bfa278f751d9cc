"""Notices in the API: `/api/v2/notices/` (newest first, in the request's language, the banner in
`meta`) and each notice in the pages endpoint with both languages' fields, as the schema says."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from films.tests.openapi import assert_matches_schema
from home.tests.factories import NoticePageFactory, in_hours
from members.tests.app_tokens import cookieless_client

pytestmark = pytest.mark.django_db

NOTICES = "/api/v2/notices/"


@pytest.fixture
def api():
    """An app's client, asking for Korean unless a test says otherwise."""
    client = cookieless_client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ko"
    return client


@pytest.fixture
def notices():
    today = timezone.localdate()
    return {
        "pinned": NoticePageFactory(
            title="상영회 안내",
            title_en="Screening week",
            body="<p>상영회는 <b>다음 주</b>입니다.</p>",
            body_en="<p>Screenings are <b>next week</b>.</p>",
            date=today - datetime.timedelta(days=1),
            banner_until=in_hours(24),
        ),
        "plain": NoticePageFactory(title="오늘의 공지", title_en="", body_en="", date=today),
        "ended": NoticePageFactory(
            title="지난 고정 공지",
            title_en="Past pinned notice",
            date=today - datetime.timedelta(days=5),
            banner_until=in_hours(-2),
        ),
        "draft": NoticePageFactory(title="초안 공지", date=today, live=False),
    }


def test_the_list_is_newest_first_with_the_banner_flag_and_matches_the_schema(openapi, api, notices):
    response = api.get(NOTICES)
    assert_matches_schema(openapi, NOTICES, response)
    body = response.json()
    assert body["meta"]["total_count"] == 3
    assert [item["title"] for item in body["items"]] == ["오늘의 공지", "상영회 안내", "지난 고정 공지"]
    assert [item["banner"] for item in body["items"]] == [False, True, False]
    plain, pinned, ended = body["items"]
    assert plain["banner_until"] is None and ended["banner_until"] is not None
    assert pinned["body"] == "<p>상영회는 <b>다음 주</b>입니다.</p>"
    base = settings.WAGTAILAPI_BASE_URL  # every URL in the API is on the public base
    assert pinned["html_url"] == base + notices["pinned"].url
    assert pinned["detail_url"] == f"{base}/api/v2/pages/{notices['pinned'].pk}/"
    assert body["meta"]["banner"] == pinned


def test_offset_and_limit_page_the_list_and_the_banner_stays_in_meta(openapi, api, notices):
    response = api.get(NOTICES, {"offset": 2, "limit": 1})
    assert_matches_schema(openapi, NOTICES, response)
    assert [item["title"] for item in response.json()["items"]] == ["지난 고정 공지"]
    banner_only = api.get(NOTICES, {"limit": 0}).json()
    assert banner_only["items"] == [] and banner_only["meta"]["banner"]["title"] == "상영회 안내"


@pytest.mark.parametrize("query", [{"limit": 101}, {"offset": -1}, {"limit": "many"}])
def test_a_query_it_cannot_take_is_a_400_in_the_shared_shape(openapi, api, query):
    response = api.get(NOTICES, query)
    assert_matches_schema(openapi, NOTICES, response, 400)
    assert response.json()["code"] == "bad_request"


def test_no_banner_is_null(openapi, api):
    NoticePageFactory(title="평범한 공지")
    response = api.get(NOTICES)
    assert_matches_schema(openapi, NOTICES, response)
    assert response.json()["meta"]["banner"] is None


def test_in_english_the_english_title_and_text_where_written(openapi, api, notices):
    response = api.get(NOTICES, HTTP_ACCEPT_LANGUAGE="en")
    assert_matches_schema(openapi, NOTICES, response)
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["오늘의 공지", "Screening week", "Past pinned notice"]
    assert items[1]["body"] == "<p>Screenings are <b>next week</b>.</p>"
    assert response.json()["meta"]["banner"]["title"] == "Screening week"


def test_the_pages_endpoint_has_notices_with_both_languages(openapi, api, notices):
    listing = api.get("/api/v2/pages/", {"type": "home.NoticePage", "fields": "title_en,date,banner_until,banner"})
    assert_matches_schema(openapi, "/api/v2/pages/", listing)
    by_title = {item["title"]: item for item in listing.json()["items"]}
    assert set(by_title) == {"상영회 안내", "오늘의 공지", "지난 고정 공지"}
    assert by_title["상영회 안내"]["title_en"] == "Screening week" and by_title["상영회 안내"]["banner"] is True

    pinned = notices["pinned"]
    detail = api.get(f"/api/v2/pages/{pinned.pk}/")
    assert_matches_schema(openapi, "/api/v2/pages/{id}/", detail)
    page = detail.json()
    assert page["meta"]["type"] == "home.NoticePage"
    assert page["body"] == "<p>상영회는 <b>다음 주</b>입니다.</p>"
    assert page["body_en"] == "<p>Screenings are <b>next week</b>.</p>"
    assert page["title_en"] == "Screening week" and page["banner"] is True
    assert page["date"] == pinned.date.isoformat()
    assert api.get(f"/api/v2/pages/{notices['draft'].pk}/").status_code == 404


def test_the_schema_documents_the_list_and_the_notice_page_type(openapi):
    operation = openapi["paths"][NOTICES]["get"]
    assert operation["security"] == [] and {"200", "400"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"offset", "limit"}
    components = openapi["components"]["schemas"]
    assert {"id", "title", "body", "date", "banner", "banner_until", "html_url", "detail_url"} <= set(
        components["Notice"]["properties"]
    )
    assert "banner" in components["NoticesMeta"]["properties"]
    assert {"title_en", "date", "body", "body_en", "banner_until", "banner"} <= set(
        components["NoticePageDetailSchema"]["properties"]
    )
