"""A film bought in several tabs at once is paid for once: the second purchase stops before the payer
is charged (Toss and the sandbox charge only when we confirm; a second Stripe session is never made,
and an open one is expired when the film is bought elsewhere). The automatic refund stays as the
backstop. The tab races run on PostgreSQL, through the real views and the local provider servers."""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from donations.models import Order, OrderStatus
from films.tests.factories import FilmPageFactory
from members.tests.factories import StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record
from watching.models import Entitlement, EntitlementSource

from .helpers import answer_late, run_in_threads

pytestmark = [pytest.mark.usefixtures("english")]

in_parallel = pytest.mark.django_db(transaction=True, serialized_rollback=True)
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel tabs need row locks")
TABS = 8


def open_buy_tab(member, film, provider: str) -> tuple[Client, Order | None]:
    """One browser tab: the buy page, then its button with `provider`. Gives the tab and the order it
    goes on to pay, or None when the film was bought meanwhile (the tab is sent to the film)."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(member)
    page = browser.get(reverse("donations:buy", args=[film.pk]))
    if page.status_code == 302:
        return browser, None
    token = re.search(r'name="client_token" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(reverse("donations:buy", args=[film.pk]), {"provider": provider, "client_token": token})
    if response.status_code != 302 or response.url == reverse("watching:watch_film", args=[film.slug]):
        return browser, None
    if provider == "stripe":
        return browser, Order.objects.get(provider_reference=urlsplit(response.url).path.rsplit("/", 1)[1])
    public_id = response.url.rstrip("/").rsplit("/", 1)[1]
    order = Order.objects.get(public_id=public_id)
    return browser, order if order.status == OrderStatus.PENDING else None


def pay_with_toss(browser, toss, order) -> None:
    """Toss's widget authorises a payment in the tab, and the tab comes back to our success URL."""
    key = toss.authorise(order.public_id, order.amount)
    query = {"paymentType": "NORMAL", "orderId": order.public_id, "paymentKey": key, "amount": order.amount}
    assert browser.get(reverse("donations:payment_success"), query).status_code == 302


def pay_in_the_sandbox(browser, order) -> None:
    browser.post(reverse("donations:sandbox_checkout", args=[order.public_id]), {"outcome": "pay"}, follow=True)


def toss_confirms(toss) -> list[dict]:
    return [r for r in toss.requests if r["path"] == "/v1/payments/confirm"]


# --- tabs racing, on PostgreSQL ----------------------------------------------------------------


@in_parallel
@postgresql_only
def test_eight_tabs_buying_a_film_with_toss_make_one_order_and_one_charge(toss):
    """Eight tabs buying one film through Toss at the same moment: one order, one confirm, one payment."""
    film, member = FilmPageFactory(title="Paid film", price=5000, main_video=ready_video_record()), UserFactory()

    def tab():
        browser, order = open_buy_tab(member, film, "toss")
        if order is not None:
            pay_with_toss(browser, toss, order)

    run_in_threads([tab] * TABS, workers=TABS)

    assert list(Order.objects.filter(film=film).values_list("status", flat=True)) == [OrderStatus.PAID]
    assert len(toss_confirms(toss)) == 1
    statuses = sorted(p["status"] for p in toss.payments.values())
    assert statuses.count("DONE") == 1 and set(statuses) <= {"DONE", "IN_PROGRESS"}  # the rest never confirmed


@in_parallel
@postgresql_only
def test_tabs_paying_with_toss_and_the_sandbox_at_once_pay_one_order(toss):
    """Tabs racing with two providers make two orders; one is paid, the other stopped before its confirm."""
    film, member = FilmPageFactory(title="Paid film", price=5000, main_video=ready_video_record()), UserFactory()

    def tab(provider):
        browser, order = open_buy_tab(member, film, provider)
        if order is not None and provider == "toss":
            pay_with_toss(browser, toss, order)
        elif order is not None:
            pay_in_the_sandbox(browser, order)

    run_in_threads([lambda p=p: tab(p) for p in ["toss", "sandbox"] * (TABS // 2)], workers=TABS)

    orders = Order.objects.filter(film=film)
    paid = orders.get(status=OrderStatus.PAID)  # exactly one
    assert all(
        o.status == OrderStatus.CANCELLED and o.failure_code == "ALREADY_OWNED" for o in orders.exclude(pk=paid.pk)
    )
    assert len(toss_confirms(toss)) == (1 if paid.provider == "toss" else 0)
    assert sum(p["status"] == "DONE" for p in toss.payments.values()) == (1 if paid.provider == "toss" else 0)
    assert Entitlement.objects.get(user=member, film=film).order_reference == paid.public_id


@in_parallel
@postgresql_only
def test_eight_tabs_starting_stripe_checkout_share_one_session(stripe_api):  # noqa: F811
    """Eight tabs starting Stripe Checkout for one film at once get one order and one Checkout Session."""
    film, member = FilmPageFactory(title="Paid film", price=5000, main_video=ready_video_record()), UserFactory()
    run_in_threads([lambda: open_buy_tab(member, film, "stripe")] * TABS, workers=TABS)

    order = Order.objects.get(film=film)
    assert list(stripe_api.sessions) == [order.provider_reference]
    stripe_api.complete(order.provider_reference)
    browser = Client()
    browser.force_login(member)
    browser.get(
        reverse("donations:stripe_return"), {"orderId": order.public_id, "session_id": order.provider_reference}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


# --- the checks themselves (both databases) ----------------------------------------------------


@pytest.mark.django_db
def test_a_toss_payment_for_a_film_granted_meanwhile_is_stopped_before_the_confirm(toss):
    """The member got the film while their Toss tab was open: coming back cancels, Toss is never asked to charge."""
    film, member = FilmPageFactory(title="Paid film", price=5000, main_video=ready_video_record()), UserFactory()
    browser, order = open_buy_tab(member, film, "toss")
    Entitlement.objects.create(user=member, film=film, source=EntitlementSource.GRANT, granted_by=StaffUserFactory())

    pay_with_toss(browser, toss, order)

    order.refresh_from_db()
    assert (order.status, order.failure_code) == (OrderStatus.CANCELLED, "ALREADY_OWNED")
    assert not toss_confirms(toss)
    page = browser.get(reverse("donations:order_detail", args=[order.public_id]))
    assert "You already own this film" in page.content.decode()


@pytest.mark.django_db
def test_a_payment_while_another_for_the_film_awaits_tosss_answer_is_stopped(toss, settings):
    """Toss has not answered one tab's confirm: another tab's payment for the film is stopped, not sent."""
    film, member = FilmPageFactory(title="Paid film", price=5000, main_video=ready_video_record()), UserFactory()
    first_tab, first = open_buy_tab(member, film, "toss")
    answer_late(toss, settings)  # the answer is lost
    pay_with_toss(first_tab, toss, first)
    toss.mode = "normal"
    first.refresh_from_db()
    assert first.status == OrderStatus.PENDING and first.provider_reference

    second_tab, second = open_buy_tab(member, film, "sandbox")
    pay_in_the_sandbox(second_tab, second)

    second.refresh_from_db()
    assert (second.status, second.failure_code) == (OrderStatus.CANCELLED, "PURCHASE_UNDER_WAY")
    assert not Entitlement.objects.filter(user=member, film=film).exists()


@pytest.mark.django_db
def test_buying_the_film_expires_the_stripe_session_open_in_another_tab(
    stripe_api,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    """Paid in one tab: the Checkout Session still open in another is expired at Stripe, its order cancelled."""
    settings.PAYMENT_PROVIDERS = ["sandbox", "stripe"]
    film, member = FilmPageFactory(title="Paid film", price=5000, main_video=ready_video_record()), UserFactory()
    _stripe_tab, open_session = open_buy_tab(member, film, "stripe")
    sandbox_tab, order = open_buy_tab(member, film, "sandbox")

    with django_capture_on_commit_callbacks(execute=True):
        pay_in_the_sandbox(sandbox_tab, order)

    open_session.refresh_from_db()
    assert stripe_api.sessions[open_session.provider_reference]["status"] == "expired"
    assert (open_session.status, open_session.failure_code) == (OrderStatus.CANCELLED, "ALREADY_OWNED")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
