"""Background work for payments: receipts, and asking providers about orders left pending."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reelvision.tasks import schedule_once
from watching.models import Entitlement

from . import payments
from .models import PAID_STATUSES, Order, OrderKind, OrderStatus
from .signals import order_paid, purchase_paid_twice


@task(backend="db", queue_name="email")
def send_receipt(order_id: int) -> None:
    order = Order.objects.select_related("member", "project", "film").get(pk=order_id)
    if order.member.deleted_at:
        return
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "order": order,
        "receipt_url": base + reverse("donations:order_detail", args=[order.public_id]),
        "donations_url": base + reverse("members:my_donations"),
        "ticket_url": base + order.ticket.url if order.ticket else "",
    }
    with translation.override(order.member.language):
        body = render_to_string("donations/email/receipt.txt", context)
        subject = render_to_string("donations/email/receipt_subject.txt", {"order": order}).strip()
    send_mail(subject, body, None, [order.member.email])


@task(backend="db", queue_name="payments")
def refund_double_purchase(order_id: int) -> str:
    """Give back a second payment for a film the member already owned, or a second ticket for one
    event (two tabs, two checkouts)."""
    order = Order.objects.get(pk=order_id)
    if not order.refundable_amount:
        return "nothing to refund"
    with translation.override("ko"):
        if order.kind == OrderKind.TICKET:
            reason = translation.gettext("You already had a ticket, so this second payment was refunded.")
        else:
            reason = translation.gettext("You already owned this film, so this second payment was refunded.")
    payments.refund(order, order.refundable_amount, by=None, reason=reason)
    return "refunded"


@task(backend="db", queue_name="payments")
def reconcile_pending() -> int:
    """Ask the provider about every order pending for more than a minute, then queue the next round.

    Settles payments whose redirect never came back (or timed out), and expires abandoned ones
    after PAYMENT_PENDING_EXPIRES_AFTER. Returns how many orders were asked about.
    """
    try:
        _retry_double_purchase_refunds()
        asked = 0
        cutoff = timezone.now() - timedelta(minutes=1)
        # Least recently asked first, 500 a round: orders a provider cannot answer about (an outage)
        # go to the back of the line instead of blocking the rest.
        waiting = Order.objects.filter(status=OrderStatus.PENDING, created_at__lt=cutoff).order_by("updated_at")
        for order in waiting[:500]:
            payments.reconcile(order)
            Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(updated_at=timezone.now())
            asked += 1
        return asked
    finally:
        schedule_reconciliation(delay=settings.PAYMENT_RECONCILE_INTERVAL)


def _retry_double_purchase_refunds() -> None:
    """Double purchases whose automatic refund has not happened yet (the provider was down): again."""

    owned_through_another_order = (
        Entitlement.objects.active()
        .filter(user_id=OuterRef("member_id"), film_id=OuterRef("film_id"))
        .exclude(order_reference=OuterRef("public_id"))
    )
    stuck = Order.objects.filter(
        kind=OrderKind.PURCHASE,
        status=OrderStatus.PAID,
        refunded_amount=0,
        paid_at__lt=timezone.now() - timedelta(minutes=5),
    ).filter(Exists(owned_through_another_order))
    # A second ticket: another order for the same event, paid before this one and still held.
    ticket_held_before = Order.objects.filter(
        member_id=OuterRef("member_id"),
        kind=OrderKind.TICKET,
        item=OuterRef("item"),
        status__in=PAID_STATUSES,
        paid_at__lt=OuterRef("paid_at"),
    )
    stuck_tickets = Order.objects.filter(
        kind=OrderKind.TICKET,
        status=OrderStatus.PAID,
        refunded_amount=0,
        paid_at__lt=timezone.now() - timedelta(minutes=5),
    ).filter(Exists(ticket_held_before))
    for order_id in [*stuck.values_list("pk", flat=True)[:100], *stuck_tickets.values_list("pk", flat=True)[:100]]:
        refund_double_purchase.enqueue(order_id)


def schedule_reconciliation(delay: float = 0) -> bool:
    """Queue reconcile_pending `delay` seconds from now unless one is already waiting; True if queued."""
    return schedule_once(reconcile_pending, delay)


# --- listeners: what money events start here ---------------------------------------------------


def queue_receipt(sender, order, **kwargs):
    send_receipt.enqueue(order.pk)


def queue_double_purchase_refund(sender, order, **kwargs):
    refund_double_purchase.enqueue(order.pk)


order_paid.connect(queue_receipt, dispatch_uid="donations.receipt")
purchase_paid_twice.connect(queue_double_purchase_refund, dispatch_uid="donations.double_purchase_refund")
