"""The audience figures and session reports for apps: the same rules as the admin."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.models import FilmDay, PlaybackSession
from films.tests.factories import FilmPageFactory
from films.tests.openapi import assert_matches_schema
from members.tests.factories import CreatorFactory, StaffUserFactory
from recommendations.tests.factories import watchable_film
from tests.signatures import with_one_character_changed
from videos.tests.factories import ready_video_record
from watching.playback import playback_config

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FILMS = reverse("api_me_analytics_films")


@pytest.fixture
def films():
    me, them = CreatorFactory(), CreatorFactory()
    mine = FilmPageFactory(title_en="Mine", owner=me)
    theirs = FilmPageFactory(title_en="Theirs", owner=them)
    today = timezone.localdate()
    FilmDay.objects.create(film=mine, day=today, plays=2, viewers=2, watch_seconds=100, page_views=4)
    FilmDay.objects.create(film=theirs, day=today, plays=5, viewers=5, retention=[0.5] * 100)
    return {"me": me, "mine": mine, "theirs": theirs}


def test_a_creator_gets_only_their_films_and_a_404_for_anyone_elses(client, films, openapi):
    client.force_login(films["me"])
    response = client.get(FILMS)
    body = response.json()
    assert response.status_code == 200 and not body["everything"]
    assert [film["title"] for film in body["films"]] == ["Mine"]
    assert body["totals"]["plays"] == 2 and body["totals"]["conversion"] == 0.5
    assert_matches_schema(openapi, "/api/v2/me/analytics/films/", response)
    mine = client.get(reverse("api_me_analytics_film", args=[films["mine"].pk]))
    assert mine.status_code == 200 and len(mine.json()["days"]) == 28 and mine.json()["days"][-1]["plays"] == 2
    assert_matches_schema(openapi, "/api/v2/me/analytics/films/{film_id}/", mine)
    theirs = client.get(reverse("api_me_analytics_film", args=[films["theirs"].pk]))
    assert theirs.status_code == 404 and theirs.json()["code"] == "not_found"


def test_staff_get_every_film_and_a_bad_period_is_a_400(client, films):
    client.force_login(StaffUserFactory())
    body = client.get(FILMS).json()
    assert body["everything"] and {film["title"] for film in body["films"]} == {"Mine", "Theirs"}
    assert body["totals"]["plays"] == 7
    theirs = client.get(reverse("api_me_analytics_film", args=[films["theirs"].pk])).json()
    assert theirs["retention"][0] == 0.5
    bad = client.get(FILMS, {"from": "yesterday"})
    assert bad.status_code == 400 and bad.json()["detail"] == "Give the dates as YYYY-MM-DD."


def test_anonymous_requests_are_refused(client, films):
    assert client.get(FILMS).status_code == 401


def test_an_apps_player_reports_a_session_with_its_playback_token(client, rf):
    film = watchable_film(main_video=ready_video_record(duration=120))
    member = CreatorFactory()
    request = rf.get("/")
    request.user = member
    token = playback_config(request, film)["session_token"]
    client.force_login(member)
    url = reverse("api_playback_sessions")
    body = {"session": "app-play-1", "token": token, "ranges": [[0, 30], [60, 90]], "source": "direct"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"recorded": True}
    assert PlaybackSession.objects.get().watched_seconds == 60
    forged = {**body, "token": with_one_character_changed(token)}
    response = client.post(url, json.dumps(forged), content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    taken = client.post(url, json.dumps({**body, "token": token}), content_type="application/json")
    assert taken.status_code == 200
