"""System checks keep payments from going live half-configured, and the sandbox out of production."""

from django.core import checks

from donations.checks import payment_providers_are_configured, sandbox_payments_in_production


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_sandbox_on_a_site_without_debug_is_a_deploy_warning(settings):
    settings.DEBUG, settings.PAYMENT_PROVIDERS = False, ["toss", "sandbox"]
    assert ids(sandbox_payments_in_production(None)) == ["donations.W001"]
    assert "donations.W001" in ids(checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security]))
    settings.PAYMENT_PROVIDERS = ["toss"]
    assert sandbox_payments_in_production(None) == []


def test_half_configured_providers_are_errors(settings):
    settings.PAYMENT_PROVIDERS = ["stripe", "toss", "paypal"]
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_x", ""
    settings.TOSS_CLIENT_KEY, settings.TOSS_SECRET_KEY = "test_gck_x", ""
    assert ids(payment_providers_are_configured(None)) == ["donations.E002", "donations.E003", "donations.E004"]
    settings.STRIPE_WEBHOOK_SECRET, settings.TOSS_SECRET_KEY = "whsec_x", "test_gsk_x"
    settings.PAYMENT_PROVIDERS = ["stripe", "toss"]
    assert payment_providers_are_configured(None) == []
