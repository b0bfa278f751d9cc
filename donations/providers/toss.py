"""Toss Payments: the payment widget on our checkout page, then the Core API from the server.

    confirm   POST /v1/payments/confirm {paymentKey, orderId, amount}
    lookup    GET  /v1/payments/orders/{orderId}
    refund    POST /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount[, refundReceiveAccount]}

A virtual account (가상계좌) is confirmed as WAITING_FOR_DEPOSIT: the order stays pending, shows
the account to transfer to, and is not expired before the account's due date; the deposit
arrives as a webhook (DEPOSIT_CALLBACK) and is looked up like any other. Refunding such a
payment needs the account the money goes back to (refundReceiveAccount).

Basic auth with the secret key and an empty password; every write carries an Idempotency-Key
derived from the order (and the refund), so a retried request is answered, not repeated. Errors
come back as {"code", "message"}: 4xx is the provider saying no (ProviderDeclined), timeouts and
5xx mean we do not know (ProviderUnavailable: the order stays pending and is asked about again).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime

import requests
from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from donations.banks import bank_name

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

# Toss payment status → ours.
STATUSES = {
    "DONE": PaymentStatus.PAID,
    "CANCELED": PaymentStatus.REFUNDED,
    "PARTIAL_CANCELED": PaymentStatus.PARTIALLY_REFUNDED,
    "ABORTED": PaymentStatus.FAILED,
    "EXPIRED": PaymentStatus.EXPIRED,
    "READY": PaymentStatus.PENDING,
    "IN_PROGRESS": PaymentStatus.PENDING,
    "WAITING_FOR_DEPOSIT": PaymentStatus.PENDING,
}


def customer_key(member_id: int) -> str:
    """Stable per member (Toss remembers their methods by it) and unguessable, as Toss asks."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"toss-customer:{member_id}".encode(), hashlib.sha256)
    return "rv_" + digest.hexdigest()[:40]


def _virtual_account(data: dict) -> tuple[dict, datetime | None]:
    """A virtual account's transfer details and due date, as the payer needs them."""
    account = data.get("virtualAccount") or {}
    if not account.get("accountNumber"):
        return {}, None
    due = parse_datetime(str(account.get("dueDate") or ""))
    instructions = {
        "kind": "virtual_account",
        "bank_code": str(account.get("bankCode") or ""),
        "bank": bank_name(str(account.get("bankCode") or "")),
        "account_number": str(account["accountNumber"]),
        "holder": str(account.get("customerName") or ""),
        "due": due.isoformat() if due else "",
    }
    return instructions, due


def _payment(data: dict) -> Payment:
    status = STATUSES.get(data.get("status", ""), PaymentStatus.PENDING)
    cancels = data.get("cancels") or []
    refunded = sum(int(c.get("cancelAmount") or 0) for c in cancels)
    if status == PaymentStatus.REFUNDED and not refunded:
        status = PaymentStatus.CANCELLED  # cancelled before any money moved
    instructions, due = _virtual_account(data)
    if data.get("status") != "WAITING_FOR_DEPOSIT":
        due = None  # only a payment still waiting for its deposit is kept open until the due date
    return Payment(
        due_at=due,
        instructions=instructions,
        reference=data.get("paymentKey", ""),
        status=status,
        amount=int(data.get("totalAmount") or 0),
        method=str(data.get("method") or "")[:40],
        receipt_url=((data.get("receipt") or {}).get("url") or "")[:500],
        secret=str(data.get("secret") or ""),
        refunded_amount=refunded,
        failure_code=((data.get("failure") or {}).get("code") or ""),
        failure_message=((data.get("failure") or {}).get("message") or ""),
    )


class TossProvider(Provider):
    name = "toss"
    charges_on_confirm = True

    def _request(self, method: str, path: str, *, json=None, idempotency_key: str = "") -> dict:
        token = base64.b64encode(f"{settings.TOSS_SECRET_KEY}:".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key[:300]
        try:
            response = requests.request(
                method,
                settings.TOSS_API_BASE.rstrip("/") + path,
                json=json,
                headers=headers,
                timeout=settings.PAYMENT_HTTP_TIMEOUT,
            )
        except requests.RequestException as error:
            raise ProviderUnavailable("NETWORK", str(error)) from error
        if response.status_code >= 500:
            raise ProviderUnavailable(f"HTTP_{response.status_code}", response.text[:200])
        try:
            body = response.json()
        except ValueError as error:
            raise ProviderUnavailable("BAD_RESPONSE", response.text[:200]) from error
        if response.status_code >= 400:
            raise ProviderDeclined(
                str(body.get("code") or f"HTTP_{response.status_code}"), str(body.get("message") or "")
            )
        return body

    def begin(self, order, request) -> Start:
        return Start(redirect_url=reverse("donations:toss_checkout", args=[order.public_id]))

    def widget(self, order, request) -> dict:
        """What the widget page needs (all public: the client key is meant for browsers)."""
        return {
            "clientKey": settings.TOSS_CLIENT_KEY,
            "customerKey": customer_key(order.member_id),
            "amount": order.amount,
            "orderId": order.public_id,
            "orderName": order.name[:100],
            "customerEmail": order.member.email,
            "customerName": order.member.get_short_name()[:50],
            "successUrl": request.build_absolute_uri(reverse("donations:payment_success")),
            "failUrl": request.build_absolute_uri(reverse("donations:payment_failure")),
        }

    def confirm(self, order, reference: str, amount: int) -> Payment:
        body = {"paymentKey": reference, "orderId": order.public_id, "amount": amount}
        try:
            data = self._request(
                "POST", "/v1/payments/confirm", json=body, idempotency_key=f"confirm-{order.public_id}"
            )
        except ProviderDeclined as declined:
            if declined.code == "ALREADY_PROCESSED_PAYMENT":
                return self.lookup(order)  # confirmed by an earlier attempt whose answer we lost
            raise
        return _payment(data)

    def lookup(self, order) -> Payment:
        return _payment(self._request("GET", f"/v1/payments/orders/{order.public_id}"))

    def parse_webhook(self, request) -> WebhookNotice:
        """Toss's payment events carry no signature, so only the order they name is taken; a deposit
        callback also carries the payment's secret, which the order's must match."""
        try:
            notice = parse_webhook(request.body)
        except WebhookUnreadable as error:
            raise WebhookUnreadable(f"not a Toss webhook: {error}") from None
        return WebhookNotice(order_number=notice.order_id, secret=notice.secret if notice.is_deposit else None)

    def refund(self, order, amount: int, reason: str, key: str, refund_account: dict | None = None) -> Payment:
        body = {"cancelReason": reason[:200] or "refund", "cancelAmount": amount}
        if refund_account:  # a virtual-account payment goes back to an account the payer gives
            body["refundReceiveAccount"] = {
                "bank": refund_account["bank_code"],
                "accountNumber": refund_account["account_number"],
                "holderName": refund_account["holder"],
            }
        path = f"/v1/payments/{order.provider_reference}/cancel"
        return _payment(self._request("POST", path, json=body, idempotency_key=key))


@dataclass(frozen=True)
class TossNotice:
    """What a Toss webhook body says: which order to look at again, and a deposit callback's secret."""

    order_id: str
    is_deposit: bool
    secret: str


class WebhookUnreadable(WebhookRefused):
    """A body that is not a Toss webhook; the message says why (Toss shows it in its console)."""


# Our order numbers are `rv_` + 32 URL-safe characters; Toss's orderId is at most 64 characters.
_ORDER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def parse_webhook(body: bytes) -> TossNotice:
    """Read a PAYMENT_STATUS_CHANGED or DEPOSIT_CALLBACK body; raises WebhookUnreadable.

    Payment events are nested (`{"eventType", "createdAt", "data": {...payment}}`); a virtual
    account's deposit callback may also come flat (`{"createdAt", "secret", "status",
    "transactionKey", "orderId"}`). Nothing here is believed beyond the order it names.
    """
    try:
        message = json.loads(body)
    except ValueError:
        raise WebhookUnreadable("the body is not JSON") from None
    if not isinstance(message, dict):
        raise WebhookUnreadable("the body is not a JSON object")
    data = message["data"] if isinstance(message.get("data"), dict) else message
    order_id = data.get("orderId")
    if not isinstance(order_id, str) or not _ORDER_ID.match(order_id):
        raise WebhookUnreadable("orderId is missing or is not an order number")
    is_deposit = message.get("eventType") == "DEPOSIT_CALLBACK" or ("secret" in data and "eventType" not in message)
    secret = data.get("secret", "")
    return TossNotice(order_id=order_id, is_deposit=is_deposit, secret=secret if isinstance(secret, str) else "")
