"""Members' background work: every e-mail the members app sends goes through the task queue.

E-mails carrying a one-time code or link (allauth's confirmations and password resets, university
codes) wait in `OutgoingEmail` and the task gets only the row's id, so the code never sits in the
task table; the row is deleted once the e-mail is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from .models import OutgoingEmail, PayoutAccount


@task(backend="db", queue_name="email")
def send_payout_account_changed(account_id: int, language: str) -> None:
    """Tell the member their payout account changed (masked number only), in the language they used."""
    account = PayoutAccount.objects.select_related("user").filter(pk=account_id).first()
    if account is None or account.user.deleted_at:
        return
    with translation.override(language):
        subject = translation.gettext("[ReelVision] Your payout account was changed")
        body = render_to_string("members/email/payout_changed.txt", {"user": account.user, "account": account})
    send_mail(subject, body, None, [account.user.email])


@task(backend="db", queue_name="email")
def send_outgoing_email(email_id: int) -> str:
    """Send a queued e-mail and delete it (a replay finds nothing left to send)."""
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return "already sent"
    message = EmailMultiAlternatives(email.subject, email.body, email.from_email or None, email.to)
    for content, mimetype in email.alternatives:
        message.attach_alternative(content, mimetype)
    message.send()
    email.delete()
    return "sent"


def queue_email(message: EmailMessage) -> None:
    """Hand `message` to the task worker through the outbox (`OutgoingEmail`), in the caller's
    transaction: the row and its task commit together, or neither does."""
    email = OutgoingEmail.objects.create(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email or "",
        to=list(message.to),
        alternatives=[list(pair) for pair in getattr(message, "alternatives", [])],
    )
    send_outgoing_email.using(backend=settings.OUTBOX_TASK_BACKEND).enqueue(email.pk)
