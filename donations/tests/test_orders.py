"""Orders through the sandbox: checkout, confirm, failures, replays, double clicks, and the ledger."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.urls import reverse

from donations import ledger, payments
from donations.models import (
    InvalidTransition,
    LedgerEntry,
    Order,
    OrderStatus,
)
from donations.providers import Payment
from donations.providers.sandbox import payment_key
from films.models import FundingTotal
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import UserFactory
from videos.tests.factories import ready_video_record
from watching.models import Entitlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def checkout(client, project, **data):
    page = client.get(reverse("donations:donate", args=[project.pk]))
    token = page.context["form"]["client_token"].value()
    body = {"amount": 5000, "provider": "sandbox", "client_token": token, **data}
    return client.post(reverse("donations:donate", args=[project.pk]), body), token


def pay(client, order, **override):
    query = {
        "paymentKey": payment_key(order.public_id, order.amount),
        "orderId": order.public_id,
        "amount": order.amount,
    }
    query.update(override)
    return client.get(reverse("donations:payment_success"), query)


def test_state_machine_allows_only_documented_moves():
    order = Order(status=OrderStatus.PENDING)
    assert order.can_become(OrderStatus.PAID) and order.can_become(OrderStatus.EXPIRED)
    assert not order.can_become(OrderStatus.REFUNDED)
    for status in (OrderStatus.FAILED, OrderStatus.REFUNDED):
        order.status = status
        assert not order.can_become(OrderStatus.PAID)
    for status in (OrderStatus.EXPIRED, OrderStatus.CANCELLED):  # paid late at the provider: counted
        order.status = status
        assert order.can_become(OrderStatus.PAID) and not order.can_become(OrderStatus.FAILED)
    order.status = OrderStatus.PAID
    assert order.can_become(OrderStatus.PARTIALLY_REFUNDED) and not order.can_become(OrderStatus.PENDING)
    with pytest.raises(InvalidTransition):
        Order(status=OrderStatus.FAILED, public_id="x").transition(OrderStatus.PAID)


def test_a_donation_through_the_sandbox_is_counted_once_with_a_ledger_entry_and_a_receipt(
    client, member, project, django_capture_on_commit_callbacks
):
    response, _ = checkout(client, project, message="화이팅!")
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == reverse("donations:sandbox_checkout", args=[order.public_id])
    assert order.status == "pending" and order.amount == 5000 and order.message == "화이팅!"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("donations:sandbox_checkout", args=[order.public_id]), {"outcome": "pay"})
        response = client.get(response.url)
    assert response.url == reverse("donations:order_detail", args=[order.public_id])
    order.refresh_from_db()
    assert order.status == "paid" and order.paid_at
    total = FundingTotal.objects.get(project=project)
    assert (total.amount, total.backers) == (5000, 1)
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.backer, entry.sequence) == ("donation", 5000, "김*수", 1)
    from django_tasks_db.models import DBTaskResult

    from donations.tasks import send_receipt

    queued = DBTaskResult.objects.get(task_path="donations.tasks.send_receipt")
    assert queued.args_kwargs["args"] == [order.pk]
    send_receipt.call(order.pk)  # as the worker would
    assert mail.outbox[-1].to == [member.email] and order.public_id in mail.outbox[-1].body
    receipt_url = f"http://testserver{reverse('donations:order_detail', args=[order.public_id])}"
    assert receipt_url in mail.outbox[-1].body  # an absolute link, usable from a mail client
    assert member.badges.filter(code="first_donation").exists()

    page = client.get(reverse("donations:order_detail", args=[order.public_id])).content.decode()
    assert "5,000" in page and order.public_id in page and "Sandbox" in page


def test_a_tampered_amount_fails_the_order_and_grants_nothing(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    pay(client, order, amount=100)
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "AMOUNT_MISMATCH"
    assert FundingTotal.objects.get(project=project).amount == 0 and not LedgerEntry.objects.exists()
    # The genuine URL afterwards cannot revive it.
    pay(client, order)
    order.refresh_from_db()
    assert order.status == "failed" and FundingTotal.objects.get(project=project).amount == 0


def test_a_forged_payment_key_fails(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    pay(client, order, paymentKey="sbx_" + "0" * 32)
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "NOT_FOUND_PAYMENT"


def test_a_replayed_success_url_counts_once(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    for _ in range(3):
        pay(client, order)
    assert FundingTotal.objects.get(project=project).amount == 5000
    assert LedgerEntry.objects.count() == 1


def test_a_double_clicked_button_makes_one_order(client, member, project):
    first, token = checkout(client, project)
    second = client.post(
        reverse("donations:donate", args=[project.pk]), {"amount": 5000, "provider": "sandbox", "client_token": token}
    )
    assert Order.objects.count() == 1
    assert first.url == second.url


def test_the_amount_comes_from_the_server(client, member, project):
    tier = DonationTierFactory(project=project, amount=30000, title="Credits")
    checkout(client, project, tier=tier.pk, amount=1)
    assert Order.objects.get().amount == 30000
    response, _ = checkout(client, project, amount=999)
    assert (
        response.status_code == 200
        and "The smallest donation to this project is 1,000 KRW." in response.content.decode()
    )
    other = DonationTierFactory(project=FundingProjectPageFactory(), amount=1000)
    response, _ = checkout(client, project, tier=other.pk)
    assert response.status_code == 200 and Order.objects.count() == 1


def test_a_declined_card_shows_the_reason_and_a_retry(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    response = client.post(
        reverse("donations:sandbox_checkout", args=[order.public_id]),
        {"outcome": "decline", "decline": "REJECT_CARD_COMPANY"},
    )
    response = client.get(response.url, follow=True)
    order.refresh_from_db()
    assert order.status == "failed" and order.failure_code == "REJECT_CARD_COMPANY"
    page = response.content.decode()
    assert "Your card company refused the payment." in page and reverse("donations:donate", args=[project.pk]) in page


def test_abandoning_cancels(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    response = client.post(reverse("donations:sandbox_checkout", args=[order.public_id]), {"outcome": "abandon"})
    client.get(response.url)
    order.refresh_from_db()
    assert order.status == "cancelled" and FundingTotal.objects.get(project=project).amount == 0


def test_another_members_order_is_not_found(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    client.force_login(UserFactory())
    assert client.get(reverse("donations:order_detail", args=[order.public_id])).status_code == 404
    assert pay(client, order).status_code == 404
    assert client.get(reverse("donations:sandbox_checkout", args=[order.public_id])).status_code == 404
    order.refresh_from_db()
    assert order.status == "pending"


def test_buying_a_film_grants_a_permanent_entitlement(client, member, django_capture_on_commit_callbacks):
    film = FilmPageFactory(title="Paid Film", price=4000, main_video=ready_video_record())
    page = client.get(reverse("donations:buy", args=[film.pk]))
    token = page.context["form"]["client_token"].value()
    client.post(reverse("donations:buy", args=[film.pk]), {"provider": "sandbox", "client_token": token})
    order = Order.objects.get()
    assert order.kind == "purchase" and order.amount == 4000
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, order)
    entitlement = Entitlement.objects.get(user=member, film=film)
    assert entitlement.source == "purchase" and entitlement.order_reference == order.public_id
    assert LedgerEntry.objects.get().chain_id == f"film:{film.pk}"
    # Buying again is refused: they own it.
    response = client.get(reverse("donations:buy", args=[film.pk]))
    assert response.status_code == 302 and response.url == reverse("watching:watch_film", args=[film.slug])


def test_a_free_film_cannot_be_bought(client, member):
    """The buy page of a free film sends the member back to the film, and a posted checkout makes no order."""
    film = FilmPageFactory(price=0, main_video=ready_video_record())
    page = client.get(reverse("donations:buy", args=[film.pk]))
    assert page.status_code == 302 and page.url == film.url
    response = client.post(reverse("donations:buy", args=[film.pk]), {"provider": "sandbox", "client_token": "t" * 24})
    assert response.status_code == 302 and not Order.objects.exists()


def test_unverified_members_cannot_pay(client, project):
    client.force_login(UserFactory(verified_email=False))
    response = client.get(reverse("donations:donate", args=[project.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_email_verification_sent"))


def test_backers_count_members_not_donations(client, member, project):
    for _ in range(2):
        checkout(client, project)
        pay(client, Order.objects.filter(status="pending").get())
    client.force_login(UserFactory())
    checkout(client, project)
    pay(client, Order.objects.filter(status="pending").get())
    total = FundingTotal.objects.get(project=project)
    assert (total.amount, total.backers) == (15000, 2)
    assert ledger.project_totals_from_ledger(project.pk) == (15000, 2)


def test_the_ledger_chain_verifies_and_names_the_first_broken_link(client, member, project):
    for _ in range(3):
        checkout(client, project)
        pay(client, Order.objects.filter(status="pending").get())
    key = f"project:{project.pk}"
    assert ledger.verify(key).ok and ledger.verify(key).entries == 3
    LedgerEntry.objects.filter(chain_id=key, sequence=2).update(amount=500000)
    result = ledger.verify(key)
    assert not result.ok and result.broken_at == 2 and "changed" in result.reason


def test_a_deleted_last_entry_is_noticed(client, member, project):
    for _ in range(2):
        checkout(client, project)
        pay(client, Order.objects.filter(status="pending").get())
    key = f"project:{project.pk}"
    LedgerEntry.objects.filter(chain_id=key, sequence=2).delete()
    assert not ledger.verify(key).ok


def test_totals_can_be_rebuilt_from_the_ledger(client, member, project):
    checkout(client, project)
    pay(client, Order.objects.get())
    FundingTotal.objects.filter(project=project).update(amount=1, backers=99)
    total = ledger.rebuild_project_total(project.pk)
    assert (total.amount, total.backers) == (5000, 1)


def test_anonymous_backers_stay_anonymous_in_the_ledger(client, member, project):
    checkout(client, project, anonymous="on")
    pay(client, Order.objects.get())
    assert LedgerEntry.objects.get().backer == "anonymous"


def test_sandbox_success_url_has_tosss_format(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    response = client.post(reverse("donations:sandbox_checkout", args=[order.public_id]), {"outcome": "pay"})
    query = parse_qs(urlparse(response.url).query)
    assert set(query) == {"paymentType", "orderId", "amount", "paymentKey"}
    assert payments.enabled_providers() == ["sandbox"]


def test_my_page_lists_donations_and_purchases_with_receipts(client, member, project):
    checkout(client, project)
    order = Order.objects.get()
    pay(client, order)
    film = FilmPageFactory(title="Bought Film", price=3000, main_video=ready_video_record())
    page = client.get(reverse("donations:buy", args=[film.pk]))
    client.post(
        reverse("donations:buy", args=[film.pk]),
        {"provider": "sandbox", "client_token": page.context["form"]["client_token"].value()},
    )
    pay(client, Order.objects.get(kind="purchase"))
    assert list(Order.objects.order_by("pk").values_list("status", flat=True)) == ["paid", "paid"]
    html = client.get(reverse("members:my_donations")).content.decode()
    assert "Night Bus" in html and "5,000" in html and reverse("donations:order_detail", args=[order.public_id]) in html
    assert "Bought Film" in html
    library = client.get(reverse("members:my_library")).content.decode()
    assert "Bought Film" in library


def test_two_tabs_buying_the_same_film_continue_the_same_order(client, member):
    film = FilmPageFactory(title="Paid film", price=3000, main_video=ready_video_record())
    tokens = []
    for _ in range(2):  # two tabs, each with its own form token
        page = client.get(reverse("donations:buy", args=[film.pk]))
        token = page.context["form"]["client_token"].value()
        client.post(reverse("donations:buy", args=[film.pk]), {"provider": "sandbox", "client_token": token})
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert Order.objects.filter(film=film).count() == 1


def test_a_film_paid_for_twice_is_refunded_once_by_itself(member, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from donations.tasks import refund_double_purchase
    from watching.models import Entitlement

    film = FilmPageFactory(title="Paid film", price=3000, main_video=ready_video_record())
    first, second = (
        Order.objects.create(
            member=member, kind="purchase", film=film, provider="sandbox", amount=3000, client_token=f"double-{n}-token"
        )
        for n in (1, 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        payments.settle(first, Payment(reference="r1", status="paid", amount=3000))
        payments.settle(second, Payment(reference="r2", status="paid", amount=3000))
    queued = DBTaskResult.objects.get(task_path="donations.tasks.refund_double_purchase")
    assert queued.args_kwargs["args"] == [second.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert refund_double_purchase.call(second.pk) == "refunded"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "paid" and second.status == "refunded"
    entitlement = Entitlement.objects.get(user=member, film=film)
    assert entitlement.order_reference == first.public_id and entitlement.revoked_at is None
    assert [e.amount for e in LedgerEntry.objects.filter(chain_id=f"film:{film.pk}").order_by("sequence")] == [
        3000,
        3000,
        -3000,
    ]
    assert refund_double_purchase.call(second.pk) == "nothing to refund"  # a replayed task


def test_demo_donation_amounts_add_up_and_respect_the_minimum():
    import random

    from demo.backers import split

    parts = split(1_250_000, 48, 3000, [5000, 30000, 100000], random.Random(1))
    assert sum(parts) == 1_250_000 and len(parts) == 48
    assert all(part >= 3000 and part % 1000 == 0 for part in parts)
    with pytest.raises(ValueError):
        split(10_000, 20, 1000, [], random.Random(1))


def test_a_sandbox_decline_reason_follows_the_readers_language(client, member, project):
    """A sandbox decline reads in the language of whoever opens the order, whatever the payer's was."""
    checkout(client, project)
    order = Order.objects.get()
    payments.fail(order, "NOT_AVAILABLE_BANK", "은행 점검 시간입니다.")
    page = client.get(reverse("donations:order_detail", args=[order.public_id])).content.decode()
    assert "The bank is not available right now." in page and "은행" not in page
