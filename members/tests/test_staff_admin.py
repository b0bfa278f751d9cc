"""Staff's member pages in the admin: badge counts, verifying a creator by hand, restoring a revoked one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from films.models import FilmBasePage
from films.tests.factories import FilmPageFactory, StaffUserFactory, UserFactory
from members import university
from members.models import BadgeAward, UniversityEmail
from members.tests.admin_forms import client_for

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
