"""Refunds by staff: through the provider, with the ledger, totals, entitlement, badges and e-mail following."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from donations import ledger, payments
from donations.models import LedgerEntry, Order
from donations.providers import Payment
from donations.tests.factories import paid_donation
from films.models import FundingTotal
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record
from watching.models import Entitlement

from .toss_server import SECRET, TossServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_partial_then_full_refund_by_staff_in_the_admin(client, project, django_capture_on_commit_callbacks):
    member = UserFactory()
    order = paid_donation(project, member, 10000)
    staff = StaffUserFactory()
    client.force_login(staff)
    assert client.get(reverse("orders:index")).status_code == 200
    assert order.public_id in client.get(reverse("orders:edit", args=[order.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orders:refund", args=[order.pk]),
            {"amount": 4000, "reason": "Double payment", "refunded_before": 0},
        )
    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("partially_refunded", 4000)
    total = FundingTotal.objects.get(project=project)
    assert (total.amount, total.backers) == (6000, 1)
    # The member is told by the notifications app, after the refund committed: a mail server that
    # is down cannot undo or repeat the refund.
    assert member.notifications.get(kind="refund").params["amount"] == 4000
    assert mail.outbox[-1].to == [member.email]
    assert "4,000" in mail.outbox[-1].body and "Double payment" in mail.outbox[-1].body
    assert ModelLogEntry.objects.filter(action="donations.order.refund", object_id=str(order.pk), user=staff).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orders:refund", args=[order.pk]),
            {"amount": 6000, "reason": "Asked for it", "refunded_before": 4000},
        )
    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == ("refunded", 10000)
    total = FundingTotal.objects.get(project=project)
    assert (total.amount, total.backers) == (0, 0)
    refunds = LedgerEntry.objects.filter(kind="refund").order_by("sequence")
    assert [e.amount for e in refunds] == [-4000, -6000]
    assert ledger.verify(f"project:{project.pk}").ok
    assert ledger.project_totals_from_ledger(project.pk) == (0, 0)
    assert not member.badges.filter(code="first_donation").exists()  # taken back with the money


def test_more_than_was_paid_cannot_be_refunded(project):
    order = paid_donation(project, UserFactory(), 10000)
    with pytest.raises(payments.RefundRefused):
        payments.refund(order, 10001, by=StaffUserFactory(), reason="x")
    with pytest.raises(payments.RefundRefused):
        payments.refund(order, 100, by=StaffUserFactory(), reason="")
    order.refresh_from_db()
    assert order.status == "paid" and order.refunded_amount == 0


def test_a_fully_refunded_purchase_can_no_longer_be_watched():
    member = UserFactory()
    film = FilmPageFactory(price=3000, main_video=ready_video_record())
    order = Order.objects.create(
        member=member, kind="purchase", film=film, provider="sandbox", amount=3000, client_token="buy-token-0000-xx"
    )
    payments.settle(order, Payment(reference="r", status="paid", amount=3000))
    assert Entitlement.objects.active().filter(user=member, film=film).exists()
    payments.refund(order, 3000, by=StaffUserFactory(), reason="Could not play")
    assert not Entitlement.objects.active().filter(user=member, film=film).exists()


def test_refunds_go_through_toss_with_an_idempotency_key(settings, project):
    server = TossServer()
    settings.TOSS_API_BASE, settings.TOSS_SECRET_KEY, settings.PAYMENT_PROVIDERS = (
        server.url,
        SECRET,
        ["toss", "sandbox"],
    )
    try:
        member = UserFactory()
        order = Order.objects.create(
            member=member,
            kind="donation",
            project=project,
            provider="toss",
            amount=10000,
            client_token="toss-refund-00-xx",
        )
        key = server.state.authorise(order.public_id, 10000)
        payments.confirm_return(order, key, 10000)
        order.refresh_from_db()
        payments.refund(order, 2500, by=StaffUserFactory(), reason="partial")
        cancel = next(r for r in server.state.requests if r["path"].endswith("/cancel"))
        assert cancel["path"] == f"/v1/payments/{key}/cancel"
        assert cancel["body"] == {"cancelReason": "partial", "cancelAmount": 2500}
        assert cancel["headers"]["Idempotency-Key"] == f"refund-{order.public_id}-0-2500"
        assert server.state.payments[key]["status"] == "PARTIAL_CANCELED"
        order.refresh_from_db()
        assert order.refunded_amount == 2500
    finally:
        server.stop()


def test_creators_and_members_cannot_see_or_refund_orders(client, project):
    order = paid_donation(project, UserFactory(), 10000)
    for user in (CreatorFactory(), UserFactory()):
        client.force_login(user)
        assert client.get(reverse("orders:index")).status_code == 302
        client.post(reverse("orders:refund", args=[order.pk]), {"amount": 100, "reason": "mine now"})
    order.refresh_from_db()
    assert order.refunded_amount == 0
