"""Staff's member pages in the admin: badge counts, verifying a creator by hand, restoring a revoked one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from donations.tests.helpers import english_user
from films.models import FilmBasePage
from films.tests.factories import FilmPageFactory
from members import university
from members.models import BadgeAward, UniversityEmail
from members.tests.admin_forms import client_for
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_badge_counts_count_every_member_who_earned_the_badge():
    """Three members earned one badge on three different days: the admin says 3, not 1."""
    now = timezone.now()
    for days in range(3):
        BadgeAward.objects.create(user=UserFactory(), code="first_donation", awarded_at=now - timedelta(days=days))
    BadgeAward.objects.create(user=UserFactory(), code="watched_5", awarded_at=now)

    response = client_for(StaffUserFactory()).get(reverse("member_badges"))

    counts = {row["badge"].code: row["count"] for row in response.context["rows"]}
    assert (counts["first_donation"], counts["watched_5"], counts["verified_creator"]) == (3, 1, 0)


# --- restoring a revoked creator ------------------------------------------------------------------


def _verified_creator():
    member = UserFactory()
    record = UniversityEmail.objects.create(user=member, email=f"{member.pk}@dongguk.edu")
    record.status = UniversityEmail.Status.VERIFIED
    record.verified_at = timezone.now()
    record.save()
    university._join_creators(member)
    return member, record


def _open_reviews(page):
    return WorkflowState.objects.active().filter(object_id=str(page.pk))


def test_restoring_closes_the_reviews_the_revocation_opened_and_keeps_the_creators_own():
    """Staff revoke (two live films go to review), the creator submits a draft themselves, staff restore:
    the two reviews are cancelled, the creator's own stays open, the films stay live."""
    member, record = _verified_creator()
    staff = StaffUserFactory()
    client = client_for(staff)
    first, second = FilmPageFactory(title="One", owner=member), FilmPageFactory(title="Two", owner=member)
    client.post(reverse("university_verifications:revoke", args=[record.pk]), {"reason": "Not a student"})
    assert _open_reviews(first).exists() and _open_reviews(second).exists()
    own = FilmPageFactory(title="Mine", owner=member, live=False)
    own.save_revision(user=member)
    own.get_workflow().start(own, member)

    response = client.post(reverse("university_verifications:restore", args=[record.pk]))

    assert response.status_code == 302
    assert not _open_reviews(first).exists() and not _open_reviews(second).exists()
    assert _open_reviews(own).get().requested_by == member
    assert FilmBasePage.objects.get(pk=first.pk).live and FilmBasePage.objects.get(pk=second.pk).live
    entry = ModelLogEntry.objects.get(action="members.university.restore", object_id=str(record.pk))
    assert sorted(entry.data["reviews_closed"]) == sorted([first.pk, second.pk])


def test_restoring_leaves_a_review_staff_already_decided():
    """A review of the revocation that staff approved is history: restore does not touch it."""
    member, record = _verified_creator()
    staff = StaffUserFactory()
    film = FilmPageFactory(title="One", owner=member)
    university.revoke(record, staff, "Not a student")
    state = _open_reviews(film).get()
    state.current_task_state.approve(user=staff)
    state.refresh_from_db()
    approved = state.status

    university.restore(record, staff)

    state.refresh_from_db()
    assert state.status == approved == WorkflowState.STATUS_APPROVED


# --- verifying a creator by hand ------------------------------------------------------------------


def _by_hand(client, member, reason="Enrolled at the Korea National University of Arts; no mailbox yet"):
    return client.post(
        reverse("university_verifications:verify_by_hand"),
        {"member": member.email, "email": "jisu@karts.ac.kr", "reason": reason},
    )


def test_staff_verify_a_creator_by_hand_and_the_reason_is_in_the_history():
    """The member becomes a creator with the badge; the history of the verification shows who and why."""
    member, staff = UserFactory(), english_user(StaffUserFactory)
    client = client_for(staff)

    response = _by_hand(client, member)

    record = UniversityEmail.objects.get(user=member)
    assert response.status_code == 302 and response.url == reverse("university_verifications:edit", args=[record.pk])
    assert (record.status, record.email) == ("verified", "jisu@karts.ac.kr") and record.verified_at
    assert member.is_creator and member.badges.filter(code="verified_creator").exists()
    entry = ModelLogEntry.objects.get(action="members.university.verify_by_hand", object_id=str(record.pk))
    assert entry.user == staff and entry.data["reason"].startswith("Enrolled at the Korea National")
    history = client.get(reverse("university_verifications:history", args=[record.pk])).content.decode()
    assert "Verified by hand by staff: Enrolled at the Korea National University of Arts" in history


def test_verifying_by_hand_needs_a_reason():
    """Without a reason nothing changes and the form says what is missing."""
    member = UserFactory()

    response = _by_hand(client_for(english_user(StaffUserFactory)), member, reason=" ")

    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not UniversityEmail.objects.filter(user=member).exists() and not member.is_creator


def test_the_verifications_list_offers_verifying_by_hand_to_staff():
    """The button sits in the header of the Creator verifications listing."""
    html = client_for(english_user(StaffUserFactory)).get(reverse("university_verifications:index")).content.decode()

    assert reverse("university_verifications:verify_by_hand") in html and "Verify a creator by hand" in html


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", "login"), ("member", "login"), ("creator", "denied"), ("staff", "ok")]
)
def test_who_may_verify_a_creator_by_hand(role, expected):
    """Only staff verify by hand; the form itself is refused to the rest."""
    member = UserFactory()
    user = {"anonymous": None, "member": UserFactory(), "creator": CreatorFactory(), "staff": StaffUserFactory()}[role]
    client = client_for(user)

    form = client.get(reverse("university_verifications:verify_by_hand"))
    response = _by_hand(client, member)

    verified = UniversityEmail.objects.filter(user=member, status="verified").exists()
    if response.status_code == 302 and response.url.startswith("/admin/login/"):
        outcome = "login"
    elif response.status_code == 302 and response.url == reverse("wagtailadmin_home"):
        outcome = "denied"
    else:
        outcome = "ok" if verified else f"HTTP {response.status_code}"
    assert outcome == expected and verified == (role == "staff")
    assert (form.status_code == 200) == (role == "staff")
