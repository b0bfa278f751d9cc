"""Age ratings: the creator's rating, staff's confirmation in the admin, the one that applies."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from films.choices import AgeRating
from films.models import AgeRatingDecision
from films.ratings import decide, films_to_rate
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = "films_ratings:list"


@pytest.mark.parametrize(
    ("ratings", "strictest"),
    [((), "all"), (("12", None), "12"), (("19", "12"), "19"), (("all", "15", ""), "15")],
)
def test_the_strictest_rating(ratings, strictest):
    assert AgeRating.strictest(*ratings) == strictest


@pytest.mark.parametrize(
    ("declared", "confirmed", "applied", "is_confirmed"),
    [
        ("15", None, "15", False),  # the creator's, until staff decide
        ("15", "15", "15", True),
        ("12", "19", "19", True),  # staff rate it stricter
        ("19", "15", "19", False),  # the creator since rated it stricter: waiting for staff again
    ],
)
def test_the_rating_that_applies(declared, confirmed, applied, is_confirmed):
    film = FilmPageFactory(age_rating=declared)
    if confirmed:
        decide(film, confirmed, StaffUserFactory())
    film.refresh_from_db()
    assert (film.applied_age_rating, film.age_rating_confirmed) == (applied, is_confirmed)
    waiting = [row.pk for row in films_to_rate(waiting_only=True)]
    assert (film.pk in waiting) is not is_confirmed


@pytest.mark.parametrize(
    ("role", "may"), [("anonymous", False), ("member", False), ("creator", False), ("staff", True)]
)
def test_only_staff_see_and_confirm_ratings(client, role, may):
    film = FilmPageFactory(title="푸른 밤", age_rating="12")
    user = {"anonymous": None, "member": UserFactory, "creator": CreatorFactory, "staff": StaffUserFactory}[role]
    if user:
        client.force_login(user())
    listing = client.get(reverse(LIST))
    answer = client.post(reverse("films_ratings:confirm", args=[film.pk]), {"rating": "15"})
    if may:
        assert listing.status_code == 200 and "푸른 밤" in listing.content.decode()
        assert answer.status_code == 302
        assert AgeRatingDecision.objects.get(film=film).rating == "15"
    else:
        assert listing.status_code in (302, 403) and answer.status_code in (302, 403)
        assert "푸른 밤" not in listing.content.decode()
        assert not AgeRatingDecision.objects.exists()


def test_a_confirmation_is_logged_replaces_the_last_and_shows_on_the_page(client, django_capture_on_commit_callbacks):
    film = FilmPageFactory(title="겨울 바다", age_rating="12")
    page_before = client.get(film.url).content.decode()
    assert "rating not yet confirmed" in page_before
    staff = StaffUserFactory()
    client.force_login(staff)
    for rating in ("15", "15", "19"):  # a double click, then a change of mind
        with django_capture_on_commit_callbacks(execute=True):  # the cached film page is retired
            answer = client.post(reverse("films_ratings:confirm", args=[film.pk]), {"rating": rating, "next": "/x/"})
        assert answer["Location"] == "/x/"
    decision = AgeRatingDecision.objects.get(film=film)
    assert (decision.rating, decision.decided_by) == ("19", staff)
    logged = PageLogEntry.objects.filter(page=film, action="films.age_rating.confirm")
    assert [entry.data["rating"] for entry in logged.order_by("timestamp")] == ["15", "15", "19"]
    client.logout()
    page = client.get(film.url).content.decode()
    assert "rating not yet confirmed" not in page and 'class="rating rating--19"' in page


def test_a_bad_rating_changes_nothing(client):
    film = FilmPageFactory(age_rating="12")
    client.force_login(StaffUserFactory())
    response = client.post(reverse("films_ratings:confirm", args=[film.pk]), {"rating": "21"}, follow=True)
    assert "Choose one of the ratings." in response.content.decode()
    assert not AgeRatingDecision.objects.exists()
    assert client.post(reverse("films_ratings:confirm", args=[999999]), {"rating": "12"}).status_code == 404


def test_the_waiting_list_in_english_and_korean(client):
    FilmPageFactory(title="첫 영화", age_rating="all")
    client.force_login(StaffUserFactory())
    english = client.get(reverse(LIST)).content.decode()
    assert "Waiting for confirmation" in english and "첫 영화" in english
    korean = client.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "Waiting for confirmation" not in korean
