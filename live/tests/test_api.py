"""/api/v2/premieres/: what pages show, for apps, with "remind me"; never a stream key."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from films.tests.factories import FilmPageFactory
from films.tests.openapi import assert_matches_schema
from live.models import Premiere, PremiereReminder, PremiereStatus
from members.tests.app_tokens import app_tokens, bearer, cookieless_client
from members.tests.factories import CreatorFactory, UserFactory
from videos.models import Video, VideoStatus
from videos.tests.factories import ready_video_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = "/api/v2/premieres/"
NOW = timezone.now()


def detail(premiere) -> str:
    return f"/api/v2/premieres/{premiere.pk}/"


def reminder(premiere) -> str:
    return f"/api/v2/premieres/{premiere.pk}/reminder/"


@pytest.fixture
def api():
    return cookieless_client()


@pytest.fixture
def film():
    return FilmPageFactory(title="겨울 정류장", title_en="Winter Stop", owner=CreatorFactory())


@pytest.fixture
def premieres(film):
    return {
        "upcoming": Premiere.objects.create(page=film, title="Upcoming", starts_at=NOW + timedelta(days=2)),
        "live": Premiere.objects.create(page=film, title="Live", starts_at=NOW, status=PremiereStatus.LIVE),
        "past": Premiere.objects.create(
            page=film, title="Past", starts_at=NOW - timedelta(days=3), status=PremiereStatus.ENDED
        ),
        "cancelled": Premiere.objects.create(
            page=film, title="Cancelled", starts_at=NOW + timedelta(days=1), status=PremiereStatus.CANCELLED
        ),
    }


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_the_list_answers_as_documented_without_cancelled_premieres(openapi, api, premieres):
    response = api.get(LIST)
    assert_matches_schema(openapi, LIST, response)
    assert sorted(titles(response)) == ["Live", "Past", "Upcoming"]
    assert response.json()["meta"]["total_count"] == 3
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("when", "expected"), [("upcoming", ["Upcoming"]), ("live", ["Live"]), ("past", ["Past"])])
def test_when_filters_the_list(api, premieres, when, expected):
    assert titles(api.get(LIST, {"when": when})) == expected


def test_page_id_filters_the_list(api, premieres):
    other = FilmPageFactory()
    Premiere.objects.create(page=other, title="Elsewhere", starts_at=NOW + timedelta(days=1))
    assert titles(api.get(LIST, {"page_id": other.pk})) == ["Elsewhere"]


@pytest.mark.parametrize("query", [{"when": "tomorrow"}, {"page_id": "x"}, {"page_id": 0}, {"limit": 51}])
def test_a_query_it_cannot_take_is_a_400_in_the_shared_shape(openapi, api, premieres, query):
    response = api.get(LIST, query)
    assert_matches_schema(openapi, LIST, response, 400)


def test_a_page_that_is_not_live_is_a_404(openapi, api):
    draft = FilmPageFactory(live=False)
    response = api.get(LIST, {"page_id": draft.pk})
    assert_matches_schema(openapi, LIST, response, 404)


def test_a_premiere_in_detail(openapi, api, film, premieres):
    """The page, the facts, and no stream key anywhere in the answer."""
    upcoming = premieres["upcoming"]
    response = api.get(detail(upcoming))
    assert_matches_schema(openapi, "/api/v2/premieres/{premiere_id}/", response)
    body = response.json()
    assert body["page"] == {
        "id": film.pk,
        "title": "겨울 정류장",
        "title_en": "Winter Stop",
        "url": f"{settings.WAGTAILAPI_BASE_URL}{film.url}",
    }
    assert (body["status"], body["ticket_price"], body["has_qa"]) == ("scheduled", 0, False)
    assert body["replay_video_id"] is None and body["live_url"] is None and body["reminded"] is None
    assert upcoming.stream_key not in response.content.decode()
    assert "stream_key" not in body


def test_a_live_premiere_gives_the_playback_endpoint(api, film, premieres):
    body = api.get(detail(premieres["live"])).json()
    assert body["status"] == "live"
    assert body["live_url"] == f"{settings.WAGTAILAPI_BASE_URL}{reverse('api_playback', args=[film.pk])}"
    watch = reverse("live:watch", args=[premieres["live"].pk])
    assert body["watch_url"] == f"{settings.WAGTAILAPI_BASE_URL}{watch}"


def test_the_replay_is_given_once_ready(api, premieres):
    past = premieres["past"]
    past.replay = Video.objects.create(title="processing", status=VideoStatus.PROCESSING)
    past.save()
    assert api.get(detail(past)).json()["replay_video_id"] is None
    past.replay = ready_video_record()
    past.save()
    assert api.get(detail(past)).json()["replay_video_id"] == past.replay_id


@pytest.mark.parametrize("which", ["cancelled", "on a draft"])
def test_a_premiere_that_is_not_shown_is_a_404(openapi, api, premieres, which):
    premiere = premieres["cancelled"]
    if which == "on a draft":
        premiere = Premiere.objects.create(page=FilmPageFactory(live=False), title="Draft", starts_at=NOW)
    response = api.get(detail(premiere))
    assert_matches_schema(openapi, "/api/v2/premieres/{premiere_id}/", response, 404)
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_member_asks_for_a_reminder_and_takes_it_back_with_a_token(openapi, api, premieres):
    member = UserFactory()
    token = app_tokens(member)[0]
    upcoming = premieres["upcoming"]
    template = "/api/v2/premieres/{premiere_id}/reminder/"
    response = api.post(reminder(upcoming), **bearer(token))
    assert_matches_schema(openapi, template, response, 200, "post")
    assert response.json() == {"reminded": True}
    assert PremiereReminder.objects.filter(member=member, premiere=upcoming).exists()
    assert api.get(detail(upcoming), **bearer(token)).json()["reminded"] is True
    assert [item["reminded"] for item in api.get(LIST, {"when": "upcoming"}, **bearer(token)).json()["items"]] == [True]
    response = api.delete(reminder(upcoming), **bearer(token))
    assert_matches_schema(openapi, template, response, 200, "delete")
    assert response.json() == {"reminded": False} and not PremiereReminder.objects.exists()


def test_a_reminder_needs_a_member(openapi, api, premieres):
    response = api.post(reminder(premieres["upcoming"]))
    assert_matches_schema(openapi, "/api/v2/premieres/{premiere_id}/reminder/", response, 401, "post")
    assert not PremiereReminder.objects.exists()


def test_a_premiere_that_started_takes_no_reminder(openapi, api, premieres):
    token = app_tokens(UserFactory())[0]
    response = api.post(reminder(premieres["live"]), **bearer(token))
    assert_matches_schema(openapi, "/api/v2/premieres/{premiere_id}/reminder/", response, 400, "post")
    assert not PremiereReminder.objects.exists()
