""" "Remind me": one notification and e-mail per member and start time, LIVE_REMINDER_MINUTES ahead."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from films.tests.factories import FilmPageFactory
from live import reminders, schedule, tasks
from live.models import Premiere, PremiereReminder, PremiereStatus
from members.tests.factories import CreatorFactory, UserFactory
from notifications.models import Kind, Notification, Preferences

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) + timedelta(days=1)


@pytest.fixture(autouse=True)
def _ten_minutes(settings):
    settings.LIVE_REMINDER_MINUTES = 10


@pytest.fixture
def premiere():
    page = FilmPageFactory(title="겨울 정류장", title_en="Winter Stop", owner=CreatorFactory())
    return Premiere.objects.create(page=page, title="온라인 첫 상영", starts_at=START)


def at(minutes_before_start: float):
    return START - timedelta(minutes=minutes_before_start)


def reminders_of(member):
    return Notification.objects.filter(recipient=member, kind=Kind.PREMIERE_STARTING)


def test_remind_and_forget_toggle_one_reminder(premiere):
    member = UserFactory()
    assert reminders.remind(member, premiere) and reminders.remind(member, premiere)
    assert PremiereReminder.objects.filter(member=member).count() == 1
    assert reminders.is_reminded(member, premiere)
    reminders.forget(member, premiere)
    assert not reminders.is_reminded(member, premiere)


def test_a_premiere_that_started_takes_no_new_reminder(premiere):
    premiere.status = PremiereStatus.LIVE
    premiere.save()
    assert not reminders.remind(UserFactory(), premiere)
    assert not PremiereReminder.objects.exists()


def test_nothing_is_sent_before_the_lead_time(premiere):
    reminders.remind(UserFactory(), premiere)
    assert reminders.send_due(now=at(11)) == 0
    assert not Notification.objects.exists()


def test_the_reminder_is_sent_once_within_the_lead_time(premiere):
    """A notification in the member's language and an e-mail, once however often the task runs."""
    member = UserFactory(language="en")
    reminders.remind(member, premiere)
    assert reminders.send_due(now=at(9)) == 1
    assert reminders.send_due(now=at(8)) == 0
    assert reminders.send_due(now=at(1)) == 0
    notification = reminders_of(member).get()
    assert notification.params["premiere"] == "온라인 첫 상영" and notification.url.endswith("#premieres")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
    assert "온라인 첫 상영" in mail.outbox[0].subject + mail.outbox[0].body
    assert "Winter Stop" in mail.outbox[0].subject + mail.outbox[0].body


def test_each_member_who_asked_is_reminded_and_nobody_else(premiere):
    asked = [UserFactory(), UserFactory()]
    for member in asked:
        reminders.remind(member, premiere)
    bystander = UserFactory()
    assert reminders.send_due(now=at(5)) == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {m.pk for m in asked}
    assert not reminders_of(bystander).exists()


def test_a_premiere_moved_later_reminds_again_at_its_new_time(premiere):
    member = UserFactory()
    reminders.remind(member, premiere)
    reminders.send_due(now=at(5))
    premiere.starts_at = START + timedelta(hours=2)
    premiere.save()
    assert reminders.send_due(now=at(4)) == 0  # the old time: nothing more
    assert reminders.send_due(now=START + timedelta(hours=2) - timedelta(minutes=3)) == 1
    assert reminders_of(member).count() == 2
    assert reminders.send_due(now=START + timedelta(hours=2) - timedelta(minutes=1)) == 0


def test_a_cancelled_premiere_reminds_nobody(premiere):
    reminders.remind(UserFactory(), premiere)
    premiere.status = PremiereStatus.CANCELLED
    premiere.save()
    assert reminders.send_due(now=at(5)) == 0
    assert not Notification.objects.exists()


def test_a_run_long_after_the_start_sends_nothing(premiere):
    """A worker that was down for the whole window does not announce a premiere long begun."""
    reminders.remind(UserFactory(), premiere)
    assert reminders.send_due(now=START + timedelta(minutes=30)) == 0


def test_members_who_turned_the_kind_off_are_not_told(premiere):
    muted, by_site_only = UserFactory(), UserFactory()
    Preferences.objects.create(user=muted, muted=[Kind.PREMIERE_STARTING])
    Preferences.objects.create(user=by_site_only, no_email=[Kind.PREMIERE_STARTING])
    for member in (muted, by_site_only):
        reminders.remind(member, premiere)
    reminders.send_due(now=at(5))
    assert not reminders_of(muted).exists()
    assert reminders_of(by_site_only).exists() and mail.outbox == []


def test_the_periodic_task_sends_and_queues_its_next_round(premiere, settings):
    """The task runs `send_due` at the real time and keeps one next round waiting."""
    Premiere.objects.filter(pk=premiere.pk).update(starts_at=timezone.now() + timedelta(minutes=5))
    member = UserFactory()
    reminders.remind(member, premiere)
    assert tasks.send_reminders.call() == 1
    assert reminders_of(member).count() == 1
    assert DBTaskResult.objects.filter(task_path=tasks.send_reminders.module_path).count() == 1


def test_the_command_queues_one_periodic_task():
    out = StringIO()
    call_command("send_premiere_reminders", "--schedule", stdout=out)
    call_command("send_premiere_reminders", "--schedule", stdout=out)
    assert DBTaskResult.objects.filter(task_path=tasks.send_reminders.module_path).count() == 1
    assert "already queued" in out.getvalue()


def test_schedule_change_through_the_service_rearms_reminders(premiere):
    """Moving the start in the admin (schedule.change) re-arms like a direct save."""
    member = UserFactory()
    reminders.remind(member, premiere)
    reminders.send_due(now=at(5))
    owner = premiere.page.owner
    later = START + timedelta(days=1)
    schedule.change(owner, premiere, title=premiere.title, starts_at=later, ticket_price=0, has_qa=False)
    assert reminders.send_due(now=later - timedelta(minutes=2)) == 1
