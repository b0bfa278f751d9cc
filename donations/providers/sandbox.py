"""The sandbox: a local checkout page that can succeed, decline or be abandoned. No network.

It speaks Toss's redirect format (success: paymentKey, orderId, amount; failure: code, message,
orderId), so the same success and failure views serve it. A payment key is an HMAC over the
order id, the amount and the outcome: `confirm` accepts only keys this server issued for this
order and this amount, so a tampered amount or a forged key fails like it would at Toss.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import Payment, PaymentStatus, Provider, ProviderDeclined, Start

# Toss-like reasons the sandbox page can decline with, worded for the payer in their language.
DECLINE_REASONS = {
    "REJECT_CARD_COMPANY": _("The card company refused the payment. Try another card."),
    "EXCEED_MAX_DAILY_PAYMENT_COUNT": _("This card has reached its daily number of payments."),
    "INVALID_CARD_EXPIRATION": _("The card has expired."),
    "NOT_AVAILABLE_BANK": _("The bank is not available right now. Try again later."),
}


def _sign(order_id: str, amount: int) -> str:
    message = f"sandbox:{order_id}:{amount}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def payment_key(order_id: str, amount: int) -> str:
    return f"sbx_{_sign(order_id, amount)}"


class SandboxProvider(Provider):
    name = "sandbox"
    charges_on_confirm = True

    def begin(self, order, request) -> Start:
        return Start(redirect_url=reverse("donations:sandbox_checkout", args=[order.public_id]))

    def confirm(self, order, reference: str, amount: int) -> Payment:
        if "sandbox" not in settings.PAYMENT_PROVIDERS:  # switched off since the order was made
            raise ProviderDeclined("SANDBOX_OFF", "Test payments are switched off on this site.")
        if not hmac.compare_digest(reference, payment_key(order.public_id, amount)):
            raise ProviderDeclined("NOT_FOUND_PAYMENT", "No such payment (the payment key does not match this order).")
        return Payment(reference=reference, status=PaymentStatus.PAID, amount=amount, method="sandbox card", fee=0)

    def lookup(self, order) -> Payment:
        # The sandbox's only record is the order itself: its status is the payment's.
        status = {
            "paid": PaymentStatus.PAID,
            "partially_refunded": PaymentStatus.PARTIALLY_REFUNDED,
            "refunded": PaymentStatus.REFUNDED,
        }.get(order.status, PaymentStatus.PENDING)
        return Payment(
            reference=order.provider_reference,
            status=status,
            amount=order.amount,
            refunded_amount=order.refunded_amount,
        )

    def refund(self, order, amount: int, reason: str, key: str, refund_account: dict | None = None) -> Payment:
        refunded = order.refunded_amount + amount
        return Payment(
            reference=order.provider_reference,
            status=PaymentStatus.REFUNDED if refunded >= order.amount else PaymentStatus.PARTIALLY_REFUNDED,
            amount=order.amount,
            refunded_amount=refunded,
        )
