"""Background work for payments: receipts, and asking providers about orders left pending."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reelvision.tasks import schedule_once


@task(backend="db", queue_name="email")
def send_receipt(order_id: int) -> None:
    from .models import Order

    order = Order.objects.select_related("member", "project", "film").get(pk=order_id)
    if order.member.deleted_at:
        return
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "order": order,
        "receipt_url": base + reverse("order_detail", args=[order.public_id]),
        "donations_url": base + reverse("my_donations"),
    }
    with translation.override("ko"):
        body = render_to_string("donations/email/receipt.txt", context)
        subject = render_to_string("donations/email/receipt_subject.txt", {"order": order}).strip()
    send_mail(subject, body, None, [order.member.email])


@task(backend="db", queue_name="payments")
def reconcile_pending() -> int:
    """Ask the provider about every order pending for more than a minute, then queue the next round.

    Settles payments whose redirect never came back (or timed out), and expires abandoned ones
    after PAYMENT_PENDING_EXPIRES_AFTER. Returns how many orders were asked about.
    """
    from . import payments
    from .models import Order, OrderStatus

    try:
        asked = 0
        cutoff = timezone.now() - timedelta(minutes=1)
        for order in Order.objects.filter(status=OrderStatus.PENDING, created_at__lt=cutoff).order_by("created_at")[
            :500
        ]:
            payments.reconcile(order)
            asked += 1
        return asked
    finally:
        schedule_reconciliation(delay=settings.PAYMENT_RECONCILE_INTERVAL)


def schedule_reconciliation(delay: float = 0) -> bool:
    """Queue reconcile_pending `delay` seconds from now unless one is already waiting; True if queued."""
    return schedule_once(reconcile_pending, delay)
