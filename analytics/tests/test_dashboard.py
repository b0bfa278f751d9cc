"""The audience dashboard: each creator sees only their own figures (page, film page, CSV), staff see
everything with the department's totals."""

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.models import FilmDay
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DASHBOARD = reverse("analytics_dashboard")


@pytest.fixture
def films():
    mine_owner, other_owner = CreatorFactory(), CreatorFactory()
    mine = FilmPageFactory(title="=Mine", title_en="=Mine", owner=mine_owner)
    theirs = FilmPageFactory(title="Theirs", title_en="Theirs", owner=other_owner)
    today = timezone.localdate()
    FilmDay.objects.create(film=mine, day=today, plays=3, viewers=2, watch_seconds=360, average_share=0.5, page_views=6)
    FilmDay.objects.create(
        film=theirs, day=today, plays=7, viewers=7, watch_seconds=7200, donations=1, donation_amount=9000
    )
    return {"mine": mine, "theirs": theirs, "me": mine_owner, "them": other_owner}


def test_a_creator_sees_only_their_own_films(client, films):
    client.force_login(films["me"])
    page = client.get(DASHBOARD).content.decode()
    assert "=Mine" in page and "Theirs" not in page and "Department total" not in page
    assert client.get(reverse("analytics_film", args=[films["mine"].pk])).status_code == 200
    assert client.get(reverse("analytics_film", args=[films["theirs"].pk])).status_code == 404
    assert client.get(reverse("analytics_film", args=[films["theirs"].pk]), {"format": "csv"}).status_code == 404
    csv = client.get(DASHBOARD, {"format": "csv"}).content.decode("utf-8")
    assert csv.startswith("\ufeffFilm,Plays")
    assert "'=Mine,3,2,0.1,0.5,0,0,6,0.5," in csv  # a title Excel would run is quoted
    assert "Theirs" not in csv


def test_staff_see_every_film_and_the_department_total(client, films):
    client.force_login(StaffUserFactory())
    page = client.get(DASHBOARD).content.decode()
    assert "=Mine" in page and "Theirs" in page and "Department total" in page
    csv = client.get(DASHBOARD, {"format": "csv"}).content.decode("utf-8").splitlines()
    assert csv[-1].startswith("Total,10,9,") and csv[-1].endswith(",1,9000")


def test_members_without_the_admin_are_kept_out(client, films):
    client.force_login(UserFactory())
    assert client.get(DASHBOARD).status_code in (302, 403)
    client.logout()
    assert client.get(DASHBOARD).status_code == 302


def test_one_films_page_has_its_charts_and_every_table_as_csv(client, films):
    client.force_login(films["me"])
    url = reverse("analytics_film", args=[films["mine"].pk])
    page = client.get(url).content.decode()
    assert 'id="audience-chart"' in page and "chart.umd.min.js" in page and "audience-charts.js" in page
    for table in ("daily", "retention", "sources", "devices"):
        response = client.get(url, {"format": "csv", "table": table})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert client.get(url, {"format": "csv", "table": "secrets"}).status_code == 404
    daily = client.get(url, {"format": "csv", "table": "daily"}).content.decode("utf-8").splitlines()
    assert len(daily) == 1 + 28 and daily[-1].startswith(f"{timezone.localdate().isoformat()},3,2,360")


def test_a_bad_period_says_why_and_shows_the_default(client, films):
    client.force_login(films["me"])
    page = client.get(DASHBOARD, {"from": "2026-13-01"}).content.decode()
    assert "Give the dates as YYYY-MM-DD." in page and "=Mine" in page
    page = client.get(DASHBOARD, {"from": "2026-12-05", "to": "2026-12-01"}).content.decode()
    assert "The first day must not be after the last." in page
