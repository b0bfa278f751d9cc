"""Orders from checkout to money counted: the one place that changes them.

    start_checkout()  a pending order, the amount computed here (never taken from the browser);
                      the browser's checkout token makes a double-click one order
    confirm_return()  the payer came back from the provider: check the amount, ask the provider
    settle()          one transaction: order paid, ledger entry, entitlement or funding total,
                      then (after commit) page cache, badges and the receipt e-mail
    fail()            the provider said no, or the amount was tampered with
    reconcile()       ask the provider about an order still pending (timeouts, lost redirects)

Every path is idempotent: a replayed success URL, a replayed webhook, or the redirect and the
webhook arriving together count the money once (settle() re-reads the order under a row lock
and does nothing if it is no longer pending).
"""

from __future__ import annotations

import functools
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log as log_action

from films.models import FundingTotal
from watching.access import age_gate
from watching.models import Entitlement, EntitlementSource

from . import ledger, tickets
from .alerts import alert_amount_mismatch
from .models import PAID_STATUSES, LedgerKind, Order, OrderKind, OrderStatus, PurchaseLock
from .providers import Payment, PaymentStatus, ProviderDeclined, ProviderUnavailable, charging_at_confirm, get_provider
from .signals import order_paid, order_refunded, purchase_paid_twice
from .tickets import Ticket

log = logging.getLogger(__name__)

# Closed here, yet payable at the provider for a while (a Stripe session paid in another tab just
# as it was expired): when the provider says such an order was paid, the money is counted.
LATE_PAYABLE = (OrderStatus.EXPIRED, OrderStatus.CANCELLED)


class CheckoutRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def enabled_providers() -> list[str]:
    return list(settings.PAYMENT_PROVIDERS)


# A film rated 19 is sold only to members who may watch it (`watching.age`).
AGE_CHECK_FIRST = gettext_lazy(
    "Films rated 19+ are sold to members who confirmed their age: confirm yours on the film's watch page first."
)


def start_checkout(
    member,
    *,
    project=None,
    film=None,
    ticket: Ticket | None = None,
    amount=None,
    tier=None,
    provider: str,
    client_token: str,
    anonymous: bool = False,
    message: str = "",
    shipping: dict[str, str] | None = None,
) -> Order:
    """A pending order for `member`, or the one this checkout token already made.

    One of `project` (a donation), `film` (a purchase) or `ticket` (`donations.tickets`) says what
    is paid for. `shipping` (Order's shipping_* fields) is where a reward sent by post goes; kept on
    donations only.
    """

    if not EmailAddress.objects.filter(user=member, verified=True).exists():
        raise CheckoutRefused(_("Confirm your e-mail address first."))
    if provider not in enabled_providers():
        raise CheckoutRefused(_("That payment method is not available."))
    client_token = (client_token or "")[:64]
    if len(client_token) < 16:
        raise CheckoutRefused(_("Reload the page and try again."))
    existing = Order.objects.filter(member=member, client_token=client_token).first()
    if existing:
        return existing

    if ticket is not None:
        kind, amount = OrderKind.TICKET, ticket.price
        if ticket.refusal or ticket.price <= 0:
            raise CheckoutRefused(ticket.refusal or _("This ticket is not for sale."))
        target = {"film": ticket.film, "item": ticket.item}
    elif film is not None:
        kind, amount = OrderKind.PURCHASE, film.price
        if reason := purchase_refusal(film):
            raise CheckoutRefused(reason)
        if age_gate(member, film) is not None:
            raise CheckoutRefused(AGE_CHECK_FIRST)
        target = {"film": film}
    else:
        kind = OrderKind.DONATION
        if project is None or not project.live:
            raise CheckoutRefused(_("This project is not taking donations."))
        if tier is not None:
            if tier.project_id != project.pk:
                raise CheckoutRefused(_("That reward belongs to another project."))
            amount = tier.amount
        try:
            amount = int(amount)
        except (TypeError, ValueError):
            raise CheckoutRefused(_("Enter an amount in won.")) from None
        minimum = project.minimum_donation or settings.DONATION_MINIMUM
        if amount < minimum:
            raise CheckoutRefused(
                _("The smallest donation to this project is %(minimum)s KRW.") % {"minimum": f"{minimum:,}"}
            )
        if amount > settings.DONATION_MAXIMUM:
            raise CheckoutRefused(
                _("Online donations are limited to %(maximum)s KRW at a time.")
                % {"maximum": f"{settings.DONATION_MAXIMUM:,}"}
            )
        target = {"project": project, "tier": tier}
    try:
        with transaction.atomic():
            if ticket is not None:
                waiting = _ticket_under_way(member, ticket, provider)
                if waiting:
                    return waiting
            elif film is not None:
                waiting = _purchase_under_way(member, film, provider, amount)
                if waiting:
                    return waiting
            return Order.objects.create(
                member=member,
                kind=kind,
                provider=provider,
                amount=amount,
                client_token=client_token,
                is_anonymous=bool(anonymous) and kind == OrderKind.DONATION,
                message=(message or "")[:500] if kind == OrderKind.DONATION else "",
                **((shipping or {}) if kind == OrderKind.DONATION else {}),
                **target,
            )
    except IntegrityError:  # the same click arrived twice at the same moment
        return Order.objects.get(member=member, client_token=client_token)


def purchase_refusal(film) -> str | None:
    """Why `film` cannot be bought now, or None when it can.

    Only a live, paid film whose own video is ready to stream is sold: a film still "coming soon"
    would take the money for something the buyer cannot watch.
    """
    if not film.live or film.price <= 0:
        return _("This film is not for sale.")
    if not film.is_available:
        return _(
            "This film is coming soon: it goes on sale when its video is ready to watch. "
            "Ask to be notified on the film's page."
        )
    return None


def lock_purchase(member_id: int, film_id: int | str) -> None:
    """Hold the member's lock for this film (or ticket item) until the caller's transaction ends:
    starting and confirming purchases of one thing by one member happen one at a time (tabs line up)."""
    assert transaction.get_connection().in_atomic_block, "the purchase lock is held by a transaction"
    key = f"{member_id}:{film_id}"
    PurchaseLock.objects.get_or_create(key=key)
    PurchaseLock.objects.select_for_update().get(key=key)


def _purchase_under_way(member, film, provider: str, amount: int) -> Order | None:
    """Under the member's lock for the film: refuse a film they own, and give back the purchase of it
    already on its way with this provider (another tab), so that tab's checkout continues instead
    of a second one (with Stripe the same Checkout Session, created with the order's idempotency key)."""

    lock_purchase(member.pk, film.pk)
    if Entitlement.objects.active().filter(user=member, film=film).exists():
        raise CheckoutRefused(_("You already own this film."))
    return (
        Order.objects.filter(
            member=member,
            film=film,
            kind=OrderKind.PURCHASE,
            provider=provider,
            status=OrderStatus.PENDING,
            amount=amount,
            created_at__gt=timezone.now() - settings.PAYMENT_PENDING_EXPIRES_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def _ticket_under_way(member, ticket: Ticket, provider: str) -> Order | None:
    """As `_purchase_under_way`, for a ticket: refuse a second one, give back the checkout of it
    already on its way with this provider."""

    lock_purchase(member.pk, ticket.item)
    if tickets.holds(member, ticket.item):
        raise CheckoutRefused(_("You already have a ticket."))
    return (
        Order.objects.filter(
            member=member,
            item=ticket.item,
            kind=OrderKind.TICKET,
            provider=provider,
            status=OrderStatus.PENDING,
            amount=ticket.price,
            created_at__gt=timezone.now() - settings.PAYMENT_PENDING_EXPIRES_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def confirm_return(order: Order, reference: str, claimed_amount) -> Order:
    """The payer is back with the provider's `reference` and the amount the URL claims."""
    if order.status != OrderStatus.PENDING:
        return order  # a replayed success URL: already settled (or failed) once
    try:
        claimed = int(claimed_amount)
    except (TypeError, ValueError):
        claimed = -1
    if claimed != order.amount:
        # Tampered (or broken) URL: never confirm a different amount; the payer is not charged.
        fail(order, "AMOUNT_MISMATCH", _("The amount did not match the order, so nothing was charged."))
        return order
    provider = get_provider(order.provider)
    if order.kind == OrderKind.PURCHASE and provider.charges_on_confirm:
        # The payer is charged only when we confirm: decide under the member's lock for the film
        # whether this one may be, so a second tab's payment is stopped before it costs anything.
        # The lock is held through the provider's answer; the next tab then sees this one's outcome.
        with transaction.atomic():
            lock_purchase(order.member_id, order.film_id)
            order.refresh_from_db()
            if order.status != OrderStatus.PENDING:
                return order  # another tab with the same order confirmed it meanwhile
            stop = _bought_elsewhere(order)
            if stop:
                close_pending(order, OrderStatus.CANCELLED, *stop)
                order.refresh_from_db()
                return order
            return _confirm(order, provider, reference)
    return _confirm(order, provider, reference)


def _already_owned() -> tuple[str, str]:
    return "ALREADY_OWNED", _("You already own this film, so this payment was stopped and nothing was charged.")


def _awaiting_answer(orders):
    """Those of `orders` whose payment was sent to a provider that charges at our confirm, with
    the outcome still open: a confirm whose answer was lost, or a bank transfer awaited."""

    return orders.filter(status=OrderStatus.PENDING, provider__in=charging_at_confirm()).exclude(provider_reference="")


def _bought_elsewhere(order: Order) -> tuple[str, str] | None:
    """Why this purchase must not be charged (code, message): the member owns the film or paid for
    it in another order, or another order's payment for it awaits the provider's answer. None when
    nothing stands in the way."""

    others = Order.objects.filter(member_id=order.member_id, film_id=order.film_id, kind=OrderKind.PURCHASE).exclude(
        pk=order.pk
    )
    owned = Entitlement.objects.active().filter(user_id=order.member_id, film_id=order.film_id).exists()
    if owned or others.filter(status__in=PAID_STATUSES).exists():
        return _already_owned()
    if _awaiting_answer(others).exists():
        return "PURCHASE_UNDER_WAY", _(
            "Another payment for this film is already on its way, so this one was stopped and nothing was charged."
        )
    return None


def _confirm(order: Order, provider, reference: str) -> Order:
    try:
        payment = provider.confirm(order, reference, order.amount)
    except ProviderDeclined as declined:
        fail(order, declined.code, declined.message)
        return order
    except ProviderUnavailable:
        # We do not know whether it went through: the order stays pending and reconcile() asks later.
        log.warning("payment provider unavailable while confirming %s", order.public_id)
        Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(provider_reference=reference)
        order.provider_reference = reference
        return order
    return apply(order, payment)


def apply(order: Order, payment: Payment) -> Order:
    """Bring the order in line with what the provider says about it."""
    if payment.status == PaymentStatus.PAID:
        if payment.amount != order.amount:
            # Money moved, but not the amount this order is for: count nothing and tell staff, who
            # check it with the provider and refund it.
            log.error(
                "order %s: the provider reports %s KRW paid, the order is for %s KRW",
                order.public_id,
                payment.amount,
                order.amount,
            )
            alert = functools.partial(
                alert_amount_mismatch.enqueue,
                order.public_id,
                str(order.get_provider_display()),
                payment.amount,
                order.amount,
                payment.reference,
            )
            transaction.on_commit(alert)
            if order.status == OrderStatus.PENDING:
                _mark_closed(
                    order,
                    OrderStatus.FAILED,
                    "AMOUNT_MISMATCH",
                    _("The provider reported a different amount; the order was stopped."),
                )
            order.refresh_from_db()
            return order
        return settle(order, payment)
    if (
        payment.status in (PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED)
        and order.status == OrderStatus.PENDING
    ):
        status = {"failed": OrderStatus.FAILED, "cancelled": OrderStatus.CANCELLED, "expired": OrderStatus.EXPIRED}
        _mark_closed(order, status[payment.status], payment.failure_code, payment.failure_message)
    elif payment.status == PaymentStatus.PENDING and (payment.instructions or payment.due_at):
        # Waiting for the payer (a transfer to a virtual account): keep what they need to finish.
        Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
            payment_instructions=payment.instructions,
            payable_until=payment.due_at,
            provider_reference=payment.reference or order.provider_reference,
            provider_secret=payment.secret or order.provider_secret,
            method=payment.method[:40] or order.method,
        )
    order.refresh_from_db()
    return order


def settle(order: Order, payment: Payment, *, notify: bool = True) -> Order:
    """Count a payment the provider confirmed: once, however often it is called.

    `notify=False` skips what follows a payment for the payer (badges, the receipt e-mail): for
    demo donations loaded by `load_demo_content`, never for a real one.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("member").get(pk=order.pk)
        if locked.status not in (OrderStatus.PENDING, *LATE_PAYABLE):
            return locked  # the webhook or the other tab got here first: counted once
        if locked.status != OrderStatus.PENDING:
            log.warning("order %s was %s here but paid at the provider: counted late", locked.public_id, locked.status)
        if locked.kind == OrderKind.DONATION:
            FundingTotal.objects.get_or_create(project_id=locked.project_id)
            total = FundingTotal.objects.select_for_update().get(project_id=locked.project_id)
            first_from_member = not Order.objects.filter(
                member_id=locked.member_id, project_id=locked.project_id, status__in=PAID_STATUSES
            ).exists()
        now = timezone.now()
        locked.transition(
            OrderStatus.PAID,
            paid_at=now,
            provider_reference=payment.reference or locked.provider_reference,
            provider_payment_id=payment.payment_id,
            provider_secret=payment.secret,
            provider_fee=payment.fee,
            method=payment.method[:40],
            receipt_url=payment.receipt_url[:500],
            payment_instructions=payment.instructions or locked.payment_instructions,
        )
        if locked.kind == OrderKind.DONATION:
            FundingTotal.objects.filter(pk=total.pk).update(
                amount=F("amount") + locked.amount, backers=F("backers") + (1 if first_from_member else 0)
            )
        elif locked.kind == OrderKind.TICKET:
            # A second ticket for the same event (two tabs): counted, then refunded by itself.
            if tickets.holding(locked.member_id, locked.item).exclude(pk=locked.pk).exists():
                transaction.on_commit(lambda: _refund_double_purchase(locked.pk))
        else:
            # Bought twice (two tabs, two checkouts): the money is counted like any payment, the
            # film is not "bought" again, and the second payment is refunded by itself after commit.
            already_owned = (
                Entitlement.objects.active()
                .select_for_update()
                .filter(user_id=locked.member_id, film_id=locked.film_id)
                .exclude(order_reference=locked.public_id)
                .exists()
            )
            # The member's other checkouts of this film end here (a Stripe session open in another
            # tab is expired), so none of them can be paid as well.
            transaction.on_commit(lambda: close_other_purchases(locked.pk))
            if already_owned:
                transaction.on_commit(lambda: _refund_double_purchase(locked.pk))
            else:
                Entitlement.objects.update_or_create(
                    user_id=locked.member_id,
                    film_id=locked.film_id,
                    defaults={
                        "source": EntitlementSource.PURCHASE,
                        "order_reference": locked.public_id,
                        "revoked_at": None,
                    },
                )
        # The ledger's entry kinds are named as the order kinds: a donation, a purchase, a ticket.
        ledger.append(
            key=ledger.chain_key_for(locked),
            kind=LedgerKind(locked.kind),
            amount=locked.amount,
            backer=ledger.backer_label(locked),
            order=locked,
            project_id=locked.project_id,
            film_id=locked.film_id,
        )
        if notify:
            transaction.on_commit(lambda: _after_paid(locked.pk))
    return locked


def _after_paid(order_id: int) -> None:
    # Cached pages are left alone: their totals are refreshed by the live endpoint (views.funding).
    # The receipt is queued by a listener (donations.tasks), badges by another (members).
    order = Order.objects.select_related("member").get(pk=order_id)
    order_paid.send_robust(sender=Order, order=order)


def close_other_purchases(order_id: int) -> None:
    """Close the member's other pending purchases of the film `order_id` paid for (a Stripe session
    is expired at Stripe). One whose payment awaits the provider's answer is left to
    reconciliation: if it was paid after all, it is counted and refunded by itself."""
    order = Order.objects.get(pk=order_id)
    others = Order.objects.filter(
        member_id=order.member_id, film_id=order.film_id, kind=OrderKind.PURCHASE, status=OrderStatus.PENDING
    ).exclude(pk=order.pk)
    for other in others.exclude(pk__in=_awaiting_answer(others).values("pk")):
        close_pending(other, OrderStatus.CANCELLED, *_already_owned())


def _refund_double_purchase(order_id: int) -> None:
    purchase_paid_twice.send_robust(sender=Order, order=Order.objects.get(pk=order_id))


def fail(order: Order, code: str, message: str) -> None:
    close_pending(order, OrderStatus.FAILED, code, message)


def _mark_closed(order: Order, status: str, code: str, message: str) -> None:
    if order.status == OrderStatus.PENDING:
        order.transition(status, failure_code=(code or "")[:64], failure_message=(message or "")[:500])


def close_pending(order: Order, status: str, code: str, message: str) -> None:
    """End a pending order as failed, cancelled or expired, with the reason; anything else is left alone.

    The provider is told first (a Stripe Checkout Session is expired), so the payer cannot pay
    an order we have closed. If the provider says it cannot be closed because it was paid
    meanwhile, the payment is counted instead; if it does not answer, the order stays pending
    and reconciliation tries again.
    """
    if order.status != OrderStatus.PENDING:
        return
    try:
        get_provider(order.provider).close(order)
    except ProviderUnavailable:
        log.warning("provider did not answer while closing %s; it stays pending", order.public_id)
        return
    except ProviderDeclined:
        try:
            payment = get_provider(order.provider).lookup(order)
        except (ProviderDeclined, ProviderUnavailable):
            payment = None
        if payment is not None and payment.status != PaymentStatus.FAILED:
            apply(order, payment)  # paid meanwhile (counted), or still in flight (stays pending)
            return
    _mark_closed(order, status, code, message)


def _still_in_flight(order: Order, payment: Payment) -> bool:
    """A payment the provider is still waiting for: e.g. a virtual account before its due date."""
    due = payment.due_at or order.payable_until
    return payment.status == PaymentStatus.PENDING and due is not None and due > timezone.now()


def reconcile(order: Order) -> Order:
    """Ask the provider about an order (after a timeout, a lost redirect, a webhook, or in the
    periodic round). A pending order is settled, closed or left waiting; a closed one (expired or
    cancelled here) that the provider says was paid after all is counted, late."""
    if order.status not in (OrderStatus.PENDING, *LATE_PAYABLE):
        return order
    try:
        payment = get_provider(order.provider).lookup(order)
    except ProviderUnavailable:
        return order
    except ProviderDeclined as declined:
        if (
            order.status == OrderStatus.PENDING
            and timezone.now() - order.created_at > settings.PAYMENT_PENDING_EXPIRES_AFTER
        ):
            close_pending(order, OrderStatus.EXPIRED, declined.code, declined.message)
        return order
    if order.status != OrderStatus.PENDING:
        return apply(order, payment) if payment.status == PaymentStatus.PAID else order
    if (
        payment.status == PaymentStatus.PENDING
        and not _still_in_flight(order, payment)
        and timezone.now() - order.created_at > settings.PAYMENT_PENDING_EXPIRES_AFTER
    ):
        close_pending(order, OrderStatus.EXPIRED, "EXPIRED", _("The payment was not completed in time."))
        order.refresh_from_db()
        return order
    return apply(order, payment)


class RefundRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refund(order: Order, amount: int, *, by, reason: str, refund_account: dict | None = None) -> Order:
    """Give back `amount` of a paid order through its provider; the ledger, totals, entitlement and
    badges follow, and the member is e-mailed. Partial refunds may repeat up to the amount paid.

    The order's row stays locked from the check of the refundable amount to the record of the
    refund, the provider's call included: two staff members refunding the same order at once are
    served one after the other, and the second sees what the first did. `by` is None for refunds
    the system makes by itself (a film bought twice).
    """

    reason = (reason or "").strip()
    if not reason:
        raise RefundRefused(_("Give a reason: the member is told it."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("member").get(pk=order.pk)
        if locked.status not in PAID_STATUSES:
            raise RefundRefused(_("Only a paid order can be refunded."))
        if not 0 < amount <= locked.refundable_amount:
            raise RefundRefused(_("Refund between 1 and %(max)s KRW.") % {"max": f"{locked.refundable_amount:,}"})
        # One key per refund step: a retried click is answered by the provider, not repeated.
        key = f"refund-{locked.public_id}-{locked.refunded_amount}-{amount}"
        if locked.payment_instructions.get("kind") == "virtual_account" and not refund_account:
            raise RefundRefused(_("This was a bank transfer: give the account the money goes back to."))
        try:
            get_provider(locked.provider).refund(locked, amount, reason, key, refund_account)
        except (ProviderDeclined, ProviderUnavailable) as error:
            raise RefundRefused(
                _("The provider refused the refund: %(message)s") % {"message": error.message}
            ) from error
        refunded = locked.refunded_amount + amount
        full = refunded == locked.amount
        locked.transition(OrderStatus.REFUNDED if full else OrderStatus.PARTIALLY_REFUNDED, refunded_amount=refunded)
        if locked.kind == OrderKind.DONATION:
            total = FundingTotal.objects.select_for_update().get(project_id=locked.project_id)
            still_backer = Order.objects.filter(
                member_id=locked.member_id, project_id=locked.project_id, status__in=PAID_STATUSES
            ).exists()
            FundingTotal.objects.filter(pk=total.pk).update(
                amount=F("amount") - amount, backers=F("backers") - (0 if still_backer else 1)
            )
        elif full and locked.kind == OrderKind.PURCHASE:
            # Only the entitlement this order gave: one granted by another purchase or by staff stays.
            Entitlement.objects.filter(
                user_id=locked.member_id, film_id=locked.film_id, order_reference=locked.public_id
            ).update(revoked_at=timezone.now())
        ledger.append(
            key=ledger.chain_key_for(locked),
            kind=LedgerKind.REFUND,
            amount=-amount,
            backer=ledger.backer_label(locked),
            order=locked,
            note=reason[:200],
            project_id=locked.project_id,
            film_id=locked.film_id,
        )
        log_action(locked, "donations.order.refund", user=by, data={"amount": amount, "reason": reason})
        transaction.on_commit(lambda: _after_refund(locked.pk, amount, reason))
    return locked


def _after_refund(order_id: int, amount: int, reason: str) -> None:
    # The member's notice is queued by a listener (donations.tasks), badges recomputed by another.
    order = Order.objects.select_related("member").get(pk=order_id)
    order_refunded.send_robust(sender=Order, order=order, amount=amount, reason=reason)
