"""Tickets to a premiere: bought through the site's checkout (the sandbox provider here), held while
their order is paid, opening the stream, the chat and the replay; refused twice, refunded when paid
twice, ended by a full refund."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from donations import payments, tickets
from donations.models import LedgerEntry, Order, OrderStatus
from donations.providers import Payment
from films.tests.factories import FilmPageFactory
from live import access
from live import tickets as premiere_tickets
from live.models import Premiere, PremiereStatus
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

from .helpers import live_premiere, playlist_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def live_dir(settings, tmp_path):
    settings.LIVE_DIR = tmp_path
    return tmp_path


def checkout(client, premiere) -> Order:
    """The watch page's "Buy a ticket", then the checkout's button with the sandbox: the pending order."""
    page = client.get(reverse("live:watch", args=[premiere.pk])).content.decode()
    buy_url = reverse("donations:buy_ticket", args=[premiere_tickets.item(premiere)])
    assert f'href="{buy_url}"' in page
    form = client.get(buy_url).content.decode()
    token = re.search(r'name="client_token" value="([^"]+)"', form).group(1)
    # An amount slipped into the form is not read: the price is the premiere's.
    response = client.post(buy_url, {"provider": "sandbox", "client_token": token, "amount": "1"})
    assert response.status_code == 302
    return Order.objects.get(public_id=response.url.rstrip("/").rsplit("/", 1)[1])


def pay(client, order) -> str:
    """Pay in the sandbox and follow the redirects to the order page; its HTML."""
    response = client.post(
        reverse("donations:sandbox_checkout", args=[order.public_id]), {"outcome": "pay"}, follow=True
    )
    return response.content.decode()


def test_a_member_buys_a_ticket_and_the_stream_opens_until_a_full_refund(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    member = UserFactory(display_name="김지수")
    client.force_login(member)
    assert client.get(playlist_url(premiere, member)).status_code == 403

    order = checkout(client, premiere)
    assert (order.kind, order.amount, order.film_id, order.item) == (
        "ticket",
        5000,
        premiere.page_id,
        f"premiere:{premiere.pk}",
    )
    receipt = pay(client, order)
    assert "Your ticket is ready" in receipt and reverse("live:watch", args=[premiere.pk]) in receipt
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # The money is the film's: its ledger chain, as a ticket.
    entry = LedgerEntry.objects.get(order=order)
    assert (entry.chain_id, entry.kind, entry.amount) == (f"film:{premiere.page_id}", "ticket", 5000)

    assert client.get(playlist_url(premiere, member)).status_code == 200
    watch = client.get(reverse("live:watch", args=[premiere.pk])).content.decode()
    assert "player-config" in watch and "You have a ticket" in watch
    assert "Your tickets" in client.get(reverse("members:my_donations")).content.decode()

    payments.refund(order, 2000, by=StaffUserFactory(), reason="Sound dropped for ten minutes")
    assert client.get(playlist_url(premiere, member)).status_code == 200  # a partial refund keeps the ticket
    payments.refund(order, 3000, by=StaffUserFactory(), reason="Cancelled at the member's request")
    assert client.get(playlist_url(premiere, member)).status_code == 403
    assert "player-config" not in client.get(reverse("live:watch", args=[premiere.pk])).content.decode()


def test_a_changed_amount_on_the_way_back_charges_nothing_and_gives_no_ticket(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    member = UserFactory()
    client.force_login(member)
    order = checkout(client, premiere)
    client.get(reverse("donations:payment_success"), {"orderId": order.public_id, "paymentKey": "x", "amount": 500})
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED and order.failure_code == "AMOUNT_MISMATCH"
    assert not access.may_watch_premiere(member, premiere)


def test_a_holder_is_not_sold_a_second_ticket_and_a_double_payment_is_refunded(
    client,
    live_dir,
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    from donations.tasks import refund_double_purchase

    premiere = live_premiere(live_dir, ticket_price=5000)
    member = UserFactory()
    client.force_login(member)
    ticket = tickets.find(premiere_tickets.item(premiere))
    # A second tab's checkout joins the first one's; two orders paid at once (the second paid at the
    # provider before the first was counted) are made here directly.
    first = payments.start_checkout(member, ticket=ticket, provider="sandbox", client_token="ticket-tab-1-token")
    assert (
        payments.start_checkout(member, ticket=ticket, provider="sandbox", client_token="ticket-tab-2-token") == first
    )
    second = Order.objects.create(
        member=member,
        kind="ticket",
        film=premiere.page,
        item=ticket.item,
        provider="sandbox",
        amount=5000,
        client_token="ticket-tab-3-token",
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.settle(first, Payment(reference="r1", status="paid", amount=5000))
        payments.settle(second, Payment(reference="r2", status="paid", amount=5000))
    assert DBTaskResult.objects.get(task_path="donations.tasks.refund_double_purchase").args_kwargs["args"] == [
        second.pk
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert refund_double_purchase.call(second.pk) == "refunded"
    assert Order.objects.get(pk=first.pk).status == "paid" and Order.objects.get(pk=second.pk).status == "refunded"
    assert access.may_watch_premiere(member, premiere)

    # Holding one, a third checkout is refused, and the buy page sends the member to the premiere.
    with pytest.raises(payments.CheckoutRefused):
        payments.start_checkout(member, ticket=ticket, provider="sandbox", client_token="ticket-tab-4-token")
    response = client.get(reverse("donations:buy_ticket", args=[ticket.item]))
    assert response.status_code == 302 and response.url == reverse("live:watch", args=[premiere.pk])


def test_no_ticket_is_sold_for_a_free_or_cancelled_premiere_or_a_made_up_one(client):
    member = UserFactory()
    client.force_login(member)
    film = FilmPageFactory(owner=CreatorFactory())
    free = Premiere.objects.create(page=film, title="Free", starts_at=timezone.now())
    cancelled = Premiere.objects.create(
        page=film, title="Off", starts_at=timezone.now(), ticket_price=5000, status=PremiereStatus.CANCELLED
    )
    for premiere in (free, cancelled):
        ticket = tickets.find(premiere_tickets.item(premiere))
        with pytest.raises(payments.CheckoutRefused):
            payments.start_checkout(member, ticket=ticket, provider="sandbox", client_token="a-ticket-click-token")
        assert client.get(reverse("donations:buy_ticket", args=[ticket.item])).status_code == 302
    # Made up, or another spelling of a real one's id (which would be a second ticket nobody holds).
    other_spellings = [
        f"premiere:0{cancelled.pk}",
        f"premiere:{cancelled.pk}".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    ]
    for made_up in (
        "premiere:999999",
        "premiere:99999999999999999999999",
        "premiere:-1",
        "premiere:abc",
        "nothing:1",
        *other_spellings,
    ):
        assert client.get(reverse("donations:buy_ticket", args=[made_up])).status_code == 404, made_up
    assert not Order.objects.exists()


def test_the_api_tells_each_requester_whether_they_may_watch(client, live_dir):
    ticketed = live_premiere(live_dir, ticket_price=5000)
    holder, other = UserFactory(), UserFactory()
    Order.objects.create(
        member=holder,
        kind="ticket",
        film=ticketed.page,
        item=premiere_tickets.item(ticketed),
        provider="sandbox",
        amount=5000,
        client_token="api-ticket-token-00",
        status=OrderStatus.PAID,
    )

    def item_for(user):
        if user:
            client.force_login(user)
        else:
            client.logout()
        items = client.get("/api/v2/premieres/").json()["items"]
        return next(item for item in items if item["id"] == ticketed.pk)

    assert item_for(holder)["can_watch"] is True
    assert item_for(other)["can_watch"] is False
    seen = item_for(None)
    assert seen["can_watch"] is False
    assert seen["ticket_url"].endswith(reverse("donations:buy_ticket", args=[f"premiere:{ticketed.pk}"]))
    assert access.watchable(AnonymousUser(), [ticketed]) == set()
    assert access.watchable(ticketed.page.owner, [ticketed]) == {ticketed.pk}


def test_my_tickets_are_listed_each_with_its_premiere_in_as_many_queries_for_one_or_three(client):
    """The member's donations page and `/api/v2/me/orders/` look their tickets' premieres up together."""
    member = UserFactory()
    client.force_login(member)
    film = FilmPageFactory(title="겨울 정류장", owner=CreatorFactory())

    def hold_ticket(title) -> Premiere:
        premiere = Premiere.objects.create(
            page=film, title=title, starts_at=timezone.now(), status=PremiereStatus.SCHEDULED, ticket_price=3000
        )
        order = Order.objects.create(
            member=member, kind="ticket", film=film, item=premiere_tickets.item(premiere), provider="sandbox",
            amount=3000, client_token=f"ticket-{premiere.pk}-token",
        )  # fmt: skip
        payments.settle(order, Payment(reference=f"r{premiere.pk}", status="paid", amount=3000), notify=False)
        return premiere

    def queries_of_both() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("members:my_donations"))
            client.get("/api/v2/me/orders/")
        return len(captured.captured_queries)

    first = hold_ticket("첫 상영")
    queries_of_both()  # fills what is kept until the next publish (the site, the unread count)
    with_one = queries_of_both()
    others = [hold_ticket("두 번째 상영"), hold_ticket("세 번째 상영")]
    queries_of_both()
    assert queries_of_both() == with_one

    page = client.get(reverse("members:my_donations")).content.decode()
    api = client.get("/api/v2/me/orders/").json()["tickets"]
    for premiere in (first, *others):
        assert f'<a href="{reverse("live:watch", args=[premiere.pk])}">{premiere.title}</a>' in page
    assert sorted(ticket["title"] for ticket in api) == ["두 번째 상영", "세 번째 상영", "첫 상영"]


def test_a_holders_watch_page_asks_once_whether_they_hold_a_ticket(client, live_dir):
    premiere = live_premiere(live_dir, ticket_price=5000)
    member = UserFactory()
    client.force_login(member)
    pay(client, checkout(client, premiere))

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("live:watch", args=[premiere.pk])).content.decode()
    assert "data-player" in page and reverse("donations:buy_ticket", args=[premiere_tickets.item(premiere)]) not in page
    asked = [query["sql"] for query in captured.captured_queries if '"donations_order"' in query["sql"]]
    assert len(asked) == 1, asked
