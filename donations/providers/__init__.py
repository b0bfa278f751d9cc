"""Payment providers behind one interface: Toss Payments, Stripe, and the local sandbox.

A provider starts a payment for a pending order (`begin`: where to send the payer), confirms a
payment the payer says they made (`confirm`: asks the provider, never trusts the browser),
looks one up again (`lookup`: webhooks and reconciliation) and refunds (`refund`).

Errors: `ProviderDeclined` (the provider said no: a card refused, an amount mismatch; the order
fails with the provider's code) and `ProviderUnavailable` (timeouts, 5xx: the order stays
pending and reconciliation asks again later).
"""

from __future__ import annotations

from .base import (
    Payment,
    PaymentStatus,
    Provider,
    ProviderDeclined,
    ProviderError,
    ProviderUnavailable,
    Start,
    WebhookNotice,
    WebhookRefused,
)
from .sandbox import SandboxProvider
from .stripe import StripeProvider
from .toss import TossProvider

__all__ = [
    "Payment",
    "PaymentStatus",
    "Provider",
    "ProviderDeclined",
    "ProviderError",
    "ProviderUnavailable",
    "Start",
    "WebhookNotice",
    "WebhookRefused",
    "charging_at_confirm",
    "get_provider",
]

PROVIDERS: dict[str, type[Provider]] = {"sandbox": SandboxProvider, "toss": TossProvider, "stripe": StripeProvider}


def get_provider(name: str) -> Provider:
    return PROVIDERS[name]()


def charging_at_confirm() -> list[str]:
    """The providers whose payers are charged only when we confirm."""
    return [name for name, provider in PROVIDERS.items() if provider.charges_on_confirm]
