"""Delivering notifications: to one or a few members at once (`notify`), to many in batches
(`start_fan_out` → `run_fan_out`), and by e-mail (`send_pending`, `send_digests`).

Nobody is told twice: a notification is unique per recipient and event key, and an e-mail is sent
only by whoever moved its notification from "to send" to "being sent" (a conditional update, so two
workers never both send one). A worker that dies after that move and before the mail server
answered leaves the notification "being sent"; `sweep` later marks it "not sent" rather than risk a
second copy. Everything else a dead worker left (a half-done fan-out, e-mails still to send) is
picked up again by `sweep`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reelvision.public_site import absolute

from . import unsubscribe
from .audiences import members_of
from .kinds import describe
from .models import DailyRun, EmailStatus, FanOut, Kind, Notification, Preferences

logger = logging.getLogger(__name__)

EMAIL_BATCH = 100
MAX_EMAIL_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=5)
SENDING_GIVEN_UP_AFTER = timedelta(hours=1)
UNREAD_CACHE_SECONDS = 300


# --- the unread count (the bell): cached, dropped whenever it changes --------------------------


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    count = cache.get(_unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(_unread_key(user.pk), count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread(user_ids: Iterable[int]) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the member's notifications read: those of `ids` (others' ids are ignored), or all."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    if marked:
        forget_unread([user.pk])
    return marked


# --- creating notifications ---------------------------------------------------------------------


def notify(recipients: Iterable, kind: str, key: str, params: dict, url: str = "") -> int:
    """Notify each recipient (users or their ids) once per `key`, by their preferences; returns how
    many notifications are new. E-mails are queued for the worker in the same transaction."""
    ids = {getattr(recipient, "pk", recipient) for recipient in recipients if recipient is not None}
    if not ids:
        return 0
    members = get_user_model().objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True)
    created = _create(list(members.values_list("pk", "email")), kind, key, params, url)
    if created:
        _queue_emails(key)
    return created


def _create(members: list[tuple[int, str]], kind: str, key: str, params: dict, url: str) -> int:
    preferences = Preferences.objects.in_bulk([pk for pk, _ in members])
    default = Preferences()
    fresh = []
    for pk, email in members:
        choice = preferences.get(pk, default)
        if not choice.wants(kind):
            continue
        status = choice.email_status_for(kind) if email else EmailStatus.NONE
        fresh.append(Notification(recipient_id=pk, kind=kind, key=key, params=params, url=url, email_status=status))
    if not fresh:
        return 0
    already = set(
        Notification.objects.filter(key=key, recipient_id__in=[n.recipient_id for n in fresh]).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [n for n in fresh if n.recipient_id not in already]
    # ignore_conflicts: a concurrent run of the same event may have inserted some in the meantime.
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    told = [n.recipient_id for n in fresh]
    forget_unread(told)
    # Again once committed: a page shown meanwhile may have cached the count from before.
    transaction.on_commit(lambda: forget_unread(told))
    return len(fresh)


def _queue_emails(key: str) -> None:
    from .tasks import send_emails  # the task module imports this one

    send_emails.using(backend=settings.NOTIFICATIONS_TASK_BACKEND).enqueue(key)


# --- many recipients: batches ---------------------------------------------------------------------


def start_fan_out(key: str, kind: str, params: dict, url: str, audience: str, args: dict, sender=None) -> FanOut | None:
    """Record a delivery to an audience and queue its task; None if `key` was delivered already."""
    try:
        with transaction.atomic():
            fan_out = FanOut.objects.create(
                key=key, kind=kind, params=params, url=url, audience=audience, audience_args=args, sender=sender
            )
    except IntegrityError:
        return None
    _queue_fan_out(fan_out.pk)
    return fan_out


def _queue_fan_out(fan_out_id: int) -> None:
    from .tasks import fan_out

    fan_out.using(backend=settings.NOTIFICATIONS_TASK_BACKEND).enqueue(fan_out_id)


def run_fan_out(fan_out_id: int) -> str:
    while fan_out_batch(fan_out_id):
        pass
    return "done"


def fan_out_batch(fan_out_id: int) -> bool:
    """Deliver the next batch of recipients (by id, after the cursor); True while more remain.

    The batch's notifications, its e-mails' task and the cursor commit together; the row lock keeps
    two workers from doing the same batch at once.
    """
    with transaction.atomic():
        fan_out = FanOut.objects.select_for_update().filter(pk=fan_out_id, done_at__isnull=True).first()
        if fan_out is None:
            return False
        batch = list(
            members_of(fan_out.audience, fan_out.audience_args)
            .filter(pk__gt=fan_out.cursor)
            .order_by("pk")
            .values_list("pk", "email")[: settings.NOTIFICATIONS_BATCH_SIZE]
        )
        if fan_out.sender_id:  # the one who writes is not told of their own message
            batch_to_notify = [member for member in batch if member[0] != fan_out.sender_id]
        else:
            batch_to_notify = batch
        created = _create(batch_to_notify, fan_out.kind, fan_out.key, fan_out.params, fan_out.url)
        if created:
            _queue_emails(fan_out.key)
        fan_out.delivered += created
        if len(batch) < settings.NOTIFICATIONS_BATCH_SIZE:
            fan_out.done_at = timezone.now()
        if batch:
            fan_out.cursor = batch[-1][0]
        fan_out.save(update_fields=["cursor", "delivered", "done_at", "updated_at"])
        return fan_out.done_at is None


# --- e-mail -------------------------------------------------------------------------------------


def _claim(condition, status: str = EmailStatus.PENDING) -> list[int]:
    """Move the notifications matching `condition` from `status` to "being sent" in one conditional
    UPDATE, stamped with this claim's time, and return the ids that this claim moved: a row another
    worker claimed first no longer has `status`, so it is not ours."""
    stamp = timezone.now()
    Notification.objects.filter(condition, email_status=status).update(
        email_status=EmailStatus.SENDING, emailed_at=stamp
    )
    return list(
        Notification.objects.filter(condition, email_status=EmailStatus.SENDING, emailed_at=stamp).values_list(
            "pk", flat=True
        )
    )


def send_pending(key: str | None = None, limit: int | None = None) -> int:
    """Send the e-mails waiting (of one event's key, or all), each by whoever claims it; returns how many went."""
    waiting = Notification.objects.filter(email_status=EmailStatus.PENDING)
    if key is not None:
        waiting = waiting.filter(key=key)
    sent, after = 0, 0
    while limit is None or sent < limit:
        # Onwards by id: what fails in this run waits for a later one (the sweep), not a retry at once.
        candidates = list(waiting.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:EMAIL_BATCH])
        if not candidates:
            break
        after = candidates[-1]
        claimed = _claim(Q(pk__in=candidates))  # what another worker took in the meantime is left to it
        sent += _send_each(Notification.objects.filter(pk__in=claimed).select_related("recipient"))
    return sent


def _send_each(notifications) -> int:
    """Send over one connection; what could not go (the server down, a bad address) is to send again
    later, up to MAX_EMAIL_ATTEMPTS times."""
    notifications = list(notifications)
    sent, failed = [], []
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - the mail server is down: every one of them waits
        logger.exception("notifications: no connection to the mail server")
        failed = notifications
    else:
        try:
            for notification in notifications:
                try:
                    _email_for(notification, connection).send()
                except Exception:  # noqa: BLE001 - one bad address must not stop the batch
                    logger.exception("notification %s: could not e-mail", notification.pk)
                    failed.append(notification)
                else:
                    sent.append(notification.pk)
        finally:
            connection.close()
    Notification.objects.filter(pk__in=sent).update(email_status=EmailStatus.SENT, emailed_at=timezone.now())
    for notification in failed:
        attempts = notification.email_attempts + 1
        status = EmailStatus.FAILED if attempts >= MAX_EMAIL_ATTEMPTS else EmailStatus.PENDING
        Notification.objects.filter(pk=notification.pk).update(email_status=status, email_attempts=attempts)
    return len(sent)


def _footer_context(user, scope: str) -> dict:
    return {
        "unsubscribe_url": unsubscribe.url(user, scope),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "ReelVision"),
        "recipient": user,
    }


def _message(user, subject: str, body: str, scope: str, connection=None) -> EmailMultiAlternatives:
    link = unsubscribe.url(user, scope)
    return EmailMultiAlternatives(
        subject,
        body,
        None,
        [user.email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _email_for(notification: Notification, connection=None) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(user.language):
        headline, detail = describe(notification.kind, notification.params)
        context = {
            "headline": headline,
            "detail": detail,
            "url": absolute(notification.url) if notification.url else "",
            **_footer_context(user, notification.kind),
        }
        body = render_to_string("notifications/email/notification.txt", context)
    return _message(user, _subject(headline), body, notification.kind, connection)


def _subject(headline: str) -> str:
    text = " ".join(headline.split())
    return f"[ReelVision] {text[:150]}"


def send_digests() -> int:
    """One e-mail per member who asked for a daily digest, listing what waits for it; returns how many."""
    members = (
        Notification.objects.filter(email_status=EmailStatus.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for member_id in list(members):
        claimed = _claim(Q(recipient_id=member_id), status=EmailStatus.DIGEST)
        notifications = list(Notification.objects.filter(pk__in=claimed).select_related("recipient"))
        if not notifications:
            continue
        user = notifications[0].recipient
        with translation.override(user.language):
            items = []
            for notification in notifications:
                headline, detail = describe(notification.kind, notification.params)
                url = absolute(notification.url) if notification.url else ""
                items.append({"headline": headline, "detail": detail, "url": url})
            subject = _subject(
                translation.gettext("Your daily digest: %(count)d notifications") % {"count": len(items)}
            )
            body = render_to_string(
                "notifications/email/digest.txt", {"items": items, **_footer_context(user, unsubscribe.ALL)}
            )
        ids = [n.pk for n in notifications]
        try:
            _message(user, subject, body, unsubscribe.ALL).send()
        except Exception:  # noqa: BLE001
            logger.exception("member %s: could not send the daily digest", member_id)
            Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.DIGEST)
            continue
        Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.SENT)
        sent += 1
    return sent


# --- once a day, and the sweep ------------------------------------------------------------------


def staff_submissions_digest(day) -> int:
    """Tell the reviewers of every submission waiting what waits, once a day; returns how many were told."""
    from wagtail.models import Page, TaskState

    waiting = list(
        TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).values_list(
            "task_id", "workflow_state__object_id"
        )
    )
    if not waiting:
        return 0
    page_ids = {object_id for _, object_id in waiting}
    # The reviewers: members of the groups of the tasks waiting (group approval tasks), and superusers.
    reviewers = set(
        get_user_model()
        .objects.filter(Q(groups__groupapprovaltask__in={task_id for task_id, _ in waiting}) | Q(is_superuser=True))
        .values_list("pk", flat=True)
    )
    titles = list(
        Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).order_by("title").values_list("title", flat=True)
    )
    params = {"count": len(titles), "titles": titles[:20]}
    return notify(reviewers, Kind.SUBMISSIONS_WAITING, f"submissions:{day.isoformat()}", params, "/admin/")


def daily(now=None) -> list[str]:
    """The once-a-day jobs due (after NOTIFICATIONS_DIGEST_HOUR, local time) and not yet done today."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
        return []
    done = []
    for job, work in (("submissions", lambda: staff_submissions_digest(local.date())), ("digest", send_digests)):
        try:
            with transaction.atomic():
                DailyRun.objects.create(job=job, day=local.date())
        except IntegrityError:
            continue
        work()
        done.append(job)
    return done


def sweep(now=None) -> dict:
    """Pick up what a dead worker left and do what is due: fan-outs not moving, e-mails not sent,
    e-mails stuck "being sent" (given up: never risk sending twice), the daily jobs."""
    now = now or timezone.now()
    stale = now - STALE_AFTER
    resumed = list(FanOut.objects.filter(done_at__isnull=True, updated_at__lt=stale).values_list("pk", flat=True))
    for pk in resumed:
        _queue_fan_out(pk)
    given_up = Notification.objects.filter(
        email_status=EmailStatus.SENDING, emailed_at__lt=now - SENDING_GIVEN_UP_AFTER
    ).update(email_status=EmailStatus.FAILED)
    late = Notification.objects.filter(Q(email_status=EmailStatus.PENDING), created_at__lt=stale).exists()
    sent = send_pending(limit=1000) if late else 0
    return {"fan_outs_resumed": len(resumed), "emails_given_up": given_up, "emails_sent": sent, "daily": daily(now)}
