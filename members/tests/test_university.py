"""University verification: a code to the university address makes a member a creator; staff can revoke."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from members import university
from members.models import UniversityEmail
from members.tests.factories import StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def mailed_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def send(client, email):
    return client.post(reverse("members:my_university"), {"action": "send", "email": email})


def confirm(client, code, record=None):
    record = record or UniversityEmail.objects.latest("created_at")
    return client.post(reverse("members:my_university"), {"action": "confirm", "record": record.pk, "code": code})


def test_a_member_becomes_a_creator_with_the_mailed_code(client):
    member = UserFactory()
    client.force_login(member)
    assert send(client, "Student@Dongguk.edu").status_code == 302
    assert mail.outbox[-1].to == ["Student@Dongguk.edu"]
    assert not member.is_creator
    assert confirm(client, mailed_code()).status_code == 302
    record = UniversityEmail.objects.get(user=member)
    assert record.status == "verified" and record.verified_at
    assert member.is_creator
    assert member.badges.filter(code="verified_creator").exists()
    assert ModelLogEntry.objects.filter(action="members.university.verify", object_id=str(record.pk)).exists()
    # Creators may open the studio and add a film now.
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_other_domains_are_refused_and_subdomains_accepted(client, settings):
    settings.UNIVERSITY_EMAIL_DOMAINS = ["dongguk.edu"]
    client.force_login(UserFactory())
    response = send(client, "someone@gmail.com")
    assert response.status_code == 200 and "Use your university address (@dongguk.edu)" in response.content.decode()
    response = send(client, "someone@dongguk.edu.evil.com")
    assert response.status_code == 200 and not UniversityEmail.objects.exists()
    assert send(client, "someone@mail.dongguk.edu").status_code == 302


def test_wrong_expired_and_reused_codes(client):
    member = UserFactory()
    client.force_login(member)
    send(client, "s1@dongguk.edu")
    code = mailed_code()
    wrong = "000000" if code != "000000" else "111111"
    response = confirm(client, wrong)
    assert "not right" in response.content.decode() and not member.is_creator

    UniversityEmail.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))
    response = confirm(client, code)
    assert "expired" in response.content.decode() and not member.is_creator

    UniversityEmail.objects.update(code_expires_at=timezone.now() + timedelta(minutes=5))
    assert confirm(client, code).status_code == 302 and member.is_creator
    response = confirm(client, code)  # reused
    assert response.status_code == 200 and "no longer valid" in response.content.decode()


def test_too_many_wrong_codes_lock_the_code(client, settings):
    settings.UNIVERSITY_CODE_MAX_ATTEMPTS = 3
    member = UserFactory()
    client.force_login(member)
    send(client, "s2@dongguk.edu")
    code = mailed_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        confirm(client, wrong)
    response = confirm(client, code)
    assert "Too many wrong codes" in response.content.decode() and not member.is_creator


def test_a_forged_record_id_is_refused(client):
    alice, mallory = UserFactory(), UserFactory()
    client.force_login(alice)
    send(client, "alice@dongguk.edu")
    code = mailed_code()
    record = UniversityEmail.objects.get(user=alice)
    client.force_login(mallory)
    response = confirm(client, code, record)
    assert response.status_code == 200 and not mallory.is_creator
    record.refresh_from_db()
    assert record.status == "pending"


def test_a_verified_address_belongs_to_one_account_only(client):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    send(client, "shared@dongguk.edu")
    confirm(client, mailed_code())
    client.force_login(second)
    response = send(client, "SHARED@dongguk.edu")
    assert "already verified by another account" in response.content.decode()
    assert not second.is_creator


def test_two_pending_claims_the_first_to_confirm_wins(client):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    send(client, "race@dongguk.edu")
    first_code = mailed_code()
    client.force_login(second)
    send(client, "race@dongguk.edu")
    second_code = mailed_code()
    second_record = UniversityEmail.objects.get(user=second)
    client.force_login(first)
    confirm(client, first_code, UniversityEmail.objects.get(user=first))
    client.force_login(second)
    response = confirm(client, second_code, second_record)
    assert "already verified by another account" in response.content.decode()
    assert first.is_creator and not second.is_creator


def test_asking_again_at_once_is_refused(client):
    client.force_login(UserFactory())
    send(client, "quick@dongguk.edu")
    response = send(client, "quick@dongguk.edu")
    assert "wait a minute" in response.content.decode()
    assert len(mail.outbox) == 1


def verified(member, email="v@dongguk.edu"):
    record = university.start(member, email)
    university.confirm(member, record.pk, mailed_code())
    record.refresh_from_db()
    return record


def test_staff_revoke_with_a_reason_and_restore(client, django_capture_on_commit_callbacks):
    member = UserFactory()
    record = verified(member)
    staff = StaffUserFactory()
    client.force_login(staff)
    index = client.get(reverse("university_verifications:index")).content.decode()
    assert "v@dongguk.edu" in index

    response = client.post(reverse("university_verifications:revoke", args=[record.pk]), {"reason": ""})
    record.refresh_from_db()
    assert record.status == "verified"  # a reason is required

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("university_verifications:revoke", args=[record.pk]), {"reason": "Not a film student"})
    record.refresh_from_db()
    assert record.status == "revoked" and record.revoke_reason == "Not a film student"
    assert not member.is_creator
    assert mail.outbox[-1].to == [member.email] and "Not a film student" in mail.outbox[-1].body
    entry = ModelLogEntry.objects.get(action="members.university.revoke", object_id=str(record.pk))
    assert entry.user_id == staff.pk and entry.data["reason"] == "Not a film student"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("university_verifications:restore", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "verified" and member.is_creator
    assert ModelLogEntry.objects.filter(action="members.university.restore", object_id=str(record.pk)).exists()
    assert "restored" in mail.outbox[-1].body


def test_a_revoked_member_cannot_reclaim_the_address_themselves(client):
    member = UserFactory()
    record = verified(member)
    university.revoke(record, StaffUserFactory(), "Left the department")
    client.force_login(member)
    response = send(client, "v@dongguk.edu")
    assert "Staff revoked this verification" in response.content.decode()
    assert not member.is_creator


def test_creators_and_members_cannot_revoke(client):
    member = UserFactory()
    record = verified(member)
    other_creator = UserFactory()
    verified(other_creator, "other@dongguk.edu")
    for user in (other_creator, UserFactory()):
        client.force_login(user)
        response = client.post(reverse("university_verifications:revoke", args=[record.pk]), {"reason": "x"})
        # Wagtail answers a creator's PermissionDenied with a redirect to the dashboard; a member
        # without admin access is sent to the studio's log-in page, which tells them it is for creators.
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home") or response.url.startswith("/admin/login/")
    record.refresh_from_db()
    assert record.status == "verified"


def test_revoking_submits_the_members_pages_to_review_and_takes_the_badge_until_restored(
    client, django_capture_on_commit_callbacks
):
    from films.tests.factories import FilmPageFactory

    member = UserFactory()
    record = verified(member)
    film = FilmPageFactory(title="Winter Stop", owner=member)
    staff = StaffUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        university.revoke(record, staff, "Not a film student")
    film.refresh_from_db()
    assert film.live  # the page stays online...
    assert film.workflow_in_progress  # ...and staff review it
    state = film.current_workflow_state
    assert state.requested_by == staff
    assert not member.badges.filter(code="verified_creator").exists()
    entry = ModelLogEntry.objects.get(action="members.university.revoke", object_id=str(record.pk))
    assert entry.data["pages_to_review"] == [film.pk]

    with django_capture_on_commit_callbacks(execute=True):
        university.restore(record, staff)
    assert member.badges.filter(code="verified_creator").exists()


def test_the_verification_page_links_to_its_own_history(client):
    record = verified(UserFactory())
    client.force_login(StaffUserFactory())
    page = client.get(reverse("university_verifications:edit", args=[record.pk])).content.decode()
    history = reverse("university_verifications:history", args=[record.pk])
    assert history in page and client.get(history).status_code == 200


def test_codes_to_one_address_are_limited_across_accounts(client, settings):
    settings.UNIVERSITY_CODE_SENDS_PER_HOUR = 2
    for _ in range(2):
        university.start(UserFactory(), "target@dongguk.edu")
    with pytest.raises(university.VerificationError, match="Too many codes"):
        university.start(UserFactory(), "TARGET@dongguk.edu")
    assert len(mail.outbox) == 2


def test_one_member_cannot_mail_codes_without_end(settings):
    settings.UNIVERSITY_CODE_SENDS_PER_HOUR = 5
    member = UserFactory()
    for n in range(university.MAX_PENDING_CLAIMS):
        university.start(member, f"me{n}@dongguk.edu")
    with pytest.raises(university.VerificationError, match="Finish or remove"):
        university.start(member, "one-more@dongguk.edu")
    settings.UNIVERSITY_CODE_SENDS_PER_HOUR = university.MAX_PENDING_CLAIMS
    UniversityEmail.objects.filter(user=member).update(code_expires_at=timezone.now())  # long ago enough
    with pytest.raises(university.VerificationError, match="Too many codes"):
        university.start(member, "me0@dongguk.edu")


def test_guesses_at_one_address_are_counted_across_accounts(settings):
    settings.UNIVERSITY_CODE_TRIES_PER_DAY = 3
    first, second = UserFactory(), UserFactory()
    mine = university.start(first, "shared@dongguk.edu")
    theirs = university.start(second, "shared@dongguk.edu")
    right = mailed_code()
    for user, record in ((first, mine), (first, mine), (second, theirs)):
        with pytest.raises(university.VerificationError):
            university.confirm(user, record.pk, "000000" if right != "000000" else "111111")
    with pytest.raises(university.VerificationError, match="Too many tries for this address"):
        university.confirm(second, theirs.pk, right)
    assert not second.is_creator
