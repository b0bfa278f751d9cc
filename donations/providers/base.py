"""The contract between our payment code and a provider: one response dataclass (`Payment`), where
the payer goes next (`Start`), the two errors, and the `Provider` interface. Each provider module
owns its wire format and answers in these terms; nothing outside a provider reads its JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class PaymentStatus(StrEnum):
    """Where a payment stands at the provider, in our words (each provider maps its own)."""

    PAID = "paid"
    PENDING = "pending"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


@dataclass
class Payment:
    """What a provider says about a payment."""

    reference: str  # Toss paymentKey, Stripe Checkout Session id, sandbox key
    status: PaymentStatus
    amount: int
    method: str = ""
    receipt_url: str = ""
    payment_id: str = ""  # Stripe's payment_intent
    secret: str = ""  # Toss's per-payment secret (virtual-account callbacks)
    fee: int | None = None
    refunded_amount: int = 0
    failure_code: str = ""
    failure_message: str = ""
    # Still payable until then (a virtual account awaiting its deposit): not expired before it.
    due_at: datetime | None = None
    # What the payer needs to finish paying (a virtual account: bank, number, holder, due date).
    instructions: dict = field(default_factory=dict)


@dataclass
class Start:
    """Where the payer continues: the provider's page, or ours that shows the provider's widget."""

    redirect_url: str


class ProviderError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ProviderDeclined(ProviderError):
    pass


class ProviderUnavailable(ProviderError):
    pass


@dataclass(frozen=True)
class WebhookNotice:
    """What a provider's webhook tells us, in our terms. Nothing in it is believed beyond which order
    to ask about again: the generic view then asks the provider (`payments.reconcile`)."""

    order_number: str = ""  # our order's public number
    event_id: str = ""  # the provider's id for the event, when it has one: each is handled once
    secret: str | None = None  # a secret the order's own must match (Toss deposit callbacks)
    ignored: bool = False  # an event of a kind we do not act on (answered 200, nothing done)


class WebhookRefused(ValueError):
    """A request that is not a genuine webhook of this provider; the message says why (a 400)."""


class Provider:
    name = ""
    # True when the payer is charged only by our confirm() (Toss, the sandbox): until then a
    # payment can still be stopped at no cost. Stripe charges on its own page, before we hear of it.
    charges_on_confirm = False

    def begin(self, order, request) -> Start:  # pragma: no cover - interface
        raise NotImplementedError

    def confirm(self, order, reference: str, amount: int) -> Payment:  # pragma: no cover - interface
        raise NotImplementedError

    def lookup(self, order) -> Payment:  # pragma: no cover - interface
        raise NotImplementedError

    def refund(
        self, order, amount: int, reason: str, key: str, refund_account: dict | None = None
    ) -> Payment:  # pragma: no cover - interface
        """`refund_account` ({bank_code, account_number, holder}): where a bank transfer goes back to."""
        raise NotImplementedError

    def parse_webhook(self, request) -> WebhookNotice:
        """Read (and, where the provider signs them, verify) a webhook request; raises WebhookRefused."""
        raise WebhookRefused("this provider sends no webhooks")

    def close(self, order) -> None:
        """Make sure the payer can no longer pay this order (we are closing it). Raises
        ProviderDeclined when it cannot be closed (e.g. it was paid meanwhile)."""
        return None  # nothing to release: Toss and the sandbox only charge when we confirm
