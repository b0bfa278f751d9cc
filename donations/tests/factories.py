"""Test data for donations: rights holders, and donations paid through the real settlement."""

import secrets
from decimal import Decimal

import factory

from donations import payments
from donations.models import Order, RightsHolder
from donations.providers import Payment
from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory


class RightsHolderFactory(factory.django.DjangoModelFactory):
    """A member's share of a film (`member=...`) or a person's (`member=None, person=...`)."""

    page = factory.SubFactory(FilmPageFactory)
    member = factory.SubFactory(UserFactory)
    person = None
    share = Decimal("100")
    role = ""
    sort_order = factory.Sequence(int)

    class Meta:
        model = RightsHolder


def paid_donation(project, member=None, amount: int = 5000, **fields):
    """A donation to `project` confirmed through the real `payments.settle()`: order paid, ledger
    entry, funding total and backers, exactly as a payment would leave them. `fields` go on the
    order (`tier`, `is_anonymous`, `message`, `provider`, ...)."""
    fields.setdefault("provider", "sandbox")
    order = Order.objects.create(
        member=member or UserFactory(),
        kind="donation",
        project=project,
        amount=amount,
        client_token="test-" + secrets.token_hex(12),
        **fields,
    )
    return payments.settle(order, Payment(reference=f"ref-{order.pk}", status="paid", amount=amount))
