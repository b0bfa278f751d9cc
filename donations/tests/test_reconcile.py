"""Reconciliation: orders left pending are settled or expired by asking the provider; it reschedules itself."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donations.models import Order
from donations.tasks import reconcile_pending, schedule_reconciliation
from films.models import FundingTotal
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import UserFactory

from .toss_server import SECRET, TossServer

pytestmark = [pytest.mark.django_db]


def pending(project, provider, age, n):
    order = Order.objects.create(
        member=UserFactory(),
        kind="donation",
        project=project,
        provider=provider,
        amount=5000,
        client_token=f"rec-token-{n:04d}-xx",
    )
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - age)
    order.refresh_from_db()
    return order


def test_pending_orders_are_settled_or_expired_by_asking_the_provider(settings):
    server = TossServer()
    settings.TOSS_API_BASE, settings.TOSS_SECRET_KEY, settings.PAYMENT_PROVIDERS = (
        server.url,
        SECRET,
        ["toss", "sandbox"],
    )
    settings.PAYMENT_PENDING_EXPIRES_AFTER = timedelta(minutes=30)
    try:
        project = FundingProjectPageFactory(minimum_donation=1000)
        FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
        paid_at_toss = pending(project, "toss", timedelta(minutes=5), 1)
        key = server.state.authorise(paid_at_toss.public_id, 5000)
        server.state.payments[key]["status"] = "DONE"
        never_paid = pending(project, "toss", timedelta(hours=2), 2)  # Toss has no such payment
        abandoned_sandbox = pending(project, "sandbox", timedelta(hours=2), 3)
        too_fresh = pending(project, "sandbox", timedelta(seconds=10), 4)

        assert reconcile_pending.call() == 3
        statuses = {o.pk: o.status for o in Order.objects.all()}
        assert statuses[paid_at_toss.pk] == "paid"
        assert statuses[never_paid.pk] == "expired"
        assert statuses[abandoned_sandbox.pk] == "expired"
        assert statuses[too_fresh.pk] == "pending"
        assert FundingTotal.objects.get(project=project).amount == 5000
    finally:
        server.stop()


def test_the_schedule_keeps_exactly_one_round_waiting():
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=reconcile_pending.module_path)
    call_command("reconcile_payments", "--schedule")
    call_command("reconcile_payments", "--schedule")
    assert waiting.count() == 1
    assert schedule_reconciliation() is False
    waiting.delete()
    reconcile_pending.call()  # a round queues the next one
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
