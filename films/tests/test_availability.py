"""Only films whose video is ready are on sale; the others are "coming soon", and members can ask to hear when
they are up. Catalogue statuses never overlap, and owners see that they own a film."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from donations import payments
from donations.models import Order
from films.models import AvailabilityNotice
from films.tasks import send_availability_notices
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, film_index, home_page
from films.tests.openapi import assert_matches_schema
from films.tests.pages import page_html
from members.tests.factories import UserFactory
from videos import storage
from videos import tasks as video_tasks
from videos.models import Video, VideoStatus
from videos.tasks import process_video
from videos.tests.factories import ready_video_record
from videos.tests.media import make_clip
from watching.models import Entitlement, EntitlementSource, WatchProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def card_titles(html: str) -> list[str]:
    return re.findall(r'class="film-card__title">([^<]+)<', html)


@pytest.fixture
def kinds():
    """One film of each status: free and paid (playable), coming soon (no ready video), a project costing nothing."""
    processing = Video.objects.create(title="p", status=VideoStatus.PROCESSING)
    return {
        "free": FilmPageFactory(title="Free", price=0, main_video=ready_video_record()),
        "paid": FilmPageFactory(title="Paid", price=3000, main_video=ready_video_record()),
        "coming_soon": FilmPageFactory(title="Soon", price=3000, main_video=processing),
        "funding": FundingProjectPageFactory(title="Project", price=0),
        "no_video": FilmPageFactory(title="Bare", price=0),
    }


# Newest first, as the catalogue sorts: a film with no video at all is coming soon too.
EXPECTED = {"free": ["Free"], "paid": ["Paid"], "coming_soon": ["Bare", "Soon"], "funding": ["Project"]}


@pytest.fixture
def member(client):
    user = UserFactory(email="viewer@example.com")
    client.force_login(user)
    return user


# --- catalogue statuses ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["free", "paid", "coming_soon", "funding"])
def test_each_catalogue_status_lists_exactly_its_films(client, kinds, status):
    """Free, paid, coming soon and in production never overlap on the catalogue page."""
    assert card_titles(page_html(f"{film_index().url}?status={status}")) == EXPECTED[status]


@pytest.mark.parametrize("status", ["free", "paid", "coming_soon", "funding"])
def test_each_api_status_lists_exactly_its_films_with_that_status(client, kinds, status, openapi):
    """/api/v2/films/?status= gives the same films, each saying its status, as the schema documents."""
    response = client.get("/api/v2/films/", {"status": status})
    assert_matches_schema(openapi, "/api/v2/films/", response)
    items = response.json()["items"]
    assert [(item["title"], item["catalogue_status"]) for item in items] == [(t, status) for t in EXPECTED[status]]


def test_pages_endpoint_with_a_film_type_filters_coming_soon(client, kinds):
    """The pages endpoint's status filter knows coming soon too."""
    response = client.get("/api/v2/pages/", {"type": "films.FilmPage", "status": "coming_soon"})
    assert [item["title"] for item in response.json()["items"]] == EXPECTED["coming_soon"]


def test_schema_documents_coming_soon(openapi):
    """The status parameter's enum lists coming_soon."""
    parameters = openapi["paths"]["/api/v2/films/"]["get"]["parameters"]
    status = next(p for p in parameters if p["name"] == "status")
    assert "coming_soon" in status["schema"]["enum"]


# --- never sold -----------------------------------------------------------------------------------------------------


def test_checkout_service_refuses_a_coming_soon_film(kinds):
    """start_checkout refuses a film whose video is not ready, whoever calls it."""
    with pytest.raises(payments.CheckoutRefused, match="coming soon"):
        payments.start_checkout(UserFactory(), film=kinds["coming_soon"], provider="sandbox", client_token="t" * 24)
    assert not Order.objects.exists()


def test_buy_page_sends_a_coming_soon_film_back_with_the_reason(client, member, kinds):
    """/buy/<id>/ of a coming-soon film makes no order and says why on the film's page."""
    film = kinds["coming_soon"]
    response = client.post(reverse("donations:buy", args=[film.pk]), {"provider": "sandbox", "client_token": "t" * 24})
    assert response.status_code == 302 and response.url == film.url
    assert not Order.objects.exists()
    assert "coming soon" in client.get(film.url).content.decode()


def test_watch_page_of_a_coming_soon_film_offers_no_purchase(client, member, kinds):
    """The watch page says the film is coming soon and links to no checkout."""
    film = kinds["coming_soon"]
    html = client.get(reverse("watching:watch_film", args=[film.slug])).content.decode()
    assert "Coming soon" in html and reverse("donations:buy", args=[film.pk]) not in html


def test_coming_soon_films_carry_a_badge_on_cards(client, kinds):
    """A coming-soon card shows the badge, not its price."""
    html = page_html(film_index().url)
    card = html[html.index(">Soon<") - 1500 : html.index(">Soon<")]
    assert "badge--soon" in card and "3,000" not in card


# --- notify me ------------------------------------------------------------------------------------------------------


def test_a_member_asks_to_be_notified_once(client, member, kinds):
    """The button records one notice, however often it is pressed, and the page then says it is noted."""
    film = kinds["coming_soon"]
    for _ in range(2):
        assert client.post(reverse("films:notify_when_available", args=[film.pk])).status_code == 302
    assert AvailabilityNotice.objects.filter(user=member, film=film).count() == 1
    html = client.get(film.url).content.decode()
    assert "We will e-mail you once when it is up." in html
    assert reverse("films:notify_when_available", args=[film.pk]) not in html


def test_anonymous_visitors_are_asked_to_log_in(client, kinds):
    """Visitors get a log-in link on the page, and a post sends them to log in, recording nothing."""
    film = kinds["coming_soon"]
    assert reverse("account_login") in page_html(film.url)
    response = client.post(reverse("films:notify_when_available", args=[film.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not AvailabilityNotice.objects.exists()


def test_members_hear_once_when_the_main_video_becomes_ready(tmp_path, django_capture_on_commit_callbacks):
    """The worker finishing the film's video queues the e-mail; it reaches each waiting member once."""
    clip = make_clip(tmp_path / "film.mp4", seconds=1, width=320, height=180)
    video = Video.objects.create(title="film", status=VideoStatus.UPLOADING, original_filename=clip.name)
    video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.save(update_fields=["original_key"])
    film = FilmPageFactory(title="Soon", price=3000, main_video=video)
    waiting = [UserFactory(email="a@example.com"), UserFactory(email="b@example.com")]
    for user in waiting:
        AvailabilityNotice.objects.create(user=user, film=film)

    with django_capture_on_commit_callbacks(execute=True):
        video_tasks.start_processing(video)
    with django_capture_on_commit_callbacks(execute=True):
        process_video.call(video.pk)  # as the worker would
    assert Video.objects.get(pk=video.pk).status == VideoStatus.READY

    queued = DBTaskResult.objects.filter(task_path=send_availability_notices.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[film.pk]]
    assert send_availability_notices.call(film.pk) == 2
    assert send_availability_notices.call(film.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox if film.url in m.body) == ["a@example.com", "b@example.com"]


def test_publishing_a_page_whose_video_is_ready_notifies(django_capture_on_commit_callbacks):
    """A draft film going live with a ready video queues the e-mail for those waiting."""
    film = FilmPageFactory(title="Later", price=0, main_video=ready_video_record(), live=False)
    AvailabilityNotice.objects.create(user=UserFactory(), film=film)
    with django_capture_on_commit_callbacks(execute=True):
        film.save_revision().publish()
    queued = DBTaskResult.objects.filter(task_path=send_availability_notices.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[film.pk]]


# --- home page ------------------------------------------------------------------------------------------------------


def test_home_rows_show_playable_films_before_coming_soon_ones(client, kinds):
    """A hand-picked row keeps coming-soon films (with their badge) but after the ones that play."""
    home = home_page()
    picks = [kinds["coming_soon"], kinds["paid"], kinds["free"]]
    home.body = [("film_row", {"title": "Picks", "films": picks})]
    home.save_revision().publish()
    assert card_titles(page_html(home.url)) == ["Paid", "Free", "Soon"]


def test_hero_of_a_coming_soon_film_never_says_watch_now(client, kinds):
    """The editor's "Watch now" is replaced by a link to the film's page while it is coming soon."""
    home = home_page()
    home.body = [("hero", {"film": kinds["coming_soon"], "call_to_action": "Watch now"})]
    home.save_revision().publish()
    html = page_html(home.url)
    assert "Watch now" not in html and "badge--soon" in html


# --- owned films ----------------------------------------------------------------------------------------------------


def own(user, film, position=0.0):
    Entitlement.objects.create(user=user, film=film, source=EntitlementSource.PURCHASE)
    if position:
        WatchProgress.objects.create(user=user, video=film.main_video, film=film, position=position, duration=60)


def test_an_owner_sees_owned_and_continue_watching_with_progress(client, member, kinds):
    """The film page shows "Owned · Continue watching" and how far they got, not the price or a buy button."""
    film = kinds["paid"]
    own(member, film, position=30)
    html = client.get(film.url).content.decode()
    assert "Owned · Continue watching" in html and "50% watched" in html
    assert "3,000" not in html and "Buy and watch" not in html
    korean = client.get(film.url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "소장 중 · 이어 보기" in korean and "50% 시청" in korean


def test_owned_films_are_marked_on_cards_for_their_owner_only(client, member, kinds):
    """The catalogue marks the member's films as owned; visitors still see the price."""
    own(member, kinds["paid"], position=15)
    html = client.get(film_index().url).content.decode()
    assert "badge--owned" in html and 'value="25"' in html
    client.logout()
    assert "badge--owned" not in page_html(film_index().url)


def test_a_members_catalogue_costs_the_same_queries_however_many_films_they_own(client, member):
    """Owning five films or fifteen, the member's catalogue runs the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_owning(count):
        while Entitlement.objects.filter(user=member).count() < count:
            film = FilmPageFactory(price=1000, main_video=ready_video_record())
            own(member, film, position=10)
        client.get(film_index().url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(film_index().url).status_code == 200
        return len(captured)

    assert queries_owning(5) == queries_owning(15)
