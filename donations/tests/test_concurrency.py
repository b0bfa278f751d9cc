"""Money under concurrency, on PostgreSQL: parallel confirmations add up exactly, and a redirect
racing its own webhook counts once. (SQLite serialises writers, so these run on PostgreSQL only.)"""

import threading

import pytest
from django.db import connection, connections

from donations import ledger, payments
from donations.models import FundingTotal, LedgerEntry, Order, OrderStatus
from donations.providers import Payment
from films.tests.factories import FundingProjectPageFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and parallel writers need PostgreSQL"),
]

CONFIRMATIONS = 200
WORKERS = 16  # parallel workers, each with its own database connection


def run_in_threads(functions, workers=WORKERS):
    """Run `functions` on `workers` threads that all start at the same moment."""
    barrier = threading.Barrier(workers)
    errors = []
    slices = [functions[n::workers] for n in range(workers)]

    def run(batch):
        try:
            barrier.wait()
            for function in batch:
                function()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(batch,)) for batch in slices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]


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
