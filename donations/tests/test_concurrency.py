"""Money under concurrency, on PostgreSQL: parallel confirmations add up exactly, and a redirect
racing its own webhook counts once. (SQLite serialises writers, so these run on PostgreSQL only.)"""

import pytest
from django.db import connection

from donations import ledger, payments
from donations.models import LedgerEntry, Order, OrderStatus
from donations.providers import Payment
from donations.tests.helpers import run_in_threads
from films.models import FundingTotal
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and parallel writers need PostgreSQL"),
]

CONFIRMATIONS = 200


def pending_order(project, member, amount, n):
    return Order.objects.create(
        member=member,
        kind="donation",
        project=project,
        provider="sandbox",
        amount=amount,
        client_token=f"token-{n:04d}-xxxxxxxxxx",
    )


def test_200_parallel_confirmations_add_up_exactly():
    project = FundingProjectPageFactory(minimum_donation=1000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    members = [UserFactory() for _ in range(20)]
    orders = [pending_order(project, members[n % 20], 1000 + n, n) for n in range(CONFIRMATIONS)]

    run_in_threads(
        [
            lambda o=o: payments.settle(o, Payment(reference=f"ref-{o.pk}", status="paid", amount=o.amount))
            for o in orders
        ]
    )

    total = FundingTotal.objects.get(project=project)
    assert total.amount == sum(o.amount for o in orders)
    assert total.backers == 20
    assert Order.objects.filter(status=OrderStatus.PAID).count() == CONFIRMATIONS
    assert LedgerEntry.objects.filter(chain_id=f"project:{project.pk}").count() == CONFIRMATIONS
    assert ledger.verify(f"project:{project.pk}").ok
    assert sorted(LedgerEntry.objects.values_list("sequence", flat=True)) == list(range(1, CONFIRMATIONS + 1))


def test_the_redirect_and_the_webhook_at_the_same_moment_count_once():
    project = FundingProjectPageFactory(minimum_donation=1000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    order = pending_order(project, UserFactory(), 7000, 1)
    paid = Payment(reference="ref", status="paid", amount=7000)

    run_in_threads([lambda: payments.settle(Order.objects.get(pk=order.pk), paid) for _ in range(8)], workers=8)

    assert FundingTotal.objects.get(project=project).amount == 7000
    assert LedgerEntry.objects.count() == 1


def test_success_redirects_and_webhooks_racing_through_the_real_views_count_each_payment_once(toss):
    """The payer's browser comes back from Toss while Toss's webhook arrives, both through our real
    views and the real Toss client, at the same moment, for several orders at once."""
    import json

    from django.test import Client
    from django.urls import reverse

    project = FundingProjectPageFactory(minimum_donation=1000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    member = UserFactory()
    orders = []
    for n in range(6):
        order = pending_order(project, member, 3000 + n, n)
        Order.objects.filter(pk=order.pk).update(provider="toss")
        key = toss.authorise(order.public_id, order.amount)
        orders.append((order, key))

    def come_back(order, key):
        browser = Client()
        browser.force_login(member)
        query = {"paymentType": "NORMAL", "orderId": order.public_id, "paymentKey": key, "amount": order.amount}
        assert browser.get(reverse("donations:payment_success"), query).status_code == 302

    def webhook(order, key):
        # Toss's PAYMENT_STATUS_CHANGED: by the time it is sent, the payment may be DONE or not yet.
        body = {"eventType": "PAYMENT_STATUS_CHANGED", "data": {"paymentKey": key, "orderId": order.public_id}}
        assert (
            Client()
            .post(reverse("donations:toss_webhook"), json.dumps(body), content_type="application/json")
            .status_code
            == 200
        )

    work = []
    for order, key in orders:
        work += [lambda o=order, k=key: come_back(o, k), lambda o=order, k=key: webhook(o, k)] * 2
    run_in_threads(work, workers=len(work))
    for order, key in orders:  # whatever the webhooks saw, Toss's later retries settle the rest
        webhook(order, key)

    assert Order.objects.filter(status=OrderStatus.PAID).count() == 6
    assert FundingTotal.objects.get(project=project).amount == sum(order.amount for order, _ in orders)
    assert LedgerEntry.objects.filter(chain_id=f"project:{project.pk}").count() == 6
    confirms = [r for r in toss.requests if r["path"] == "/v1/payments/confirm"]
    assert len({r["headers"]["Idempotency-Key"] for r in confirms}) == 6  # one key per order, however often sent
