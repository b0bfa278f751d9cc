"""My page: library, projects, badges, profile, payout account, export and deletion."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from donations.tests.factories import paid_donation
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from members import badges
from members.models import BadgeAward, PayoutAccount, UniversityEmail, User
from members.tasks import send_payout_account_changed
from members.tests.factories import CreatorFactory, UserFactory
from videos.models import Video, VideoStatus
from watching.models import Entitlement, WatchProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_library_shows_bought_films_continue_watching_and_free_films_watched(client):
    member = UserFactory()
    video = Video.objects.create(title="v", status=VideoStatus.READY, duration=600)
    paid = FilmPageFactory(title="Paid one", slug="paid-one", price=5000, main_video=video)
    free = FilmPageFactory(title="Free one", slug="free-one", price=0, main_video=video)
    Entitlement.objects.create(user=member, film=paid)
    WatchProgress.objects.create(user=member, video=video, film=free, position=120, duration=600, watched_seconds=120)
    client.force_login(member)
    page = client.get(reverse("members:my_library")).content.decode()
    assert "Paid one" in page and "Free one" in page
    assert "20% watched" in page and reverse("watching:watch_film", args=["free-one"]) in page


def test_library_empty_states(client):
    client.force_login(UserFactory())
    page = client.get(reverse("members:my_library")).content.decode()
    assert "Films you buy stay here for good." in page and "No free films watched yet." in page


def test_donations_page_has_its_empty_state(client):
    client.force_login(UserFactory())
    page = client.get(reverse("members:my_donations")).content.decode()
    assert "No donations yet." in page


def test_my_projects_lists_status_totals_and_edit_links(client):
    creator = CreatorFactory()
    live = FundingProjectPageFactory(title="Live project", owner=creator)
    draft = FilmPageFactory(title="Draft film", owner=creator, live=False)
    FilmPageFactory(title="Someone else's", owner=CreatorFactory())
    client.force_login(creator)
    page = client.get(reverse("members:my_projects")).content.decode()
    assert "Live project" in page and "Draft film" in page and "Someone else" not in page
    assert "Live" in page and "Draft" in page
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in page
    assert reverse("wagtailadmin_pages:edit", args=[live.pk]) in page


def test_members_who_are_not_creators_are_pointed_to_verification(client):
    client.force_login(UserFactory())
    page = client.get(reverse("members:my_projects")).content.decode()
    assert reverse("members:my_university") in page


def test_profile_saves_and_validates(client):
    member = UserFactory()
    client.force_login(member)
    data = {
        "display_name": "김감독",
        "department": "영화영상학과",
        "admission_year": "2022",
        "show_badges": "on",
        "shipping_name": "김감독",
        "shipping_phone": "010-1234-5678",
        "shipping_postcode": "04620",
        "shipping_address": "서울 중구 필동로1길 30",
        "shipping_address_detail": "문화관 101호",
    }
    assert client.post(reverse("members:my_profile"), data).status_code == 302
    member.refresh_from_db()
    assert member.display_name == "김감독" and member.admission_year == 2022 and member.show_badges
    bad = {**data, "display_name": "x" * 51, "shipping_postcode": "ABCDE", "shipping_phone": "call me"}
    response = client.post(reverse("members:my_profile"), bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "at most 50 characters" in page and "Five digits." in page and "Digits, spaces" in page


def test_payout_account_is_encrypted_masked_confirmed_by_password_and_mailed(
    client, django_capture_on_commit_callbacks
):
    creator = CreatorFactory()
    client.force_login(creator)
    data = {"bank": "카카오뱅크", "number": "3333-01-2345678", "holder": "김감독", "password": "password"}
    response = client.post(reverse("members:my_payout"), {**data, "password": "wrong"})
    assert response.status_code == 200 and "That is not your password." in response.content.decode()
    response = client.post(reverse("members:my_payout"), {**data, "number": "3333-AB-2345678"})
    assert response.status_code == 200 and "Digits only" in response.content.decode()
    assert not PayoutAccount.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("members:my_payout"), data).status_code == 302
    [queued] = DBTaskResult.objects.filter(task_path=send_payout_account_changed.module_path)
    send_payout_account_changed.call(*queued.args_kwargs["args"])  # as the worker would
    account = PayoutAccount.objects.get(user=creator)
    assert account.number == "3333012345678"
    assert "3333012345678" not in account.number_encrypted  # encrypted at rest
    assert account.masked_number == "••••5678"
    page = client.get(reverse("members:my_profile")).content.decode()
    assert "••••5678" in page and "3333012345678" not in page
    assert mail.outbox[-1].to == [creator.email] and "••••5678" in mail.outbox[-1].body
    assert "3333012345678" not in mail.outbox[-1].body


def test_payout_account_cannot_be_read_with_another_key(settings):
    creator = CreatorFactory()
    account = PayoutAccount(user=creator, bank="신한은행", holder="김")
    account.set_number("110123456789")
    account.save()
    settings.FIELD_ENCRYPTION_KEYS = ["bmV3LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcyE="]
    with pytest.raises(ValueError):
        _ = PayoutAccount.objects.get(pk=account.pk).number


def test_badges_are_awarded_once_and_shown_with_how_to_earn_the_rest(client):
    member = UserFactory()
    record = UniversityEmail.objects.create(user=member, email="b@dongguk.edu", status="verified")
    record.verified_at = record.created_at
    record.save()
    assert badges.evaluate(member) == ["verified_creator"]
    assert badges.evaluate(member) == []  # replayed: nothing twice
    assert BadgeAward.objects.filter(user=member).count() == 1
    client.force_login(member)
    page = client.get(reverse("members:my_badges")).content.decode()
    assert "Verified creator" in page and "Earned" in page
    assert "Watch five different films" in page  # not earned yet: how to earn it


def test_five_films_watched_earns_a_badge_from_the_progress_endpoint(client):
    member = UserFactory()
    videos = [Video.objects.create(title=f"v{i}", status=VideoStatus.READY, duration=600) for i in range(5)]
    films = [FilmPageFactory(title=f"F{i}", price=0, main_video=video) for i, video in enumerate(videos)]
    for film, video in zip(films[:4], videos[:4], strict=True):
        WatchProgress.objects.create(user=member, video=video, film=film, watched_seconds=90, position=90, duration=600)
    client.force_login(member)
    assert not member.badges.filter(code="watched_5").exists()
    WatchProgress.objects.create(
        user=member, video=videos[4], film=films[4], watched_seconds=50, position=50, duration=600
    )
    client.post(
        reverse("watching:video_progress"),
        {"video_id": videos[4].pk, "film_id": films[4].pk, "position": 70, "duration": 600, "played": 20},
        content_type="application/json",
    )
    assert member.badges.filter(code="watched_5").exists()


def test_first_film_published_badge_on_publish():
    creator = CreatorFactory()
    film = FilmPageFactory(title="Debut", owner=creator, live=False)
    film.save_revision(user=creator).publish()
    assert creator.badges.filter(code="first_film_published").exists()


def test_recompute_badges_awards_and_takes_back():
    member = UserFactory()
    BadgeAward.objects.create(user=member, code="watched_5")  # not earned by the rules
    UniversityEmail.objects.create(
        user=member, email="r@dongguk.edu", status="verified", verified_at="2026-01-01T00:00Z"
    )
    call_command("recompute_badges")
    assert set(member.badges.values_list("code", flat=True)) == {"verified_creator"}


def test_public_profile_shows_badges_only_when_allowed(client):
    creator = CreatorFactory(display_name="공개 감독")
    FilmPageFactory(title="Shown film", owner=creator)
    BadgeAward.objects.create(user=creator, code="verified_creator")
    page = client.get(reverse("members:member_profile", args=[creator.pk])).content.decode()
    assert "공개 감독" in page and "Shown film" in page and "Verified creator" not in page
    assert creator.email not in page
    creator.show_badges = True
    creator.save()
    page = client.get(reverse("members:member_profile", args=[creator.pk])).content.decode()
    assert "Verified creator" in page
    assert client.get(reverse("members:member_profile", args=[UserFactory().pk])).status_code == 404


def test_export_is_my_own_data_as_json(client):
    member = UserFactory(display_name="Exporter")
    other = UserFactory(display_name="Someone else")
    account = PayoutAccount(user=member, bank="우리은행", holder="E")
    account.set_number("1002123456789")
    account.save()
    client.force_login(member)
    response = client.get(reverse("members:my_export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email and data["account"]["display_name"] == "Exporter"
    assert data["payout_account"]["number"] == "••••6789"
    assert "1002123456789" not in response.content.decode() and other.email not in response.content.decode()


def test_the_export_lists_my_donations_and_purchases(client):
    member = UserFactory()
    project = FundingProjectPageFactory(title="Night Bus", minimum_donation=1000)
    order = paid_donation(project, member, 7000, message="Good luck!")
    paid_donation(project, UserFactory(), 3000)  # someone else's
    client.force_login(member)
    data = json.loads(client.get(reverse("members:my_export")).content)
    assert data["orders"] == [
        {
            "order_number": order.public_id,
            "kind": "donation",
            "title": "Night Bus",
            "amount_krw": 7000,
            "refunded_krw": 0,
            "status": "paid",
            "provider": "sandbox",
            "anonymous": False,
            "message_to_creator": "Good luck!",
            "shipping_address": None,
            "created_at": order.created_at.isoformat(),
            "paid_at": order.paid_at.isoformat(),
        }
    ]


def test_the_export_has_the_consent_record_and_the_address_given_at_checkout(client):
    """What the member agreed to (versions, times, marketing) and where a reward was sent are in the export."""
    member = UserFactory(terms_version="2026-12-01", marketing_email=True)
    project = FundingProjectPageFactory(title="Night Bus", minimum_donation=1000)
    paid_donation(project, member, 7000, shipping_postcode="04620", shipping_address="서울 중구 필동로1길 30")
    client.force_login(member)
    data = json.loads(client.get(reverse("members:my_export")).content)
    assert data["consent"]["terms_version"] == "2026-12-01" and data["consent"]["marketing_email"] is True
    assert data["orders"][0]["shipping_address"]["postcode"] == "04620"


def test_deleting_the_account_erases_the_shipping_addresses_on_orders(client):
    """The address a reward was sent to goes with the account; the order and its amount stay."""
    from donations.models import Order
    from members.account import delete_account

    member = UserFactory()
    project = FundingProjectPageFactory(title="Night Bus", minimum_donation=1000)
    order = paid_donation(project, member, 7000, shipping_name="김지수", shipping_address="서울 중구 필동로1길 30")
    delete_account(member)
    order = Order.objects.get(pk=order.pk)
    assert (order.shipping_name, order.shipping_address, order.amount) == ("", "", 7000)


def test_deleting_the_account_erases_messages_and_names_from_the_books_but_not_the_money(client):
    from donations import ledger
    from donations.models import LedgerEntry, Order

    member = UserFactory(display_name="김지수")
    project = FundingProjectPageFactory(minimum_donation=1000)
    order = paid_donation(project, member, 5000, message="Call me at 010-1234-5678")
    assert LedgerEntry.objects.get(order=order).backer == "김*수"
    client.force_login(member)
    client.post(reverse("members:my_delete"), {"password": "password", "confirm": "on"})
    order.refresh_from_db()
    assert order.message == "" and order.amount == 5000 and order.status == "paid"
    entry = LedgerEntry.objects.get(order=order)
    assert entry.backer == "member" and entry.amount == 5000
    assert ledger.verify(entry.chain_id).ok  # the chain still verifies
    assert Order.objects.filter(member=member).count() == 1


@pytest.fixture
def kakao_and_naver(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "kakao": {"APPS": [{"client_id": "kakao-id", "secret": "kakao-secret", "key": ""}]},
        "naver": {"APPS": [{"client_id": "naver-id", "secret": "naver-secret", "key": ""}]},
    }


@pytest.mark.usefixtures("kakao_and_naver")
def test_a_member_without_a_password_deletes_only_after_logging_in_with_their_provider_again(client):
    from allauth.account.internal.flows.login import record_authentication
    from allauth.socialaccount.models import SocialAccount
    from django.test import RequestFactory

    member = UserFactory()
    member.set_unusable_password()
    member.save()
    SocialAccount.objects.create(user=member, provider="kakao", uid="12345")
    client.force_login(member)  # a session without a fresh log-in record
    page = client.get(reverse("members:my_delete")).content.decode()
    assert 'name="password"' not in page and "/accounts/kakao/login/" in page
    response = client.post(reverse("members:my_delete"), {"confirm": "on"})
    assert response.status_code == 200
    assert "log in again with your Kakao, Naver or Google" in response.content.decode()
    assert User.objects.get(pk=member.pk).is_active
    # Back from Kakao: allauth records the authentication in the session.
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, member, method="socialaccount", provider="kakao")
    request.session.save()
    assert client.post(reverse("members:my_delete"), {"confirm": "on"}).status_code == 302
    assert not User.objects.get(pk=member.pk).is_active


@pytest.mark.usefixtures("kakao_and_naver")
def test_a_member_without_a_password_sets_a_payout_account_after_a_fresh_provider_log_in(client):
    from allauth.account.internal.flows.login import record_authentication
    from allauth.socialaccount.models import SocialAccount
    from django.test import RequestFactory

    member = CreatorFactory()
    member.set_unusable_password()
    member.save()
    SocialAccount.objects.create(user=member, provider="naver", uid="n-1")
    client.force_login(member)
    form = {"bank": "KB국민은행", "number": "123-456-789012", "holder": "김창작"}
    refused = client.post(reverse("members:my_payout"), form)
    assert refused.status_code == 200 and "log in again with your Kakao, Naver or Google" in refused.content.decode()
    assert not PayoutAccount.objects.filter(user=member).exists()
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, member, method="socialaccount", provider="naver")
    request.session.save()
    assert client.post(reverse("members:my_payout"), form).status_code == 302
    assert PayoutAccount.objects.get(user=member).number == "123456789012"


def test_deleting_the_account_erases_personal_data_but_keeps_the_row(client):
    member = CreatorFactory(display_name="Leaving")
    email = member.email
    UniversityEmail.objects.create(user=member, email="leave@dongguk.edu", status="verified")
    film = FilmPageFactory(title="Stays", owner=member)
    video = Video.objects.create(title="v", status=VideoStatus.READY, duration=60)
    WatchProgress.objects.create(user=member, video=video, film=film, position=10, duration=60)
    entitlement = Entitlement.objects.create(user=member, film=film)
    client.force_login(member)
    response = client.post(reverse("members:my_delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200 and User.objects.get(pk=member.pk).email == email
    response = client.post(reverse("members:my_delete"), {"password": "password", "confirm": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email.endswith("@deleted.invalid") and member.display_name == "" and not member.is_active
    assert member.deleted_at and not member.has_usable_password() and not member.groups.exists()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not UniversityEmail.objects.filter(user=member).exists()
    assert not WatchProgress.objects.filter(user=member).exists()
    assert Entitlement.objects.filter(pk=entitlement.pk).exists()  # the purchase stays in the books
    film.refresh_from_db()
    assert film.owner_id == member.pk and film.live
    assert "_auth_user_id" not in client.session
    # The address is free again for a new account.
    assert not User.objects.filter(email__iexact=email).exists()


def test_my_projects_marks_pages_in_moderation_and_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    from wagtail.models import Workflow

    creator = CreatorFactory()
    submitted = FilmPageFactory(title="Submitted film", owner=creator, live=False)
    submitted.save_revision(user=creator)
    Workflow.objects.get(name="Film review").start(submitted, creator)
    for n in range(6):
        FundingProjectPageFactory(title=f"Project {n}", owner=creator)
    client.force_login(creator)
    client.get(reverse("members:my_projects"))  # warm caches (site root, content types)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("members:my_projects")).content.decode()
    assert "In moderation" in page and page.count("Project ") == 6


def test_a_payout_account_is_for_creators_and_rights_holders(client):
    from donations.tests.factories import RightsHolderFactory

    member = UserFactory()
    client.force_login(member)
    assert "Payout account" not in client.get(reverse("members:my_profile")).content.decode()
    response = client.post(reverse("members:my_payout"), {"bank": "우리은행", "number": "1002123456789", "holder": "M"})
    assert response.status_code == 403 and "for creators and rights holders" in response.content.decode()
    assert not PayoutAccount.objects.filter(user=member).exists()

    RightsHolderFactory(member=member)  # named as a rights holder of a film: now they can be paid
    assert "Payout account" in client.get(reverse("members:my_profile")).content.decode()
    form = {"bank": "우리은행", "number": "1002123456789", "holder": "M", "password": "password"}
    assert client.post(reverse("members:my_payout"), form).status_code == 302
    assert PayoutAccount.objects.get(user=member).last4 == "6789"
