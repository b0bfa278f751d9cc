"""Toss webhooks whose body is not a Toss webhook get a 400 and change nothing."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Order
from donations.providers.toss import WebhookUnreadable, parse_webhook

from .helpers import toss_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def pending(client, toss, member, project):
    """A pending Toss order; yields it with the Toss server, whose requests must not grow."""
    order = toss_order(client, project)
    toss.authorise(order.public_id, order.amount)
    return order, toss


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'[{"orderId": "rv_x"}]',
        b'"rv_x"',
        b"42",
        b"null",
        b'{"data": {"orderId": ["rv_x"]}}',
        b'{"orderId": {"$ne": ""}}',
        b'{"orderId": "rv_\\u0000x"}',
        b'{"orderId": "' + b"x" * 200 + b'"}',
        b"\xff\xfe{}",
        b"",
    ],
    ids=[
        "array",
        "array-of-objects",
        "string",
        "number",
        "null",
        "list-id",
        "object-id",
        "nul-id",
        "long-id",
        "bom",
        "empty",
    ],
)
def test_a_body_that_is_not_a_toss_webhook_is_a_400_and_changes_nothing(pending, body):
    """Arrays, scalars, an orderId that is not an order number (NUL, list, object, too long): 400, no look-up."""
    order, toss = pending
    asked = len(toss.requests)

    response = Client().post(reverse("donations:toss_webhook"), body, content_type="application/json")

    assert response.status_code == 400
    assert response.content.startswith(b"not a Toss webhook")
    assert len(toss.requests) == asked
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_a_deposit_callback_with_a_non_ascii_or_non_text_secret_is_refused(pending):
    """A secret that is not ASCII text is a wrong secret (400), not an error in the comparison."""
    order, toss = pending
    Order.objects.filter(pk=order.pk).update(provider_secret="ps_real")
    for secret in ("비밀", 12345, None):
        body = {"secret": secret, "status": "DONE", "orderId": order.public_id}
        response = Client().post(reverse("donations:toss_webhook"), json.dumps(body), content_type="application/json")
        assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_parse_webhook_reads_both_shapes():
    """The nested payment event and the flat deposit callback name the same order."""
    nested = parse_webhook(b'{"eventType": "PAYMENT_STATUS_CHANGED", "data": {"orderId": "rv_abc"}}')
    flat = parse_webhook(b'{"secret": "ps_1", "status": "DONE", "orderId": "rv_abc"}')
    assert (nested.order_id, nested.is_deposit) == ("rv_abc", False)
    assert (flat.order_id, flat.is_deposit, flat.secret) == ("rv_abc", True, "ps_1")
    with pytest.raises(WebhookUnreadable):
        parse_webhook(b"[]")
