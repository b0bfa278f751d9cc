"""System checks for payments: run by `manage.py check` (with --deploy for the production ones)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sandbox_payments_in_production(app_configs, **kwargs):
    if "sandbox" in settings.PAYMENT_PROVIDERS and not settings.DEBUG:
        return [
            checks.Warning(
                "The sandbox payment method is on: anyone can 'pay' for a film or 'donate' without money moving.",
                hint="Leave PAYMENT_SANDBOX unset (or false) in production; only a staging site should set it.",
                id="donations.W001",
            )
        ]
    return []


@checks.register()
def payment_providers_are_configured(app_configs, **kwargs):
    problems = []
    if "stripe" in settings.PAYMENT_PROVIDERS and not settings.STRIPE_WEBHOOK_SECRET:
        problems.append(
            checks.Error(
                "Stripe is offered but STRIPE_WEBHOOK_SECRET is empty: its webhooks could not be verified.",
                hint="Set STRIPE_WEBHOOK_SECRET to the endpoint's signing secret (whsec_…).",
                id="donations.E002",
            )
        )
    if "toss" in settings.PAYMENT_PROVIDERS and not (settings.TOSS_CLIENT_KEY and settings.TOSS_SECRET_KEY):
        problems.append(
            checks.Error(
                "Toss Payments is offered but TOSS_CLIENT_KEY or TOSS_SECRET_KEY is empty.",
                hint="Set both keys of the payment widget (test_gck_/test_gsk_ or live ones).",
                id="donations.E003",
            )
        )
    unknown = set(settings.PAYMENT_PROVIDERS) - {"sandbox", "toss", "stripe"}
    if unknown:
        problems.append(
            checks.Error(
                f"Unknown payment providers in PAYMENT_PROVIDERS: {', '.join(sorted(unknown))}.", id="donations.E004"
            )
        )
    return problems
