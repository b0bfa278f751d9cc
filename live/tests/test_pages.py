"""Premieres on the site's pages: the film or project page's box (countdown, "remind me", live and
replay links), the home page's row and the catalogue's band, in Korean and English, and the
anonymous page cache retired when a premiere changes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, film_index, home_page
from live import schedule
from live.models import Premiere, PremiereReminder, PremiereStatus
from members.tests.factories import CreatorFactory, UserFactory
from page_cache.cache import HIT_HEADER
from tests.readable import in_language
from videos.tests.factories import ready_video_record

pytestmark = pytest.mark.django_db

# 2031-03-14 19:30 in Seoul is 10:30 UTC.
START = timezone.datetime(2031, 3, 14, 10, 30, tzinfo=timezone.UTC)


@pytest.fixture
def film():
    return FilmPageFactory(title="겨울 정류장", title_en="Winter Stop", owner=CreatorFactory())


@pytest.fixture
def premiere(film):
    return Premiere.objects.create(page=film, title="온라인 첫 상영", starts_at=START, ticket_price=5000, has_qa=True)


def html_of(client, url, language="ko") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def watch_url(premiere) -> str:
    return reverse("live:watch", args=[premiere.pk])


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_film_page_shows_an_upcoming_premiere_in_korea_time(client, film, premiere, language):
    """Title, start in Asia/Seoul, the countdown's start as data, ticket price and Q&A, in the page's language."""
    page = html_of(client, film.url, language)
    assert 'id="premieres"' in page and "온라인 첫 상영" in page
    assert "2031-03-14" in page and "19:30" in page
    assert 'data-countdown="2031-03-14T19:30:00+09:00"' in page
    assert "js/countdown.js" in page
    for text in ("Upcoming premiere", "Korea time", "Q&A with the director"):
        assert in_language(language, text) in page, text
    assert ("5,000원" if language == "ko" else "5,000 KRW") in page


def test_the_countdown_is_not_written_into_the_page(client, film, premiere):
    """The page holds only the start time; a cached copy cannot show a stale countdown."""
    page = html_of(client, film.url)
    assert "data-countdown-clock></span>" in page


def test_a_visitor_is_asked_to_log_in_to_be_reminded(client, film, premiere):
    page = html_of(client, film.url, "en")
    assert reverse("account_login") in page and reverse("live:remind", args=[premiere.pk]) not in page


def test_a_member_presses_remind_me_and_then_takes_it_back(client, film, premiere):
    member = UserFactory()
    client.force_login(member)
    page = html_of(client, film.url, "en")
    assert reverse("live:remind", args=[premiere.pk]) in page and "Remind me" in page
    response = client.post(reverse("live:remind", args=[premiere.pk]), {"remind": "1", "next": film.url})
    assert response.status_code == 302 and response.url == f"{film.url}#premiere-{premiere.pk}"
    assert PremiereReminder.objects.filter(member=member, premiere=premiere).exists()
    assert "Reminder set" in html_of(client, film.url, "en")
    client.post(reverse("live:remind", args=[premiere.pk]), {"remind": "0", "next": film.url})
    assert not PremiereReminder.objects.filter(member=member).exists()


def test_remind_me_needs_a_log_in_and_a_post(client, premiere):
    url = reverse("live:remind", args=[premiere.pk])
    assert client.post(url).url.startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
    assert not PremiereReminder.objects.exists()


def test_remind_me_on_a_cancelled_premiere_is_not_found(client, premiere):
    premiere.status = PremiereStatus.CANCELLED
    premiere.save()
    client.force_login(UserFactory())
    assert client.post(reverse("live:remind", args=[premiere.pk])).status_code == 404


def test_a_live_premiere_says_so_and_links_to_the_watch_page(client, film, premiere):
    premiere.status = PremiereStatus.LIVE
    premiere.save()
    page = html_of(client, film.url, "en")
    assert "LIVE now" in page and "Remind me" not in page
    assert f'href="{watch_url(premiere)}"' in page


def test_a_past_premiere_offers_its_replay_once_ready(client, film):
    ended = Premiere.objects.create(
        page=film, title="지난 상영", starts_at=START - timedelta(days=4000), status=PremiereStatus.ENDED
    )
    assert "지난 상영" not in html_of(client, film.url)
    ended.replay = ready_video_record()
    ended.save()
    page = html_of(client, film.url, "en")
    assert "지난 상영" in page and "Past premiere" in page
    assert "Watch the replay" in page and watch_url(ended) in page


def test_a_project_page_shows_its_premieres_too(client):
    project = FundingProjectPageFactory()
    Premiere.objects.create(page=project, title="제작 발표회", starts_at=START)
    assert "제작 발표회" in html_of(client, project.url)


def test_cancelled_premieres_and_other_pages_premieres_are_not_shown(client, film, premiere):
    other = FilmPageFactory()
    Premiere.objects.create(page=other, title="남의 상영", starts_at=START)
    Premiere.objects.create(page=film, title="취소된 상영", starts_at=START, status=PremiereStatus.CANCELLED)
    page = html_of(client, film.url)
    assert "남의 상영" not in page and "취소된 상영" not in page


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_home_page_has_an_upcoming_premieres_row_only_when_there_are_any(client, film, language):
    heading = in_language(language, "Upcoming premieres")
    assert 'id="upcoming-premieres"' not in html_of(client, home_page().url, language)
    Premiere.objects.create(page=film, title="온라인 첫 상영", starts_at=START)
    page = html_of(Client(), home_page().url, language)
    assert 'id="upcoming-premieres"' in page and heading in page and "온라인 첫 상영" in page
    assert ("Winter Stop" if language == "en" else "겨울 정류장") in page


def test_the_catalogue_shows_upcoming_premieres(client, premiere):
    page = html_of(client, film_index().url, "en")
    assert 'id="upcoming-premieres"' in page and "온라인 첫 상영" in page


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda film: Premiere.objects.create(page=film, title="새 상영", starts_at=START), id="created"),
        pytest.param(lambda film: Premiere.objects.get(page=film).save(), id="saved"),
    ],
)
def test_a_change_to_premieres_retires_the_cached_pages(film, change):
    """The film page and home page a visitor has cached are rendered again after a premiere is saved."""
    Premiere.objects.create(page=film, title="첫 상영", starts_at=START)
    visitor = Client()
    for url in (film.url, home_page().url):
        visitor.get(url)
        assert visitor.get(url).headers.get(HIT_HEADER) == "hit"
    change(film)
    for url in (film.url, home_page().url):
        assert visitor.get(url).headers.get(HIT_HEADER) == "miss"


def test_going_live_and_ending_show_on_a_cached_page_at_once(film):
    premiere = Premiere.objects.create(page=film, title="첫 상영", starts_at=START)
    visitor = Client()
    visitor.get(film.url, HTTP_ACCEPT_LANGUAGE="en")
    premiere.status, premiere.went_live_at = PremiereStatus.LIVE, timezone.now()
    premiere.save()
    assert "LIVE now" in html_of(visitor, film.url, "en")
    premiere.status, premiere.ended_at = PremiereStatus.ENDED, timezone.now()
    premiere.save()
    assert "LIVE now" not in html_of(visitor, film.url, "en")


def premiere_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        html_of(client, url)
    return [query["sql"] for query in queries if "live_premiere" in query["sql"]]


def test_pages_without_premieres_ask_the_database_nothing_about_them(client, film):
    """Which pages have premieres is learnt once per generation: after that a film page without any,
    and the home page while none is coming, render without a premiere query (members too, whose
    pages the page cache never keeps)."""
    Premiere.objects.create(
        page=FilmPageFactory(),
        title="지난 상영",
        starts_at=START - timedelta(days=4000),
        status=PremiereStatus.ENDED,
        replay=ready_video_record(),
    )
    client.force_login(UserFactory())
    for url in (film.url, home_page().url):
        html_of(client, url)
        assert premiere_queries(client, url) == []
        assert 'id="premieres"' not in html_of(client, url) and 'id="upcoming-premieres"' not in html_of(client, url)


def test_a_premiere_scheduled_on_a_page_without_any_shows_at_once(client, film):
    """The pages known to have premieres are learnt again when a premiere is saved."""
    client.force_login(UserFactory())
    assert 'id="premieres"' not in html_of(client, film.url)
    assert 'id="upcoming-premieres"' not in html_of(client, home_page().url)
    Premiere.objects.create(page=film, title="새 상영", starts_at=START)
    assert "새 상영" in html_of(client, film.url) and "새 상영" in html_of(client, home_page().url)


def test_the_row_is_asked_once_per_generation_and_drops_a_long_overdue_premiere(client, film, monkeypatch):
    """Members' home pages take the row of live and upcoming premieres from what is shared: no
    premiere query after the first render. An upcoming premiere still not live an hour after its
    start leaves the row with time alone (nothing is saved, so no new generation)."""
    now = timezone.now()
    Premiere.objects.create(page=film, title="새 상영", starts_at=now + timedelta(minutes=10))
    client.force_login(UserFactory())
    url = home_page().url
    assert "새 상영" in html_of(client, url)
    assert premiere_queries(client, url) == []
    later = now + timedelta(minutes=10) + schedule.UPCOMING_GRACE + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "새 상영" not in html_of(client, url)
    assert premiere_queries(client, url) == []
