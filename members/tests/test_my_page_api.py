"""My page for apps (`/api/v2/me/…`) and progress reports (`POST /api/v2/progress/`).

Apps authenticate with real JWTs from allauth's headless log-in (`Authorization: Bearer …`, no
cookie); the site's session works too, with DRF's CSRF check. Every response is checked against the
OpenAPI schema the site serves.
"""

import json
import secrets

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.api.utils import get_full_url

from donations.models import Order, OrderStatus
from donations.providers.sandbox import payment_key
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, ImageFactory
from films.tests.openapi import assert_matches_schema
from members import account
from members.models import BadgeAward, UniversityEmail, User
from members.tests.app_tokens import app_tokens, bearer, cookieless_client
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record
from watching.models import DailyView, Entitlement, WatchProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ME_ENDPOINTS = {
    "/api/v2/me/": "api_me",
    "/api/v2/me/library/": "api_me_library",
    "/api/v2/me/orders/": "api_me_orders",
    "/api/v2/me/badges/": "api_me_badges",
    "/api/v2/me/projects/": "api_me_projects",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    """An app: no cookies, English."""
    return cookieless_client()


@pytest.fixture
def member():
    return UserFactory(display_name="앱 회원", department="영화영상학과", admission_year=2022)


@pytest.fixture
def token(member):
    return app_tokens(member)[0]


def absolute(path: str) -> str:
    """Absolute URLs in the API start with WAGTAILAPI_BASE_URL, as in the rest of /api/v2/."""
    return get_full_url(None, path)


def settled_order(member, *, project=None, film=None, amount=5000, status=OrderStatus.PAID, refunded=0, **fields):
    return Order.objects.create(
        kind="donation" if project else "purchase",
        project=project,
        film=film,
        member=member,
        amount=amount,
        refunded_amount=refunded,
        status=status,
        provider="sandbox",
        client_token=secrets.token_urlsafe(16),
        paid_at=timezone.now() if status != OrderStatus.PENDING else None,
        **fields,
    )


# --- every endpoint ---------------------------------------------------------------------------


def test_every_endpoint_is_in_the_schema_with_a_unique_operation_id_and_a_tag(openapi):
    """The five /me/ endpoints, PATCH on /me/ and the progress report are documented as members-only."""
    operations = {
        (path, method): openapi["paths"][path][method]
        for path, method in [*((path, "get") for path in ME_ENDPOINTS), ("/api/v2/me/", "patch")]
        + [("/api/v2/progress/", "post")]
    }
    ids = [op["operationId"] for item in openapi["paths"].values() for op in item.values() if "operationId" in op]
    assert len(ids) == len(set(ids))
    for (path, method), operation in operations.items():
        assert operation["tags"], (path, method)
        # Members only: a token or a session, never anonymous ({}).
        assert {} not in operation["security"] and {"tokenAuth": []} in operation["security"], (path, method)
        assert "401" in operation["responses"]


@pytest.mark.parametrize("path", ME_ENDPOINTS)
def test_anonymous_requests_get_a_json_401(api, openapi, path):
    """Without a token or a session: 401 with a JSON body and a Bearer challenge, as documented."""
    response = api.get(path)
    assert_matches_schema(openapi, path, response, status=401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ME_ENDPOINTS)
def test_a_forged_token_is_refused_with_a_401(api, path):
    """A token that allauth did not sign is an error, not an anonymous request."""
    forged = bearer("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged")
    response = api.get(path, **forged)
    assert response.status_code == 401 and "detail" in response.json()
    # Where anonymous requests are welcome (playback), a forged token is still refused, not ignored.
    film = FilmPageFactory(price=0, main_video=ready_video_record(duration=600))
    assert api.get(reverse("api_playback", args=[film.pk])).status_code == 200
    assert api.get(reverse("api_playback", args=[film.pk]), **forged).status_code == 401


@pytest.mark.parametrize("path", ME_ENDPOINTS)
def test_answers_are_personal_and_never_cached(api, token, path):
    response = api.get(path, **bearer(token))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("path", ME_ENDPOINTS)
def test_the_sites_session_works_as_well_as_a_token(client, openapi, member, path):
    client.force_login(member)
    assert_matches_schema(openapi, path, client.get(path))


def test_a_token_stops_working_when_the_app_logs_out(api, member):
    """Access tokens are checked against their log-in session: logging out ends them at once."""
    access, _ = app_tokens(member)
    assert api.get("/api/v2/me/", **bearer(access)).status_code == 200
    logout = api.delete("/_allauth/app/v1/auth/session", **bearer(access))
    assert logout.status_code == 401  # allauth's answer to a completed log-out
    assert api.get("/api/v2/me/", **bearer(access)).status_code == 401


def test_a_token_stops_working_when_the_account_is_deleted(api, member):
    access, _ = app_tokens(member)
    account.delete_account(User.objects.get(pk=member.pk))
    assert api.get("/api/v2/me/", **bearer(access)).status_code == 401


def test_a_reissued_token_reads_the_same_profile(api, member):
    access, refresh = app_tokens(member)
    renewed = api.post("/_allauth/app/v1/tokens/refresh", {"refresh_token": refresh}, content_type="application/json")
    new_access = renewed.json()["data"]["access_token"]
    assert new_access != access
    assert api.get("/api/v2/me/", **bearer(new_access)).json()["id"] == member.pk


# --- profile ------------------------------------------------------------------------------------


def test_an_app_reads_its_members_profile(api, openapi, member, token):
    response = api.get("/api/v2/me/", **bearer(token))
    assert_matches_schema(openapi, "/api/v2/me/", response)
    body = response.json()
    assert body["id"] == member.pk and body["email"] == member.email and body["email_verified"] is True
    assert (body["display_name"], body["department"], body["admission_year"]) == ("앱 회원", "영화영상학과", 2022)
    assert body["is_creator"] is False and body["university"] == {"status": "none", "email": None}
    assert body["show_badges"] is False and body["avatar_url"] is None


def test_the_profile_has_the_shipping_address_and_the_payout_account_masked(api, openapi):
    from members.tests.factories import PayoutAccountFactory

    creator = CreatorFactory(
        shipping_name="김창작", shipping_postcode="04620", shipping_address="서울 중구 필동로1길 30"
    )
    PayoutAccountFactory(user=creator, bank="우리은행", number="1002123456789", holder="김창작")
    response = api.get("/api/v2/me/", **bearer(app_tokens(creator)[0]))
    assert_matches_schema(openapi, "/api/v2/me/", response)
    body = response.json()
    assert body["shipping_address"]["address"] == "서울 중구 필동로1길 30"
    assert body["payout_account"] == {"bank": "우리은행", "number": "••••6789", "holder": "김창작"}
    assert "1002123456789" not in response.content.decode()


def test_the_profile_says_a_creator_is_verified_by_their_university_address(api):
    creator = CreatorFactory()
    UniversityEmail.objects.create(user=creator, email="film@dongguk.edu", status="verified")
    body = api.get("/api/v2/me/", **bearer(app_tokens(creator)[0])).json()
    assert body["is_creator"] is True
    assert body["university"] == {"status": "verified", "email": "film@dongguk.edu"}


def test_patch_changes_the_given_fields_and_keeps_the_rest(api, openapi, member, token):
    """With a Bearer token no CSRF token is needed; fields left out keep their values."""
    response = api.patch(
        "/api/v2/me/",
        {"display_name": "새 이름", "show_badges": True},
        content_type="application/json",
        **bearer(token),
    )
    assert_matches_schema(openapi, "/api/v2/me/", response, method="patch")
    member.refresh_from_db()
    assert (member.display_name, member.show_badges) == ("새 이름", True)
    assert (member.department, member.admission_year) == ("영화영상학과", 2022)
    assert response.json()["display_name"] == "새 이름"


def test_patch_can_clear_the_year(api, member, token):
    response = api.patch("/api/v2/me/", {"admission_year": None}, content_type="application/json", **bearer(token))
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.admission_year is None


def test_patch_validates_like_the_site_profile_form(api, openapi, member, token):
    """The site form's rules and messages: an over-long name, a year out of range; nothing is saved."""
    response = api.patch(
        "/api/v2/me/",
        {"display_name": "x" * 51, "admission_year": 1800},
        content_type="application/json",
        **bearer(token),
    )
    assert_matches_schema(openapi, "/api/v2/me/", response, status=400, method="patch")
    errors = response.json()["fields"]
    assert response.json()["code"] == "invalid"
    assert "at most 50 characters" in errors["display_name"][0]
    assert "greater than or equal to 1950" in errors["admission_year"][0]
    member.refresh_from_db()
    assert (member.display_name, member.admission_year) == ("앱 회원", 2022)


def test_patch_refuses_fields_an_app_may_not_change(api, member, token):
    email = member.email
    response = api.patch(
        "/api/v2/me/",
        {"email": "taken-over@example.com", "is_staff": True, "display_name": "ok"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"email", "is_staff"}
    member.refresh_from_db()
    assert (member.email, member.is_staff, member.display_name) == (email, False, "앱 회원")


def test_patch_with_a_session_needs_the_csrf_token(member):
    """With the site's cookie DRF's CSRF rules apply: refused without the token, saved with it."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    refused = browser.patch("/api/v2/me/", {"display_name": "csrf"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    member.refresh_from_db()
    assert member.display_name == "앱 회원"
    browser.get(reverse("members:my_profile"))  # sets the CSRF cookie, as the site's pages do
    token = browser.cookies["csrftoken"].value
    saved = browser.patch(
        "/api/v2/me/", {"display_name": "csrf"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert saved.status_code == 200
    member.refresh_from_db()
    assert member.display_name == "csrf"


# --- library ------------------------------------------------------------------------------------


def test_library_lists_what_the_sites_library_lists(api, openapi, client, member, token):
    video = ready_video_record(duration=600)
    poster = ImageFactory()
    paid = FilmPageFactory(title="Paid one", slug="paid-one", price=5000, main_video=video, poster=poster)
    free = FilmPageFactory(title="Free one", slug="free-one", price=0, main_video=ready_video_record(duration=600))
    Entitlement.objects.create(user=member, film=paid, source="purchase")
    WatchProgress.objects.create(
        user=member, video=free.main_video, film=free, position=120, duration=600, watched_seconds=120
    )
    WatchProgress.objects.create(user=member, video=video, film=paid, position=300, duration=600, watched_seconds=300)

    response = api.get("/api/v2/me/library/", **bearer(token))
    assert_matches_schema(openapi, "/api/v2/me/library/", response)
    body = response.json()
    client.force_login(member)
    site = client.get(reverse("members:my_library")).context
    assert [i["film"]["id"] for i in body["continue_watching"]] == [i.film_id for i in site["continue_watching"]]
    assert [i["film"]["id"] for i in body["bought"]] == [e.film_id for e in site["bought"]] == [paid.pk]
    assert [f["id"] for f in body["watched_free"]] == [f.pk for f in site["watched_free"]] == [free.pk]

    resume = body["continue_watching"][0]
    assert (resume["film"]["id"], resume["video_id"], resume["position"], resume["percent"]) == (
        paid.pk,
        video.pk,
        300,
        50,
    )
    film = body["bought"][0]["film"]
    assert film["watch_url"] == absolute("/watch/paid-one/") and film["price"] == 5000
    assert film["playback_url"] == absolute(f"/api/v2/playback/{paid.pk}/")
    assert film["html_url"] == absolute(paid.url)
    assert film["poster"].startswith(absolute("/media/")) and "fill-360x540" in film["poster"]
    assert body["bought"][0]["source"] == "purchase"


def test_library_leaves_out_finished_barely_started_unpublished_and_other_members_films(api, member, token):
    def progress(user, **fields):
        film = FilmPageFactory(main_video=ready_video_record(duration=600), live=fields.pop("live", True))
        WatchProgress.objects.create(user=user, video=film.main_video, film=film, duration=600, **fields)
        return film

    progress(member, position=590, completed=True)
    progress(member, position=3)
    progress(member, position=200, live=False)
    progress(UserFactory(), position=200)
    kept = progress(member, position=200)
    body = api.get("/api/v2/me/library/", **bearer(token)).json()
    assert [item["film"]["id"] for item in body["continue_watching"]] == [kept.pk]


@pytest.mark.parametrize("where", ["page", "api"])
def test_library_takes_the_same_number_of_queries_however_long_it_is(client, member, where):
    """Grows every list fourfold (with posters): the page and the API run as many queries as before."""

    def add_films(count):
        for _ in range(count):
            paid = FilmPageFactory(price=3000, poster=ImageFactory(), main_video=ready_video_record(duration=600))
            Entitlement.objects.create(user=member, film=paid)
            WatchProgress.objects.create(user=member, video=paid.main_video, film=paid, position=60, duration=600)
            free = FilmPageFactory(price=0, poster=ImageFactory(), main_video=ready_video_record(duration=600))
            WatchProgress.objects.create(user=member, video=free.main_video, film=free, position=60, duration=600)

    if where == "page":
        client.force_login(member)
        fetch = lambda: client.get(reverse("members:my_library"))  # noqa: E731
    else:
        access = app_tokens(member)[0]
        fetch = lambda: cookieless_client().get("/api/v2/me/library/", **bearer(access))  # noqa: E731

    def count() -> int:
        assert fetch().status_code == 200  # warm-up: renditions are created once
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert fetch().status_code == 200
        return len(queries)

    add_films(2)
    few = count()
    add_films(6)
    assert count() == few


# --- orders -------------------------------------------------------------------------------------


def test_orders_list_settled_donations_and_purchases_with_receipts(api, openapi, member, token):
    project = FundingProjectPageFactory(title="Night Bus")
    film = FilmPageFactory(title="Paid film", price=3000, main_video=ready_video_record())
    donation = settled_order(member, project=project, amount=20000, is_anonymous=True)
    partly = settled_order(member, project=project, amount=10000, status=OrderStatus.PARTIALLY_REFUNDED, refunded=4000)
    purchase = settled_order(member, film=film, amount=3000, receipt_url="https://pay.example/receipt/1")
    settled_order(member, project=project, status=OrderStatus.PENDING)
    settled_order(member, project=project, status=OrderStatus.FAILED)
    settled_order(UserFactory(), project=project, amount=7777)

    response = api.get("/api/v2/me/orders/", **bearer(token))
    assert_matches_schema(openapi, "/api/v2/me/orders/", response)
    body = response.json()
    assert [o["order_number"] for o in body["donations"]] == [partly.public_id, donation.public_id]
    assert [o["order_number"] for o in body["purchases"]] == [purchase.public_id]
    refunded = body["donations"][0]
    assert (refunded["status"], refunded["amount"], refunded["refunded_amount"]) == ("partially_refunded", 10000, 4000)
    assert refunded["status_label"] == "partially refunded" and refunded["title"] == "Night Bus"
    assert refunded["page_id"] == project.pk and body["donations"][1]["anonymous"] is True
    assert refunded["receipt_url"] == absolute(f"/orders/{partly.public_id}/")
    assert body["purchases"][0]["provider_receipt_url"] == "https://pay.example/receipt/1"
    assert body["purchases"][0]["title"] == "Paid film" and body["purchases"][0]["page_id"] == film.pk


def test_a_donation_paid_on_the_site_shows_in_the_apps_orders(client, api, member, token):
    project = FundingProjectPageFactory(title="Night Bus", minimum_donation=1000)
    client.force_login(member)
    page = client.get(reverse("donations:donate", args=[project.pk]))
    form_token = page.context["form"]["client_token"].value()
    body = {"amount": 5000, "provider": "sandbox", "client_token": form_token}
    client.post(reverse("donations:donate", args=[project.pk]), body)
    order = Order.objects.get(member=member)
    assert api.get("/api/v2/me/orders/", **bearer(token)).json()["donations"] == []  # pending: not yet
    query = {"paymentKey": payment_key(order.public_id, order.amount), "orderId": order.public_id, "amount": 5000}
    client.get(reverse("donations:payment_success"), query)
    donations = api.get("/api/v2/me/orders/", **bearer(token)).json()["donations"]
    assert [(d["order_number"], d["status"], d["amount"]) for d in donations] == [(order.public_id, "paid", 5000)]


# --- badges -------------------------------------------------------------------------------------


def test_badges_are_split_into_earned_with_dates_and_the_rest_with_how_to_earn(api, openapi, member, token):
    BadgeAward.objects.create(user=member, code="first_donation")
    BadgeAward.objects.create(user=UserFactory(), code="watched_5")
    response = api.get("/api/v2/me/badges/", **bearer(token))
    assert_matches_schema(openapi, "/api/v2/me/badges/", response)
    body = response.json()
    assert [b["code"] for b in body["earned"]] == ["first_donation"] and body["earned"][0]["earned_at"]
    waiting = {b["code"]: b for b in body["not_earned"]}
    assert "first_donation" not in waiting and waiting["watched_5"]["earned_at"] is None
    assert waiting["watched_5"]["how_to_earn"] == "Watch five different films (at least a minute of each)."
    assert body["shown_on_public_profile"] is False


# --- projects -----------------------------------------------------------------------------------


def test_projects_list_a_creators_pages_with_status_figures_and_edit_links(api, openapi):
    creator = CreatorFactory()
    live = FundingProjectPageFactory(title="Live project", owner=creator, raised=(150_000, 3))
    draft = FilmPageFactory(title="Draft film", owner=creator, live=False)
    FilmPageFactory(title="Someone else's", owner=CreatorFactory())
    response = api.get("/api/v2/me/projects/", **bearer(app_tokens(creator)[0]))
    assert_matches_schema(openapi, "/api/v2/me/projects/", response)
    body = response.json()
    assert body["is_creator"] is True
    rows = {row["id"]: row for row in body["projects"]}
    assert set(rows) == {live.pk, draft.pk}
    assert (
        rows[live.pk]["type"],
        rows[live.pk]["publication"],
        rows[live.pk]["amount_raised"],
        rows[live.pk]["backers"],
    ) == (
        "project",
        "live",
        150_000,
        3,
    )
    assert rows[live.pk]["html_url"] == absolute(live.url)
    assert (rows[draft.pk]["type"], rows[draft.pk]["publication"], rows[draft.pk]["amount_raised"]) == (
        "film",
        "draft",
        None,
    )
    assert rows[draft.pk]["status_label"] == "Draft" and rows[draft.pk]["html_url"] is None
    assert rows[draft.pk]["edit_url"] == absolute(reverse("wagtailadmin_pages:edit", args=[draft.pk]))


def test_a_page_submitted_for_review_is_in_moderation(api):
    from wagtail.models import Workflow

    creator = CreatorFactory()
    submitted = FilmPageFactory(title="Submitted", owner=creator, live=False)
    submitted.save_revision(user=creator)
    Workflow.objects.get(name="Film review").start(submitted, creator)
    row = api.get("/api/v2/me/projects/", **bearer(app_tokens(creator)[0])).json()["projects"][0]
    assert (row["publication"], row["changes_in_moderation"], row["status_label"]) == (
        "in_moderation",
        False,
        "In moderation",
    )


def test_members_who_are_not_creators_get_an_empty_project_list(api, token):
    """They own no pages (only creators can make them): an empty list, not a 403."""
    body = api.get("/api/v2/me/projects/", **bearer(token)).json()
    assert body == {"is_creator": False, "projects": []}


def test_a_creator_whose_verification_was_revoked_sees_their_pages_without_edit_links(api):
    from members import university
    from members.models import UniversityEmail

    creator = CreatorFactory()
    film = FilmPageFactory(title="Mine", owner=creator)
    record = UniversityEmail.objects.create(user=creator, email="mine@dongguk.edu", status="verified")
    university.revoke(record, StaffUserFactory(), "Not a student here")  # leaves Creators; pages go to review
    body = api.get("/api/v2/me/projects/", **bearer(app_tokens(creator)[0])).json()
    assert body["is_creator"] is False
    assert [(row["id"], row["edit_url"], row["changes_in_moderation"]) for row in body["projects"]] == [
        (film.pk, None, True)
    ]


# --- progress -----------------------------------------------------------------------------------


def report(api, access, **data):
    return api.post("/api/v2/progress/", data=json.dumps(data), content_type="application/json", **bearer(access))


@pytest.fixture
def paid_film():
    return FilmPageFactory(title="Paid", price=5000, main_video=ready_video_record(60), trailer=ready_video_record(30))


def test_an_app_reports_progress_and_a_view_counts_once_a_day(api, openapi, member, token, paid_film):
    """No CSRF token with a Bearer token; the resume position is saved and today's view counted once."""
    Entitlement.objects.create(user=member, film=paid_film)
    common = {"video_id": paid_film.main_video_id, "film_id": paid_film.pk, "duration": 60}
    first = report(api, token, position=10, played=10, **common)
    assert_matches_schema(openapi, "/api/v2/progress/", first, method="post")
    assert first.json() == {"saved": True, "new_view": True}
    assert report(api, token, position=20, played=10, **common).json() == {"saved": True, "new_view": False}
    progress = WatchProgress.objects.get(user=member)
    assert (progress.position, progress.watched_seconds) == (20, 20)
    view = DailyView.objects.get()
    assert (view.viewer_key, view.watched_seconds, view.is_trailer) == (f"u{member.pk}", 20, False)


def test_the_resume_position_reported_by_the_app_comes_back_in_playback(api, member, token, paid_film):
    Entitlement.objects.create(user=member, film=paid_film)
    report(api, token, video_id=paid_film.main_video_id, film_id=paid_film.pk, position=42, duration=60, played=5)
    playback = api.get(reverse("api_playback", args=[paid_film.pk]), **bearer(token)).json()
    assert playback["film"]["resume_at"] == 42


def test_progress_is_refused_for_a_paid_film_the_member_may_not_watch(api, openapi, token, paid_film):
    response = report(api, token, video_id=paid_film.main_video_id, film_id=paid_film.pk, position=10, played=10)
    assert_matches_schema(openapi, "/api/v2/progress/", response, status=403, method="post")
    assert response.json() == {"detail": "You cannot watch this film.", "code": "permission_denied"}
    assert not WatchProgress.objects.exists() and not DailyView.objects.exists()


def test_progress_on_a_trailer_counts_a_view_but_saves_no_resume_position(api, token, paid_film):
    response = report(api, token, video_id=paid_film.trailer_id, film_id=paid_film.pk, position=5, played=5)
    assert response.json() == {"saved": True, "new_view": True}
    assert DailyView.objects.get().is_trailer and not WatchProgress.objects.exists()


def test_progress_with_a_video_of_another_film_is_refused(api, token, paid_film):
    other = FilmPageFactory(price=0, main_video=ready_video_record(duration=600))
    response = report(api, token, video_id=other.main_video_id, film_id=paid_film.pk, position=5)
    assert response.status_code == 400 and response.json() == {
        "detail": "That video does not belong to that film.",
        "code": "bad_request",
    }
    assert not DailyView.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("position", -1), ("position", "nan"), ("played", "Infinity"), ("position", 500), ("video_id", "abc")],
    ids=["negative", "nan", "infinite", "past-the-end", "not-an-id"],
)
def test_progress_refuses_what_the_site_refuses(api, openapi, member, token, field, value):
    free = FilmPageFactory(price=0, main_video=ready_video_record(60))
    data = {"video_id": free.main_video_id, "film_id": free.pk, "position": 10, "duration": 60, "played": 5}
    response = report(api, token, **{**data, field: value})
    assert_matches_schema(openapi, "/api/v2/progress/", response, status=400, method="post")
    assert not WatchProgress.objects.exists() and not DailyView.objects.exists()


def test_progress_for_an_unknown_video_is_a_404(api, openapi, token, paid_film):
    response = report(api, token, video_id=999_999, film_id=paid_film.pk, position=1)
    assert_matches_schema(openapi, "/api/v2/progress/", response, status=404, method="post")


def test_progress_with_a_session_needs_the_csrf_token(member):
    """With the site's cookie DRF's CSRF rules apply."""
    free = FilmPageFactory(price=0, main_video=ready_video_record(60))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    data = json.dumps({"video_id": free.main_video_id, "film_id": free.pk, "position": 10, "played": 5})
    refused = browser.post("/api/v2/progress/", data, content_type="application/json")
    assert refused.status_code == 403 and not DailyView.objects.exists()
    browser.get(reverse("members:my_profile"))  # a page with a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    saved = browser.post("/api/v2/progress/", data, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert saved.status_code == 200 and WatchProgress.objects.get().position == 10


def test_anonymous_progress_reports_are_refused_with_a_401(api, paid_film):
    response = api.post(
        "/api/v2/progress/",
        {"video_id": paid_film.trailer_id, "film_id": paid_film.pk, "position": 1},
        content_type="application/json",
    )
    assert response.status_code == 401 and not DailyView.objects.exists()


def test_playback_points_logged_in_apps_at_the_progress_endpoint(api, member, token, paid_film):
    """The site's /watch/progress/ needs a CSRF cookie an app does not have; apps are sent to the API."""
    Entitlement.objects.create(user=member, film=paid_film)
    playback = api.get(reverse("api_playback", args=[paid_film.pk]), **bearer(token)).json()
    assert playback["film"]["progress_url"] == playback["trailer"]["progress_url"] == absolute("/api/v2/progress/")
    anonymous = api.get(reverse("api_playback", args=[paid_film.pk])).json()
    assert anonymous["trailer"]["progress_url"] == absolute(reverse("watching:video_progress"))


def test_staff_may_report_progress_on_any_film(api, paid_film):
    staff = StaffUserFactory()
    response = report(
        api, app_tokens(staff)[0], video_id=paid_film.main_video_id, film_id=paid_film.pk, position=5, played=5
    )
    assert response.status_code == 200 and WatchProgress.objects.get().user == staff
