"""Money announces what happened (`donations.signals`) once, after commit; badges listen."""

import pytest

from donations import payments
from donations.models import Order
from donations.providers import Payment
from donations.signals import order_paid, order_refunded
from members.models import BadgeAward
from members.tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What the money signals sent during the test, in order."""
    events = []

    def paid(sender, order, **kwargs):
        events.append(("paid", order.pk))

    def refunded(sender, order, amount, reason, **kwargs):
        events.append(("refunded", order.pk, amount, reason))

    order_paid.connect(paid, dispatch_uid="test.paid")
    order_refunded.connect(refunded, dispatch_uid="test.refunded")
    yield events
    order_paid.disconnect(dispatch_uid="test.paid")
    order_refunded.disconnect(dispatch_uid="test.refunded")


def test_a_payment_is_announced_once_after_commit_and_a_refund_with_its_amount(
    project, heard, django_capture_on_commit_callbacks
):
    member = UserFactory()
    order = Order.objects.create(
        member=member, kind="donation", project=project, provider="sandbox", amount=5000, client_token="t" * 20
    )
    paid = Payment(reference="ref-1", status="paid", amount=5000)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        payments.settle(order, paid)
    assert heard == []  # nothing is announced before the transaction commits
    for callback in pending:
        callback()
    assert heard == [("paid", order.pk)]
    assert BadgeAward.objects.filter(user=member, code="first_donation").exists()  # members listen

    with django_capture_on_commit_callbacks(execute=True):
        payments.settle(Order.objects.get(pk=order.pk), paid)  # the same payment again: nothing new
        payments.refund(Order.objects.get(pk=order.pk), 5000, by=StaffUserFactory(), reason="Changed my mind")
    assert heard == [("paid", order.pk), ("refunded", order.pk, 5000, "Changed my mind")]
    assert not BadgeAward.objects.filter(user=member, code="first_donation").exists()
