"""Playback sessions through the real endpoint, and their rollup into a film's day."""

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics import ranges
from analytics.models import FilmDay, PlaybackSession
from analytics.rollup import film_day_figures, prune_sessions, roll_up
from donations.tests.factories import paid_donation
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import UserFactory
from recommendations.tests.factories import watchable_film
from videos.tests.factories import ready_video_record
from watching.models import DailyView

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SESSION = reverse("analytics:playback_session")
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between writers need PostgreSQL"
)
PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"


@pytest.fixture
def film():
    return watchable_film(title="Two Minutes", main_video=ready_video_record(duration=120))


def player_config(client, film) -> dict:
    """The configuration the watch page gives its player (what a real player reads)."""
    html = client.get(reverse("watching:watch_film", args=[film.slug])).content.decode()
    start = html.index('<script id="player-config" type="application/json">') + len(
        '<script id="player-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def report(client, config, ranges_, *, session="play-0001", viewer="viewer-0001", **extra):
    body = {
        "session": session,
        "token": config["session_token"],
        "ranges": ranges_,
        "source": "search",
        "viewer": viewer,
    }
    return client.post(config["session_url"], json.dumps(body), content_type="application/json", **extra)


def test_the_scripted_play_watch_time_and_retention_through_the_endpoint(client, film):
    """0–30 s, a seek to 60 s, 60–90 s: 60 s watched; retention 1 at 20 s, 0 at 45 s, 1 at 75 s."""
    config = player_config(client, film)
    for beat in ([[0, 10]], [[10, 20]], [[20, 30]], [[60, 70]], [[70, 80], [80, 90]]):
        assert report(client, config, beat).status_code == 204
    session = PlaybackSession.objects.get()
    assert session.ranges == [[0.0, 30.0], [60.0, 90.0]] and session.watched_seconds == 60
    assert session.user is None and session.viewer.startswith("a") and "viewer-0001" not in session.viewer
    roll_up(timezone.localdate())
    day = FilmDay.objects.get(film=film)
    assert (day.plays, day.viewers, day.watch_seconds, day.completions) == (1, 1, 60, 0)
    assert day.average_share == 0.5 and day.sources == {"search": 1} and day.devices == {"desktop": 1}
    assert ranges.retention_at(day.retention, 120, 20) == 1.0
    assert ranges.retention_at(day.retention, 120, 45) == 0.0
    assert ranges.retention_at(day.retention, 120, 75) == 1.0


def test_replayed_and_overlapping_reports_count_once_and_completion_is_the_end(client, film):
    config = player_config(client, film)
    for beat in ([[0, 60]], [[0, 60]], [[50, 119]], [[100, 119]]):
        assert report(client, config, beat, HTTP_USER_AGENT=PHONE_UA).status_code == 204
    session = PlaybackSession.objects.get()
    assert session.watched_seconds == 119 and session.completed and session.device == "phone"


def test_two_plays_by_one_viewer_are_two_plays_one_viewer_and_one_view(client, film):
    member = UserFactory()
    client.force_login(member)
    config = player_config(client, film)
    report(client, config, [[0, 40]], session="play-first")
    report(client, config, [[0, 20]], session="play-second")
    progress = {"video_id": film.main_video_id, "film_id": film.pk, "position": 40, "duration": 120, "played": 30}
    for _ in range(2):
        client.post(reverse("watching:video_progress"), json.dumps(progress), content_type="application/json")
    roll_up(timezone.localdate())
    day = FilmDay.objects.get(film=film)
    assert (day.plays, day.viewers, day.watch_seconds) == (2, 1, 60)
    assert DailyView.objects.filter(film=film).count() == 1
    assert set(PlaybackSession.objects.values_list("user", flat=True)) == {member.pk}


def test_forged_foreign_and_malformed_reports_are_refused_and_bots_ignored(client, film):
    config = player_config(client, film)
    forged = {**config, "session_token": config["session_token"][:-4] + "0000"}
    assert report(client, forged, [[0, 10]]).status_code == 403
    # A member's token does not work for anyone else (here: the same browser logged out).
    client.force_login(UserFactory())
    members = player_config(client, film)
    client.logout()
    assert report(client, members, [[0, 10]]).status_code == 403
    assert report(client, config, [[0, 10]], session="no").status_code == 400
    response = client.post(SESSION, "[1, 2]", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert client.get(SESSION).status_code == 405
    assert report(client, config, [[0, 10]], HTTP_USER_AGENT="Googlebot/2.1").status_code == 204
    assert not PlaybackSession.objects.exists()
    # Someone else's session id: refused, the first play unchanged.
    assert report(client, config, [[0, 10]], session="play-taken").status_code == 204
    assert report(client, config, [[10, 90]], session="play-taken", viewer="viewer-9999").status_code == 409
    assert PlaybackSession.objects.get().watched_seconds == 10
    # Nonsense ranges lose only themselves.
    assert report(client, config, [["x", 5], [10, 500]], session="play-taken").status_code == 204
    assert PlaybackSession.objects.get().ranges == [[0.0, 120.0]]


def test_the_rollup_adds_donations_and_is_the_same_when_run_again(client):
    project = FundingProjectPageFactory(title="Next Film")
    paid_donation(project, amount=5000)
    paid_donation(project, amount=20000)
    today = timezone.localdate()
    roll_up(today)
    roll_up(today)
    day = FilmDay.objects.get(film=project)
    assert (day.donations, day.donation_amount, day.plays) == (2, 25000, 0)


def test_old_sessions_are_pruned_and_their_rollups_kept(client, film, settings):
    config = player_config(client, film)
    report(client, config, [[0, 10]])
    today = timezone.localdate()
    roll_up(today)
    assert prune_sessions(today + timezone.timedelta(days=settings.ANALYTICS_KEEP_SESSIONS_DAYS)) == 0
    assert prune_sessions(today + timezone.timedelta(days=settings.ANALYTICS_KEEP_SESSIONS_DAYS + 1)) == 1
    assert FilmDay.objects.get(film=film).plays == 1


def test_film_page_views_are_counted_by_the_pages_beacon_and_rolled_up(client, film):
    page = client.get(film.url).content.decode()
    assert reverse("analytics:page_view") in page and f'data-film="{film.pk}"' in page
    view = reverse("analytics:page_view")
    for _ in range(3):
        assert client.post(view, json.dumps({"film": film.pk}), content_type="application/json").status_code == 204
    client.post(view, json.dumps({"film": film.pk}), content_type="application/json", HTTP_USER_AGENT="bingbot")
    assert client.post(view, json.dumps({"film": 999999}), content_type="application/json").status_code == 204
    assert client.post(view, json.dumps({"film": "1"}), content_type="application/json").status_code == 400
    roll_up(timezone.localdate())
    assert FilmDay.objects.get(film=film).page_views == 3
    assert FilmDay.objects.count() == 1


def test_a_later_report_is_one_locked_read_and_one_update_of_its_row(client, film):
    """No model loaded, no other table read (an anonymous player carries no session)."""
    config = player_config(client, film)
    report(client, config, [[0, 10]])
    with CaptureQueriesContext(connection) as queries:
        assert report(client, config, [[10, 20]]).status_code == 204
    statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) == 2, statements
    read, write = statements
    assert read.startswith("SELECT") and "analytics_playbacksession" in read and '"source"' not in read
    assert write.startswith("UPDATE") and '"source"' not in write and '"ranges"' in write
    assert PlaybackSession.objects.get().ranges == [[0.0, 20.0]]


def test_sessions_of_films_read_interleaved_are_rolled_up_each_into_its_own_film(client):
    """The rollup reads a day's sessions film by film, whatever order they were written in."""
    films = [watchable_film(title=f"Film {n}", main_video=ready_video_record(duration=120)) for n in range(3)]
    configs = [player_config(client, film) for film in films]
    for n in range(9):
        report(client, configs[n % 3], [[0, 10 * (n + 1)]], session=f"play-{n:04d}", viewer=f"viewer-{n % 4:04d}")
    assert roll_up(timezone.localdate()) == 3
    for film in films:
        sessions = PlaybackSession.objects.filter(film=film).order_by("pk").values()
        day = FilmDay.objects.filter(film=film).values(*film_day_figures([])).get()
        assert day == film_day_figures(sessions) and day["plays"] == 3


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reports_of_one_play_arriving_together_lose_no_range(film):
    """Eight players' worth of reports of one play at the same moment, its first report among them:
    the row lock makes each merge see the one before, so all 40 seconds are kept."""
    config = player_config(Client(), film)
    beats = [[[3 * k, 3 * k + 1]] for k in range(40)]  # 40 separate seconds of the 120
    barrier, errors = threading.Barrier(8), []

    def send(mine):
        try:
            client = Client()
            barrier.wait()
            for beat in mine:
                assert report(client, config, beat, session="play-together").status_code == 204
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(beats[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    session = PlaybackSession.objects.get()
    assert session.ranges == [[3.0 * k, 3.0 * k + 1] for k in range(40)] and session.watched_seconds == 40


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reports_commit_does_not_wait_for_the_disk_and_nothing_else_changes(film):
    """`SET LOCAL`: asynchronous commit for the report's own transaction only."""
    client = Client()
    config = player_config(client, film)
    with CaptureQueriesContext(connection) as queries:
        assert report(client, config, [[0, 10]]).status_code == 204
    statements = [query["sql"] for query in queries if query["sql"] not in ("BEGIN", "COMMIT")]
    assert statements[0] == "SET LOCAL synchronous_commit TO OFF" and len(statements) == 3
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert PlaybackSession.objects.get().watched_seconds == 10
