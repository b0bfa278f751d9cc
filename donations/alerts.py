"""Alerts to staff about money that needs a person, sent by the task worker (never from a request)."""

from __future__ import annotations

from django.core.mail import mail_admins
from django.tasks import task


@task(backend="db", queue_name="email")
def alert_amount_mismatch(order_public_id: str, provider: str, paid: int, expected: int, reference: str) -> None:
    """A provider reported another amount paid than the order's: nothing was counted; staff check it
    with the provider and refund."""
    mail_admins(
        f"Payment amount mismatch on order {order_public_id}",
        f"{provider} reports {paid} KRW paid (reference {reference}); the order is for {expected} KRW. "
        "Nothing was counted. Check it with the provider and refund.",
    )
