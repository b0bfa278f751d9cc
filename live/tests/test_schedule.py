"""Scheduling premieres (live.schedule): who may, what is refused, and which premieres pages show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from live import schedule
from live.models import Premiere, PremiereStatus
from live.schedule import Refused
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db


def soon(hours: float = 24):
    return timezone.now() + timedelta(hours=hours)


@pytest.fixture
def owner():
    return CreatorFactory()


@pytest.fixture
def film(owner):
    return FilmPageFactory(owner=owner)


def test_a_creator_schedules_a_premiere_on_their_own_film(owner, film):
    """The owner's premiere is saved with its details, a stream key and who made it."""
    premiere = schedule.schedule(owner, film, title="첫 상영", starts_at=soon(), ticket_price=5000, has_qa=True)
    premiere.refresh_from_db()
    assert (premiere.page_id, premiere.title, premiere.ticket_price, premiere.has_qa) == (
        film.pk,
        "첫 상영",
        5000,
        True,
    )
    assert premiere.status == PremiereStatus.SCHEDULED and premiere.created_by == owner
    assert len(premiere.stream_key) >= 32


def test_a_creator_cannot_schedule_on_another_creators_film(film):
    """Only those who may edit the page may schedule on it."""
    with pytest.raises(Refused):
        schedule.schedule(CreatorFactory(), film, title="Not mine", starts_at=soon())
    assert not Premiere.objects.exists()


def test_staff_schedule_on_any_page(film):
    project = FundingProjectPageFactory()
    staff = StaffUserFactory()
    schedule.schedule(staff, film, title="A", starts_at=soon())
    schedule.schedule(staff, project, title="B", starts_at=soon())
    assert Premiere.objects.count() == 2


def test_the_pages_offered_are_those_the_user_may_edit(owner, film):
    """A creator's choice lists their own pages; staff every film and project; a member none."""
    other = FilmPageFactory(owner=CreatorFactory())
    assert list(schedule.editable_pages(owner)) == [film.filmbasepage_ptr]
    assert {film.pk, other.pk} <= set(schedule.editable_pages(StaffUserFactory()).values_list("pk", flat=True))
    assert not schedule.editable_pages(UserFactory()).exists()


@pytest.mark.parametrize(("price", "taken"), [(0, True), (999, False), (1, False), (1000, True), (25000, True)])
def test_a_ticket_is_free_or_at_least_the_payment_minimum(owner, film, settings, price, taken):
    settings.DONATION_MINIMUM = 1000
    if taken:
        schedule.schedule(owner, film, title="T", starts_at=soon(), ticket_price=price)
    else:
        with pytest.raises(Refused):
            schedule.schedule(owner, film, title="T", starts_at=soon(), ticket_price=price)
    assert Premiere.objects.exists() is taken


def test_a_start_in_the_past_is_refused(owner, film):
    with pytest.raises(Refused):
        schedule.schedule(owner, film, title="Late", starts_at=timezone.now() - timedelta(minutes=1))


def test_changing_keeps_the_past_start_of_an_unchanged_time_but_refuses_a_new_past_one(owner, film):
    """Other details can change without moving the start; a new start must be ahead."""
    premiere = schedule.schedule(owner, film, title="Old", starts_at=soon())
    schedule.change(owner, premiere, title="New", starts_at=premiere.starts_at, ticket_price=0, has_qa=True)
    premiere.refresh_from_db()
    assert (premiere.title, premiere.has_qa) == ("New", True)
    with pytest.raises(Refused):
        schedule.change(owner, premiere, title="New", starts_at=soon(-1), ticket_price=0, has_qa=True)


def test_a_premiere_that_went_live_can_be_neither_changed_nor_cancelled(owner, film):
    premiere = schedule.schedule(owner, film, title="On air", starts_at=soon())
    Premiere.objects.filter(pk=premiere.pk).update(status=PremiereStatus.LIVE)
    with pytest.raises(Refused):
        schedule.change(owner, premiere, title="x", starts_at=soon(2), ticket_price=0, has_qa=False)
    with pytest.raises(Refused):
        schedule.cancel(owner, premiere)
    premiere.refresh_from_db()
    assert premiere.title == "On air" and premiere.status == PremiereStatus.LIVE


def test_cancelling_marks_the_premiere_cancelled(owner, film):
    premiere = schedule.cancel(owner, schedule.schedule(owner, film, title="Off", starts_at=soon()))
    assert Premiere.objects.get(pk=premiere.pk).status == PremiereStatus.CANCELLED


def test_a_new_stream_key_replaces_the_old_one_for_the_owner_and_staff_only(owner, film):
    premiere = schedule.schedule(owner, film, title="Key", starts_at=soon())
    old = premiere.stream_key
    schedule.regenerate_stream_key(owner, premiere)
    assert Premiere.objects.get(pk=premiere.pk).stream_key != old
    assert not Premiere.objects.filter(stream_key=old).exists()
    with pytest.raises(Refused):
        schedule.regenerate_stream_key(CreatorFactory(), premiere)
    newer = premiere.stream_key
    schedule.regenerate_stream_key(StaffUserFactory(), premiere)
    assert Premiere.objects.get(pk=premiere.pk).stream_key != newer


def test_pages_show_premieres_of_live_public_pages_only_and_never_cancelled_ones(owner, film):
    draft = FilmPageFactory(owner=owner, live=False)
    shown = Premiere.objects.create(page=film, title="Shown", starts_at=soon())
    Premiere.objects.create(page=draft, title="On a draft", starts_at=soon())
    Premiere.objects.create(page=film, title="Off", starts_at=soon(), status=PremiereStatus.CANCELLED)
    assert list(schedule.shown()) == [shown]


def test_upcoming_live_and_past_are_told_apart(film):
    now = timezone.now()
    later = Premiere.objects.create(page=film, title="Later", starts_at=now + timedelta(days=2))
    sooner = Premiere.objects.create(page=film, title="Sooner", starts_at=now + timedelta(hours=1))
    just_due = Premiere.objects.create(page=film, title="Due", starts_at=now - timedelta(minutes=5))
    Premiere.objects.create(page=film, title="Never went live", starts_at=now - timedelta(hours=3))
    live = Premiere.objects.create(page=film, title="Live", starts_at=now, status=PremiereStatus.LIVE)
    ended = Premiere.objects.create(page=film, title="Ended", starts_at=now - timedelta(days=1), status="ended")
    shown = schedule.shown()
    assert list(schedule.upcoming(shown)) == [just_due, sooner, later]
    assert list(schedule.live_now(shown)) == [live]
    assert list(schedule.past(shown)) == [ended]


def test_a_replay_counts_once_its_video_is_ready(film):
    video = Video.objects.create(title="replay", status=VideoStatus.PROCESSING)
    premiere = Premiere.objects.create(page=film, title="R", starts_at=soon(-30), status="ended", replay=video)
    assert not schedule.replay_ready(premiere)
    video.status = VideoStatus.READY
    video.save()
    assert schedule.replay_ready(Premiere.objects.get(pk=premiere.pk))
