"""Toss Payments: the real client code against a local server answering in Toss's formats."""

import base64
import json

import pytest
from django.core import mail
from django.urls import reverse

from donations import payments
from donations.models import LedgerEntry, Order
from donations.tests.helpers import toss_order
from films.models import FundingTotal

from .helpers import answer_late
from .toss_server import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def come_back(client, order, key, amount=None):
    query = {"paymentType": "NORMAL", "orderId": order.public_id, "paymentKey": key, "amount": amount or order.amount}
    return client.get(reverse("donations:payment_success"), query)


def test_the_widget_page_gets_the_servers_amount_and_our_own_sdk(client, toss, member, project):
    order = toss_order(client, project)
    page = client.get(reverse("donations:toss_checkout", args=[order.public_id])).content.decode()
    assert "/static/vendor/tosspayments/index.esm.js" in page
    widget = json.loads(page.split('id="toss-widget" type="application/json">')[1].split("</script>")[0])
    assert (
        widget["amount"] == 10000 and widget["orderId"] == order.public_id and widget["clientKey"] == "test_gck_local"
    )
    assert widget["successUrl"].endswith(reverse("donations:payment_success"))
    # 2–50 characters, stable for the member, and not something anyone could compute without our secret.
    from donations.providers.toss import customer_key

    assert 2 <= len(widget["customerKey"]) <= 50 and widget["customerKey"] == customer_key(member.pk)
    assert widget["customerKey"] != customer_key(member.pk + 1)


def test_confirm_over_http_with_basic_auth_and_an_idempotency_key(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    come_back(client, order, key)
    order.refresh_from_db()
    assert order.status == "paid" and order.provider_reference == key and order.method == "카드"
    assert order.receipt_url.startswith("https://dashboard.tosspayments.com/receipt/")
    confirm = next(r for r in toss.requests if r["path"] == "/v1/payments/confirm")
    assert confirm["headers"]["Authorization"] == "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
    assert confirm["headers"]["Idempotency-Key"] == f"confirm-{order.public_id}"
    assert confirm["body"] == {"paymentKey": key, "orderId": order.public_id, "amount": 10000}
    assert FundingTotal.objects.get(project=project).amount == 10000


def test_a_tampered_amount_is_never_sent_to_toss(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    come_back(client, order, key, amount=100)
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "AMOUNT_MISMATCH"
    assert not any(r["path"] == "/v1/payments/confirm" for r in toss.requests)
    assert not LedgerEntry.objects.exists()


def test_toss_reporting_another_amount_fails_the_order(
    client, toss, member, project, settings, django_capture_on_commit_callbacks
):
    settings.ADMINS = ["staff@example.com"]
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    toss.mode = "mismatch"
    with django_capture_on_commit_callbacks(execute=True):
        come_back(client, order, key)
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "AMOUNT_MISMATCH"
    assert FundingTotal.objects.get(project=project).amount == 0
    # Staff hear of it through the task queue, not from the request.
    from django_tasks_db.models import DBTaskResult

    from donations.alerts import alert_amount_mismatch

    queued = DBTaskResult.objects.get(task_path="donations.alerts.alert_amount_mismatch")
    assert queued.args_kwargs["args"][0] == order.public_id and not mail.outbox
    alert_amount_mismatch.call(*queued.args_kwargs["args"])
    assert mail.outbox[-1].subject == f"[ReelVision] Payment amount mismatch on order {order.public_id}"
    assert mail.outbox[-1].to == ["staff@example.com"] and "9999 KRW paid" in mail.outbox[-1].body


def test_a_declined_card_fails_with_tosss_code(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    toss.mode = "decline"
    response = come_back(client, order, key)
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "REJECT_CARD_PAYMENT"
    assert "한도초과" in client.get(response.url).content.decode()


def test_a_timeout_leaves_the_order_pending_and_reconciliation_settles_it(client, toss, member, project, settings):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    answer_late(toss, settings)  # Toss confirms, but the answer comes after our timeout
    response = come_back(client, order, key)
    order.refresh_from_db()
    assert order.status == "pending" and order.provider_reference == key
    assert "We are checking your payment" in client.get(response.url).content.decode()
    toss.mode = "normal"
    payments.reconcile(order)
    order.refresh_from_db()
    assert order.status == "paid" and FundingTotal.objects.get(project=project).amount == 10000


def test_a_500_leaves_it_pending_and_a_retry_is_answered_from_the_idempotency_key(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    toss.mode = "error"
    come_back(client, order, key)
    order.refresh_from_db()
    assert order.status == "pending"
    toss.mode = "normal"
    come_back(client, order, key)  # the payer reloads the success page
    order.refresh_from_db()
    assert order.status == "paid" and LedgerEntry.objects.count() == 1


def test_the_webhook_looks_the_payment_up_and_counts_once(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    # The payer paid at Toss but never came back (closed the tab): Toss confirms by itself here.
    toss.payments[key]["status"] = "DONE"
    body = {
        "eventType": "PAYMENT_STATUS_CHANGED",
        "createdAt": "2026-11-23T12:00:01",
        "data": {"paymentKey": key, "orderId": order.public_id, "status": "DONE"},
    }
    webhook = type(client)()
    for _ in range(2):  # Toss retries; a replay changes nothing
        response = webhook.post(reverse("donations:toss_webhook"), body, content_type="application/json")
        assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "paid" and FundingTotal.objects.get(project=project).amount == 10000
    assert LedgerEntry.objects.count() == 1


def test_a_forged_webhook_changes_nothing(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)  # Toss says IN_PROGRESS
    webhook = type(client)()
    body = {
        "eventType": "PAYMENT_STATUS_CHANGED",
        "data": {"paymentKey": key, "orderId": order.public_id, "status": "DONE", "totalAmount": 10000},
    }
    assert webhook.post(reverse("donations:toss_webhook"), body, content_type="application/json").status_code == 200
    order.refresh_from_db()
    assert order.status == "pending"  # the body's "DONE" is not believed; Toss's answer is
    unknown = {"eventType": "PAYMENT_STATUS_CHANGED", "data": {"orderId": "rv_not_ours", "status": "DONE"}}
    assert webhook.post(reverse("donations:toss_webhook"), unknown, content_type="application/json").status_code == 400
    assert (
        webhook.post(reverse("donations:toss_webhook"), "garbage", content_type="application/json").status_code == 400
    )
    assert FundingTotal.objects.get(project=project).amount == 0


def test_a_deposit_callback_in_either_shape_is_checked_against_the_payments_secret(client, toss, member, project):
    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000)
    Order.objects.filter(pk=order.pk).update(provider_secret=toss.payments[key]["secret"], provider_reference=key)
    toss.payments[key]["status"] = "DONE"  # the deposit arrived
    webhook = type(client)()
    flat = {"createdAt": "2026-11-30T10:00:00", "secret": "ps_forged", "status": "DONE", "orderId": order.public_id}
    assert webhook.post(reverse("donations:toss_webhook"), flat, content_type="application/json").status_code == 400
    nested = {"eventType": "DEPOSIT_CALLBACK", "data": dict(flat)}
    assert webhook.post(reverse("donations:toss_webhook"), nested, content_type="application/json").status_code == 400
    order.refresh_from_db()
    assert order.status == "pending"
    flat["secret"] = toss.payments[key]["secret"]
    assert webhook.post(reverse("donations:toss_webhook"), flat, content_type="application/json").status_code == 200
    order.refresh_from_db()
    assert order.status == "paid" and FundingTotal.objects.get(project=project).amount == 10000


def test_a_virtual_account_waits_for_the_transfer_then_counts_it(client, toss, member, project, settings):
    from datetime import timedelta

    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000, method="가상계좌")
    response = come_back(client, order, key)
    order.refresh_from_db()
    assert order.status == "pending" and order.payment_instructions["bank"] == "신한은행"
    page = client.get(response.url).content.decode()
    assert "Transfer the amount to finish" in page and order.payment_instructions["account_number"] in page
    assert "10,000" in page and "2099-12-31" in page

    # Hours later, past our usual pending window: still waiting for the transfer, not expired.
    settings.PAYMENT_PENDING_EXPIRES_AFTER = timedelta(seconds=0)
    payments.reconcile(order)
    order.refresh_from_db()
    assert order.status == "pending"

    toss.deposit(key)  # the money arrives; Toss calls us back with the payment's secret
    callback = {"createdAt": "2026-11-30T10:00:00", "secret": toss.payments[key]["secret"], "status": "DONE"}
    callback["orderId"] = order.public_id
    assert (
        type(client)().post(reverse("donations:toss_webhook"), callback, content_type="application/json").status_code
        == 200
    )
    order.refresh_from_db()
    assert order.status == "paid" and FundingTotal.objects.get(project=project).amount == 10000


def test_an_unpaid_virtual_account_expires_after_its_due_date(client, toss, member, project, settings):
    from datetime import timedelta

    toss.due_date = "2020-01-01T00:00:00+09:00"
    order = toss_order(client, project)
    come_back(client, order, toss.authorise(order.public_id, 10000, method="가상계좌"))
    settings.PAYMENT_PENDING_EXPIRES_AFTER = timedelta(seconds=0)
    payments.reconcile(order)
    order.refresh_from_db()
    assert order.status == "expired" and FundingTotal.objects.get(project=project).amount == 0


def test_refunding_a_bank_transfer_needs_the_account_the_money_goes_back_to(client, toss, member, project):
    from members.tests.factories import StaffUserFactory

    order = toss_order(client, project)
    key = toss.authorise(order.public_id, 10000, method="가상계좌")
    come_back(client, order, key)
    toss.deposit(key)
    payments.reconcile(order)
    order.refresh_from_db()
    assert order.status == "paid"
    staff = type(client)()
    staff.force_login(StaffUserFactory())
    url = reverse("orders:refund", args=[order.pk])
    staff.post(url, {"amount": 10000, "reason": "Asked for it", "refunded_before": 0})
    order.refresh_from_db()
    assert order.status == "paid"  # no account given: nothing refunded, nothing sent to Toss
    assert not [r for r in toss.requests if r["path"].endswith("/cancel")]
    letters = {
        "amount": 10000,
        "reason": "Asked",
        "refunded_before": 0,
        "bank_code": "20",
        "account_number": "1002-AB-3456789",
        "holder": "김",
    }
    staff.post(url, letters)  # an account number with letters in it is refused, not "cleaned"
    order.refresh_from_db()
    assert order.status == "paid" and not [r for r in toss.requests if r["path"].endswith("/cancel")]
    staff.post(
        url,
        {
            "amount": 10000,
            "reason": "Asked for it",
            "refunded_before": 0,
            "bank_code": "20",
            "account_number": "1002-123-456789",
            "holder": "김지수",
        },
    )
    order.refresh_from_db()
    assert order.status == "refunded"
    cancel = next(r for r in toss.requests if r["path"].endswith("/cancel"))
    assert cancel["body"]["refundReceiveAccount"] == {
        "bank": "20",
        "accountNumber": "1002123456789",
        "holderName": "김지수",
    }
