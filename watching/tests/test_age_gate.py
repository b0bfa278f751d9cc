"""Films rated 19 (청소년 관람불가): who is stopped, how they get past, and what the API says.

The roles × what they ask matrix below asserts the HTTP answer and the signed URLs handed out
(none before the gate); the age rule itself is checked at the edges of a birth year.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from donations import payments
from donations.models import Order
from films.ratings import decide
from films.tests.factories import FilmPageFactory
from members.tests.factories import StaffUserFactory, UserFactory
from videos.access import can_stream
from videos.tests.factories import ready_video_record
from watching.access import age_gate as gate
from watching.age import AgeGate, TooYoung, confirm, is_adult
from watching.models import AgeCheck

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

WATCH = "watching:watch_film"


@pytest.fixture
def adult_film():
    owner = UserFactory()
    main, trailer = ready_video_record(), ready_video_record()
    main.owner = trailer.owner = owner
    main.save(update_fields=["owner"])
    trailer.save(update_fields=["owner"])
    return FilmPageFactory(
        title="밤의 끝", slug="밤의-끝", price=0, age_rating="19", main_video=main, trailer=trailer, owner=owner
    )


def adult():
    user = UserFactory()
    confirm(user, datetime.date(1990, 5, 1))
    return user


@pytest.mark.parametrize(
    ("today", "born", "expected"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2007, 12, 31), True),  # turns 19 this year: no longer a youth
        (datetime.date(2026, 12, 31), datetime.date(2008, 1, 1), False),  # turns 19 next year
        (datetime.date(2026, 6, 1), datetime.date(1960, 6, 1), True),
        (datetime.date(2026, 6, 1), datetime.date(2015, 6, 1), False),
    ],
)
def test_a_youth_is_under_19_by_the_year_of_birth(today, born, expected):
    assert is_adult(born, today) is expected


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", AgeGate.LOG_IN),
        ("member", AgeGate.CONFIRM_AGE),
        ("confirmed", None),
        ("owner", None),
        ("staff", None),
    ],
)
def test_who_the_gate_stops_and_what_they_get(client, adult_film, viewer, expected):
    user = {
        "anonymous": lambda: None,
        "member": UserFactory,
        "confirmed": adult,
        "owner": lambda: adult_film.owner,
        "staff": StaffUserFactory,
    }[viewer]()
    if user:
        client.force_login(user)
    response = client.get(reverse(WATCH, args=[adult_film.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    api = client.get(reverse("api_playback", args=[adult_film.pk])).json()
    assert api["age_rating"] == "19"
    assert api["age_gate"] == (expected.value if expected else None)
    if expected:
        assert 'id="player-config"' not in html, "no player, no signed URL"
        assert api["film"] is None and api["trailer"] is None and api["can_watch"] is False
        assert 'action="/watch/age-check/"' in html if expected == AgeGate.CONFIRM_AGE else "/accounts/login/" in html
        anyone = user or AnonymousUser()
        assert not can_stream(anyone, adult_film.main_video) and not can_stream(anyone, adult_film.trailer)
    else:
        assert 'id="player-config"' in html
        assert api["can_watch"] is True and api["film"]["video_id"] == adult_film.main_video_id
        assert api["trailer"]["video_id"] == adult_film.trailer_id


def test_a_member_confirms_their_age_once_on_the_watch_page(client, adult_film):
    member = UserFactory()
    client.force_login(member)
    url = reverse(WATCH, args=[adult_film.slug])
    too_young = f"{datetime.date.today().year - 18}-01-01"
    response = client.post(reverse("watching:age_check"), {"birth_date": too_young, "next": url}, follow=True)
    assert "for adults only" in response.content.decode()
    assert not AgeCheck.objects.filter(user=member).exists()
    for _twice in range(2):  # a double click: one record
        response = client.post(reverse("watching:age_check"), {"birth_date": "1999-03-02", "next": url})
        assert response.status_code == 302 and response["Location"] == url
    assert AgeCheck.objects.filter(user=member).count() == 1
    assert 'id="player-config"' in client.get(url).content.decode()


def test_the_age_form_sends_nowhere_but_this_site(client, adult_film):
    client.force_login(UserFactory())
    response = client.post(reverse("watching:age_check"), {"birth_date": "1999-03-02", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_api_confirms_an_age_and_refuses_a_youth_or_a_future_date(client, adult_film):
    member = UserFactory()
    client.force_login(member)
    url = reverse("api_age_check")
    for bad in (f"{datetime.date.today().year - 10}-01-01", f"{datetime.date.today().year + 1}-01-01", "어제"):
        response = client.post(url, {"birth_date": bad}, content_type="application/json")
        assert response.status_code == 400, bad
    assert not AgeCheck.objects.exists()
    assert client.post(url, {"birth_date": "1988-08-08"}, content_type="application/json").json() == {"confirmed": True}
    assert gate(member, adult_film) is None
    client.logout()
    assert client.post(url, {"birth_date": "1988-08-08"}, content_type="application/json").status_code == 401


def test_confirm_refuses_a_date_before_1900():
    with pytest.raises(TooYoung):
        confirm(UserFactory(), datetime.date(1850, 1, 1))


def test_staff_rating_a_film_19_closes_it_and_its_card_preview(client, adult_film):
    film = FilmPageFactory(title="낮", slug="낮", price=0, age_rating="15", main_video=ready_video_record())
    member = UserFactory()
    assert gate(member, film) is None
    decide(film, "19", StaffUserFactory())
    film.refresh_from_db()
    assert film.applied_age_rating == "19" and film.age_rating_confirmed
    assert gate(member, film) == AgeGate.CONFIRM_AGE
    assert film.hover_preview_video is None


def test_a_film_rated_19_is_sold_only_after_the_age_check(client):
    film = FilmPageFactory(
        title="검은 물", slug="검은-물", price=6000, age_rating="19", main_video=ready_video_record()
    )
    member = UserFactory()
    client.force_login(member)
    buy = reverse("donations:buy", args=[film.pk])
    response = client.get(buy)
    assert response.status_code == 302 and response["Location"] == reverse(WATCH, args=[film.slug])
    response = client.post(buy, {"provider": "sandbox", "client_token": "x" * 32})
    assert response.status_code == 302 and not Order.objects.exists()
    with pytest.raises(payments.CheckoutRefused):  # the service itself, which the API's checkout calls too
        payments.start_checkout(member, film=film, provider="sandbox", client_token="y" * 32)
    assert not Order.objects.exists()
    confirm(member, datetime.date(1990, 1, 1))
    assert client.get(buy).status_code == 200
