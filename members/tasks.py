"""Members' background work: e-mails that need no secret in them go through the task queue.

E-mails carrying a one-time code or link (allauth's confirmations and password resets, university
codes) are sent at once instead: queued, they would sit in the task table's arguments long after use.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from .models import PayoutAccount


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
