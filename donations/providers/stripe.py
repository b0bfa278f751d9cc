"""Stripe, for cards from abroad: a hosted Checkout Session for one payment.

begin() creates the session (amount in KRW, a zero-decimal currency, so won not ×100) and sends
the payer to it; the session expires when we would expire the order, and is expired at once
when the payer cancels or we close the order (close()). The return URL and the signed webhook
(checkout.session.completed / async_payment_succeeded / async_payment_failed / expired) both
lead to confirm()/lookup(), which read the session (and, for a bank debit, its PaymentIntent)
back from Stripe and check reference, amount and currency. Refunds go through the Refunds API. Every write carries an idempotency key; STRIPE_API_BASE points the
official client at a local server in tests.
"""

from __future__ import annotations

import logging
import time

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from .base import (
    Payment,
    PaymentStatus,
    Provider,
    ProviderDeclined,
    ProviderUnavailable,
    Start,
    WebhookNotice,
    WebhookRefused,
)


def client() -> stripe.StripeClient:
    options = {"max_network_retries": 0}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    http = stripe.RequestsClient(timeout=settings.PAYMENT_HTTP_TIMEOUT)
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, http_client=http, **options)


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise ProviderUnavailable("NETWORK", str(error)) from error
    except stripe.StripeError as error:
        status = getattr(error, "http_status", None) or 0
        code = getattr(error, "code", None) or type(error).__name__
        if status >= 500:
            raise ProviderUnavailable(str(code), str(error)) from error
        raise ProviderDeclined(str(code), getattr(error, "user_message", None) or str(error)) from error


# A PaymentIntent in these states after Checkout completed: the (asynchronous) payment failed.
FAILED_INTENT = {"requires_payment_method", "canceled"}


def _session_payment(order, session, intent_status: str = "") -> Payment:
    if session.get("client_reference_id") != order.public_id or (session.get("currency") or "").lower() != "krw":
        raise ProviderDeclined("SESSION_MISMATCH", "The Checkout Session belongs to another order.")
    if session.get("payment_status") == "paid":
        status = PaymentStatus.PAID
    elif session.get("status") == "expired":
        status = PaymentStatus.EXPIRED
    elif session.get("status") == "complete" and intent_status in FAILED_INTENT:
        status = PaymentStatus.FAILED  # a bank debit that did not go through (async_payment_failed)
    else:
        status = PaymentStatus.PENDING  # open, or complete with an asynchronous payment still processing
    return Payment(
        reference=session["id"],
        status=status,
        amount=int(session.get("amount_total") or 0),
        method="card (Stripe)",
        payment_id=str(session.get("payment_intent") or ""),
        failure_code="ASYNC_PAYMENT_FAILED" if status == PaymentStatus.FAILED else "",
        failure_message="The payment did not go through at the bank." if status == PaymentStatus.FAILED else "",
    )


def session_lifetime() -> int:
    """Seconds a Checkout Session stays payable: our pending window, within Stripe's 30 min – 24 h."""
    return int(min(max(settings.PAYMENT_PENDING_EXPIRES_AFTER.total_seconds(), 30 * 60 + 60), 24 * 3600))


class StripeProvider(Provider):
    name = "stripe"

    def begin(self, order, request) -> Start:
        success = (
            request.build_absolute_uri(reverse("donations:stripe_return"))
            + "?"
            + urlencode({"orderId": order.public_id})
        )
        cancel = (
            request.build_absolute_uri(reverse("donations:payment_failure"))
            + "?"
            + urlencode({"orderId": order.public_id, "code": "PAY_PROCESS_CANCELED", "message": "Checkout was left."})
        )
        session = _call(
            client().v1.checkout.sessions.create,
            params={
                "mode": "payment",
                "client_reference_id": order.public_id,
                "metadata": {"order_id": order.public_id},
                "customer_email": order.member.email,
                "line_items": [
                    {
                        "price_data": {
                            "currency": "krw",
                            "unit_amount": order.amount,
                            "product_data": {"name": order.name[:250]},
                        },
                        "quantity": 1,
                    }
                ],
                "success_url": success + "&session_id={CHECKOUT_SESSION_ID}",
                "cancel_url": cancel,
                # Payable no longer than we keep the order pending (reconciliation expires both).
                "expires_at": int(time.time()) + session_lifetime(),
            },
            options={"idempotency_key": f"checkout-{order.public_id}"},
        )
        type(order).objects.filter(pk=order.pk).update(provider_reference=session.id)
        order.provider_reference = session.id
        return Start(redirect_url=session.url)

    def confirm(self, order, reference: str, amount: int) -> Payment:
        if reference != order.provider_reference:
            raise ProviderDeclined("SESSION_MISMATCH", "The Checkout Session belongs to another order.")
        return self.lookup(order)

    def lookup(self, order) -> Payment:
        if not order.provider_reference:
            raise ProviderDeclined("NOT_FOUND_PAYMENT", "No Checkout Session was created for this order.")
        session = _call(client().v1.checkout.sessions.retrieve, order.provider_reference).to_dict()
        intent_status = ""
        if (
            session.get("status") == "complete"
            and session.get("payment_status") != "paid"
            and session.get("payment_intent")
        ):
            intent = _call(client().v1.payment_intents.retrieve, session["payment_intent"])
            intent_status = intent.to_dict().get("status") or ""
        return _session_payment(order, session, intent_status)

    def parse_webhook(self, request) -> WebhookNotice:
        """Stripe's events, verified with the endpoint's signing secret (a real HMAC over the body, five
        minutes' tolerance); only Checkout Session events are acted on."""
        if not settings.STRIPE_WEBHOOK_SECRET:  # an empty key would make every forged signature "valid"
            logging.getLogger(__name__).error("Stripe webhook received but STRIPE_WEBHOOK_SECRET is not set")
            raise WebhookRefused("webhooks are not configured")
        try:
            event = stripe.Webhook.construct_event(
                request.body, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET, tolerance=300
            )
        except (ValueError, stripe.SignatureVerificationError):
            raise WebhookRefused("bad signature") from None
        if not event["type"].startswith("checkout.session."):
            return WebhookNotice(ignored=True)
        session = event.to_dict()["data"]["object"]
        return WebhookNotice(order_number=session.get("client_reference_id") or "", event_id=event["id"])

    def close(self, order) -> None:
        """Expire the Checkout Session, so the payer cannot pay an order we have closed. Stripe
        refuses for a session that is no longer open (paid, or a payment processing): declined."""
        if not order.provider_reference:
            return
        _call(
            client().v1.checkout.sessions.expire,
            order.provider_reference,
            options={"idempotency_key": f"expire-{order.public_id}"},
        )

    def refund(self, order, amount: int, reason: str, key: str, refund_account: dict | None = None) -> Payment:
        _call(
            client().v1.refunds.create,
            params={
                "payment_intent": order.provider_payment_id,
                "amount": amount,
                "metadata": {"reason": reason[:200]},
            },
            options={"idempotency_key": key},
        )
        refunded = order.refunded_amount + amount
        return Payment(
            reference=order.provider_reference,
            status=PaymentStatus.REFUNDED if refunded >= order.amount else PaymentStatus.PARTIALLY_REFUNDED,
            amount=order.amount,
            refunded_amount=refunded,
        )
