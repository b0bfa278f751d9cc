"""Stripe: the official client against a local Stripe-format server; webhooks signed with real HMACs."""

import json
import time

import pytest
import stripe
from django.urls import reverse

from donations import payments
from donations.models import LedgerEntry, Order, ProviderEvent
from films.models import FundingTotal
from members.tests.factories import StaffUserFactory

from .stripe_server import WHSEC

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def stripe_order(client, project, stripe_api, amount=30000):
    page = client.get(reverse("donations:donate", args=[project.pk]))
    token = page.context["form"]["client_token"].value()
    response = client.post(
        reverse("donations:donate", args=[project.pk]), {"amount": amount, "provider": "stripe", "client_token": token}
    )
    order = Order.objects.get(client_token=token)
    assert (
        response.status_code == 302 and response.url == f"https://checkout.stripe.test/c/pay/{order.provider_reference}"
    )
    return order


def signed(event: dict, secret=WHSEC) -> tuple[str, str]:
    payload = json.dumps(event)
    return payload, stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=int(time.time()))


def event_for(session: dict, kind="checkout.session.completed", event_id="evt_1") -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "data": {"object": session},
        "api_version": "2026-10-28.endive",
    }


def test_checkout_session_in_won_with_an_idempotency_key(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    create = stripe_api.requests[0]
    assert create["form"]["line_items[0][price_data][currency]"] == "krw"
    assert create["form"]["line_items[0][price_data][unit_amount]"] == "30000"  # zero-decimal: won, not ×100
    assert create["form"]["client_reference_id"] == order.public_id
    assert create["headers"]["Idempotency-Key"] == f"checkout-{order.public_id}"
    assert "{CHECKOUT_SESSION_ID}" in create["form"]["success_url"]


def test_the_return_url_reads_the_session_back_and_settles_once(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    back = {"orderId": order.public_id, "session_id": order.provider_reference}
    client.get(reverse("donations:stripe_return"), back)
    order.refresh_from_db()
    assert order.status == "pending"  # Stripe says unpaid: the URL alone proves nothing
    stripe_api.complete(order.provider_reference)
    for _ in range(2):
        client.get(reverse("donations:stripe_return"), back)
    order.refresh_from_db()
    assert order.status == "paid" and order.provider_payment_id.startswith("pi_")
    assert FundingTotal.objects.get(project=project).amount == 30000 and LedgerEntry.objects.count() == 1


def test_another_session_id_in_the_url_is_refused(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    other = stripe_order(client, project, stripe_api, amount=1000)
    stripe_api.complete(other.provider_reference)
    client.get(reverse("donations:stripe_return"), {"orderId": order.public_id, "session_id": other.provider_reference})
    order.refresh_from_db()
    assert order.status == "failed" and FundingTotal.objects.get(project=project).amount == 0


def test_a_signed_webhook_settles_once_and_a_replay_is_ignored(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    session = stripe_api.complete(order.provider_reference)
    payload, header = signed(event_for(session))
    hook = type(client)()
    for _ in range(2):
        response = hook.post(
            reverse("donations:stripe_webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
        assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "paid" and LedgerEntry.objects.count() == 1
    assert ProviderEvent.objects.filter(provider="stripe", event_id="evt_1").count() == 1


def test_forged_webhooks_are_400_and_change_nothing(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    session = dict(stripe_api.sessions[order.provider_reference], payment_status="paid")
    hook = type(client)()
    payload, header = signed(event_for(session), secret="whsec_wrong")
    assert (
        hook.post(
            reverse("donations:stripe_webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        ).status_code
        == 400
    )
    assert hook.post(reverse("donations:stripe_webhook"), payload, content_type="application/json").status_code == 400
    unknown = dict(session, client_reference_id="rv_unknown")
    payload, header = signed(event_for(unknown, event_id="evt_2"))
    assert (
        hook.post(
            reverse("donations:stripe_webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        ).status_code
        == 400
    )
    # Correctly signed but Stripe itself says unpaid: looked up, nothing counted.
    payload, header = signed(event_for(session, event_id="evt_3"))
    assert (
        hook.post(
            reverse("donations:stripe_webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        ).status_code
        == 200
    )
    order.refresh_from_db()
    assert order.status == "pending" and FundingTotal.objects.get(project=project).amount == 0


def test_stripe_reporting_another_amount_fails_the_order(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    stripe_api.complete(order.provider_reference, amount=3000)
    client.get(reverse("donations:stripe_return"), {"orderId": order.public_id, "session_id": order.provider_reference})
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "AMOUNT_MISMATCH"


def test_a_stripe_outage_keeps_the_order_pending(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    stripe_api.complete(order.provider_reference)
    stripe_api.mode = "error"
    client.get(reverse("donations:stripe_return"), {"orderId": order.public_id, "session_id": order.provider_reference})
    order.refresh_from_db()
    assert order.status == "pending"
    stripe_api.mode = "normal"
    payments.reconcile(order)
    order.refresh_from_db()
    assert order.status == "paid"


def test_refunds_through_stripe(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    stripe_api.complete(order.provider_reference)
    client.get(reverse("donations:stripe_return"), {"orderId": order.public_id, "session_id": order.provider_reference})
    order.refresh_from_db()
    payments.refund(order, 10000, by=StaffUserFactory(), reason="partial")
    refund = next(r for r in stripe_api.requests if r["path"] == "/v1/refunds")
    assert refund["form"]["payment_intent"] == order.provider_payment_id and refund["form"]["amount"] == "10000"
    assert refund["headers"]["Idempotency-Key"] == f"refund-{order.public_id}-0-10000"
    order.refresh_from_db()
    assert order.status == "partially_refunded" and FundingTotal.objects.get(project=project).amount == 20000


def test_a_stripe_outage_at_checkout_says_so_and_charges_nothing(client, stripe_api, member, project):
    stripe_api.mode = "error"
    page = client.get(reverse("donations:donate", args=[project.pk]))
    token = page.context["form"]["client_token"].value()
    response = client.post(
        reverse("donations:donate", args=[project.pk]), {"amount": 5000, "provider": "stripe", "client_token": token}
    )
    assert response.status_code == 200
    assert "The payment provider is not answering." in response.content.decode()
    order = Order.objects.get(client_token=token)
    assert order.status == "failed"
    # The form carries a new token: trying again makes a new order once Stripe is back.
    new_token = response.context["form"]["client_token"].value()
    assert new_token != token
    stripe_api.mode = "normal"
    response = client.post(
        reverse("donations:donate", args=[project.pk]),
        {"amount": 5000, "provider": "stripe", "client_token": new_token},
    )
    assert response.status_code == 302 and Order.objects.count() == 2


def post_event(client, event):
    payload, header = signed(event)
    return type(client)().post(
        reverse("donations:stripe_webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_the_session_is_payable_no_longer_than_the_order_stays_pending(client, stripe_api, member, project, settings):
    from datetime import timedelta

    settings.PAYMENT_PENDING_EXPIRES_AFTER = timedelta(hours=2)
    before = int(time.time())
    order = stripe_order(client, project, stripe_api)
    expires_at = stripe_api.sessions[order.provider_reference]["expires_at"]
    assert before + 2 * 3600 <= expires_at <= int(time.time()) + 2 * 3600


def test_cancelling_at_stripe_expires_the_session_so_it_cannot_be_paid_later(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    client.get(reverse("donations:payment_failure"), {"orderId": order.public_id, "code": "PAY_PROCESS_CANCELED"})
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert stripe_api.sessions[order.provider_reference]["status"] == "expired"


def test_a_session_paid_in_another_tab_while_cancelling_is_counted(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    stripe_api.complete(order.provider_reference)  # paid in another tab a moment ago
    client.get(reverse("donations:payment_failure"), {"orderId": order.public_id, "code": "PAY_PROCESS_CANCELED"})
    order.refresh_from_db()
    assert order.status == "paid" and FundingTotal.objects.get(project=project).amount == 30000


def test_a_bank_debit_stays_pending_until_stripe_says_how_it_ended(client, stripe_api, member, project, settings):
    from datetime import timedelta

    settings.PAYMENT_PENDING_EXPIRES_AFTER = timedelta(seconds=0)  # even past our own window
    failed = stripe_order(client, project, stripe_api)
    session = stripe_api.start_bank_debit(failed.provider_reference)
    assert post_event(client, event_for(session, "checkout.session.completed", "evt_a")).status_code == 200
    failed.refresh_from_db()
    assert failed.status == "pending"  # the money is on its way: not expired, not counted
    session = stripe_api.bank_debit_result(failed.provider_reference, succeeded=False)
    post_event(client, event_for(session, "checkout.session.async_payment_failed", "evt_b"))
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.failure_code == "ASYNC_PAYMENT_FAILED"

    paid = stripe_order(client, project, stripe_api, amount=20000)
    stripe_api.start_bank_debit(paid.provider_reference)
    session = stripe_api.bank_debit_result(paid.provider_reference, succeeded=True)
    post_event(client, event_for(session, "checkout.session.async_payment_succeeded", "evt_c"))
    paid.refresh_from_db()
    assert paid.status == "paid" and FundingTotal.objects.get(project=project).amount == 20000


def test_an_order_closed_here_but_paid_at_stripe_is_counted_late(client, stripe_api, member, project):
    order = stripe_order(client, project, stripe_api)
    stripe_api.mode = "error"  # Stripe is down while we expire the order: the session stays open
    Order.objects.filter(pk=order.pk).update(status="expired", failure_code="EXPIRED")
    stripe_api.mode = "normal"
    session = stripe_api.complete(order.provider_reference)  # the payer pays anyway
    assert post_event(client, event_for(session, event_id="evt_late")).status_code == 200
    order.refresh_from_db()
    assert order.status == "paid" and LedgerEntry.objects.filter(order=order).count() == 1
    assert FundingTotal.objects.get(project=project).amount == 30000


def test_webhooks_are_refused_while_no_endpoint_secret_is_configured(client, stripe_api, member, project, settings):
    order = stripe_order(client, project, stripe_api)
    session = stripe_api.complete(order.provider_reference)
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload, header = signed(event_for(session), secret="")  # what a forger could sign with an empty key
    response = type(client)().post(
        reverse("donations:stripe_webhook"), payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "pending"
