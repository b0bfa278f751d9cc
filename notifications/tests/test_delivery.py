"""Delivering to many: batches that survive a dead worker, nobody told or e-mailed twice, digests."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from donations.models import Order, OrderStatus
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import CreatorFactory, UserFactory
from notifications import delivery
from notifications.models import Audience, EmailFrequency, EmailStatus, FanOut, Kind, Notification, Preferences

pytestmark = pytest.mark.django_db


def many_backers(project, count: int, *, language="ko") -> list[int]:
    """`count` members, each with a paid donation to `project` (rows written in bulk: the settlement's
    own path is covered elsewhere; here only who counts as a backer matters)."""
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(email=f"backer{n}@example.com", display_name=f"후원자{n}", language=language)
            for n in range(count)
        ]
    )
    Order.objects.bulk_create(
        [
            Order(
                member=user,
                kind="donation",
                project=project,
                amount=1000,
                provider="sandbox",
                status=OrderStatus.PAID,
                client_token=f"bulk-{user.pk}",
            )
            for user in users
        ]
    )
    return sorted(user.pk for user in users)


def update_fan_out(project, key="update:1") -> FanOut:
    return FanOut.objects.create(
        key=key,
        kind=Kind.PROJECT_UPDATE,
        params={"title": project.title, "update": "편집 끝"},
        url="/",
        audience=Audience.PROJECT_BACKERS,
        audience_args={"project_id": project.pk},
    )


def test_thousands_of_backers_each_get_one_notification_and_one_email(settings, mailoutbox):
    """3,000 backers in batches of 400 (the last one partial); `bench/run fanout` times 10,000."""
    settings.NOTIFICATIONS_BATCH_SIZE = 400
    project = FundingProjectPageFactory(owner=CreatorFactory())
    backers = many_backers(project, 3_000)
    fan_out = delivery.start_fan_out(
        "update:10k",
        Kind.PROJECT_UPDATE,
        {"title": project.title, "update": "개봉"},
        "/",
        Audience.PROJECT_BACKERS,
        {"project_id": project.pk},
    )
    fan_out.refresh_from_db()
    assert fan_out.done_at is not None and fan_out.delivered == 3_000
    assert sorted(Notification.objects.filter(key="update:10k").values_list("recipient_id", flat=True)) == backers
    recipients = [m.to[0] for m in mailoutbox]
    assert len(recipients) == len(set(recipients)) == 3_000
    assert not Notification.objects.filter(key="update:10k").exclude(email_status=EmailStatus.SENT).exists()
    # Queued again (a double click, a replayed event): the key is taken, nothing happens.
    assert (
        delivery.start_fan_out(
            "update:10k", Kind.PROJECT_UPDATE, {}, "/", Audience.PROJECT_BACKERS, {"project_id": project.pk}
        )
        is None
    )
    assert len(mailoutbox) == 3_000


def test_a_worker_dying_mid_batch_loses_and_repeats_nothing(settings, monkeypatch, mailoutbox):
    settings.NOTIFICATIONS_BATCH_SIZE = 10
    project = FundingProjectPageFactory(owner=CreatorFactory())
    backers = many_backers(project, 35)
    fan_out = update_fan_out(project)
    real_create = delivery._create
    calls = {"n": 0}

    def dies_on_the_third_batch(*args, **kwargs):
        calls["n"] += 1
        created = real_create(*args, **kwargs)  # the batch's rows are written...
        if calls["n"] == 3:
            raise SystemExit("worker killed")  # ...and the worker dies before the batch commits
        return created

    monkeypatch.setattr(delivery, "_create", dies_on_the_third_batch)
    with pytest.raises(SystemExit):
        delivery.run_fan_out(fan_out.pk)
    fan_out.refresh_from_db()
    assert fan_out.cursor == backers[19] and fan_out.done_at is None  # two batches committed, the third rolled back
    assert Notification.objects.filter(key=fan_out.key).count() == 20

    monkeypatch.setattr(delivery, "_create", real_create)
    # The sweep finds it standing still and queues it again (the test backend runs it at once).
    FanOut.objects.filter(pk=fan_out.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    assert delivery.sweep()["fan_outs_resumed"] == 1
    fan_out.refresh_from_db()
    assert fan_out.done_at is not None
    assert sorted(Notification.objects.filter(key=fan_out.key).values_list("recipient_id", flat=True)) == backers
    recipients = [m.to[0] for m in mailoutbox]
    assert len(recipients) == len(set(recipients)) == 35


def test_an_email_is_sent_only_by_whoever_claims_it(mailoutbox):
    member = UserFactory()
    Notification.objects.create(
        recipient=member, kind=Kind.REFUND, key="k", params={"amount": 1}, email_status=EmailStatus.PENDING
    )
    assert delivery.send_pending("k") == 1
    assert delivery.send_pending("k") == 0  # a second worker (or a repeated task) finds nothing to send
    assert len(mailoutbox) == 1


def test_an_email_stuck_being_sent_is_given_up_not_sent_twice(mailoutbox):
    member = UserFactory()
    stuck = Notification.objects.create(
        recipient=member,
        kind=Kind.REFUND,
        key="k",
        email_status=EmailStatus.SENDING,
        emailed_at=timezone.now() - timedelta(hours=2),
    )
    assert delivery.sweep()["emails_given_up"] == 1
    stuck.refresh_from_db()
    assert stuck.email_status == EmailStatus.FAILED and not mailoutbox


def test_a_mail_server_error_leaves_the_email_to_send_later(settings, mailoutbox):
    member = UserFactory()
    note = Notification.objects.create(
        recipient=member, kind=Kind.REFUND, key="k", params={"amount": 1}, email_status=EmailStatus.PENDING
    )
    working = settings.MAILERS
    settings.MAILERS = {  # a real SMTP client to a port nothing listens on: the connection is refused
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 5},
        }
    }
    assert delivery.send_pending() == 0
    note.refresh_from_db()
    assert (note.email_status, note.email_attempts) == (EmailStatus.PENDING, 1)
    settings.MAILERS = working
    assert delivery.send_pending() == 1
    assert len(mail.outbox) == 1


def test_preferences_decide_what_is_kept_and_what_is_mailed(mailoutbox):
    muted, quiet, daily, plain = UserFactory(), UserFactory(), UserFactory(language="en"), UserFactory()
    Preferences.objects.create(user=muted, muted=[Kind.REFUND])
    Preferences.objects.create(user=quiet, no_email=[Kind.REFUND])
    Preferences.objects.create(user=daily, email=EmailFrequency.DAILY)
    for n, member in enumerate((muted, quiet, daily, plain)):
        delivery.notify([member], Kind.REFUND, f"refund:{n}", {"amount": 1000, "title": "영화", "title_en": "Film"})
    delivery.notify(
        [daily], Kind.NEW_BACKER, "order:9", {"amount": 2000, "backer": "", "title": "영화", "title_en": "Film"}
    )
    assert not muted.notifications.exists()
    assert quiet.notifications.get().email_status == EmailStatus.NONE
    assert set(daily.notifications.values_list("email_status", flat=True)) == {EmailStatus.DIGEST}
    assert [m.to for m in mailoutbox] == [[plain.email]]

    assert delivery.send_digests() == 1
    digest = mailoutbox[-1]
    assert digest.to == [daily.email] and digest.subject == "[ReelVision] Your daily digest: 2 notifications"
    assert "1,000 KRW was refunded" in digest.body and "An anonymous backer backed" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert delivery.send_digests() == 0  # sent once
    assert set(daily.notifications.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_deleted_and_inactive_members_are_not_notified():
    gone = UserFactory(deleted_at=timezone.now())
    inactive = UserFactory(is_active=False)
    assert delivery.notify([gone, inactive], Kind.REFUND, "r", {"amount": 1}) == 0
    assert not Notification.objects.exists()
