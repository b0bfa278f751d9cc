"""Helpers the donations tests share (orders made and paid, staff in English, threads that start
together), imported by test modules; fixtures live in conftest.py."""

import itertools
import threading
from contextlib import contextmanager
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import connections
from django.urls import reverse
from wagtail.users.models import UserProfile

from donations import payments
from donations.models import Order
from donations.payouts import Period
from donations.providers import Payment
from films.models import FundingProjectPage
from members.tests.factories import UserFactory

SEOUL = ZoneInfo("Asia/Seoul")


JANUARY = Period.month(2026, 1)


def seoul(*args) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def paid_order(target, amount: int, *, when: datetime, fee: int | None = None) -> Order:
    """A donation (to a project) or purchase (of a film) confirmed through payments.settle at `when`."""
    is_project = isinstance(target, FundingProjectPage)
    order = Order.objects.create(
        member=UserFactory(),
        kind="donation" if is_project else "purchase",
        provider="sandbox",
        amount=amount,
        client_token=f"payout-test-{next(_tokens):06d}",
        **({"project": target} if is_project else {"film": target}),
    )
    with at(when):
        return payments.settle(order, Payment(reference=f"ref-{order.pk}", status="paid", amount=amount, fee=fee))


def english_user(factory, **kwargs):
    """A user who reads the admin in English, so tests can quote the messages."""
    user = factory(**kwargs)
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return user


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


def toss_order(client, project, amount=10000) -> Order:
    page = client.get(reverse("donations:donate", args=[project.pk]))
    token = page.context["form"]["client_token"].value()
    response = client.post(
        reverse("donations:donate", args=[project.pk]), {"amount": amount, "provider": "toss", "client_token": token}
    )
    order = Order.objects.get(client_token=token)
    assert response.url == reverse("donations:toss_checkout", args=[order.public_id])
    return order


_tokens = itertools.count()


@contextmanager
def at(moment: datetime):
    """Everything written inside happens at `moment` (paid_at, ledger dates)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def answer_late(server_state, settings) -> None:
    """Make the local provider answer after our timeout: a 1 s timeout, a 2 s answer (always lost,
    however busy the machine, since the answer cannot come sooner than the delay)."""
    settings.PAYMENT_HTTP_TIMEOUT = 1
    server_state.mode, server_state.delay = "slow", 2
