"""A refund is shown before it is made (GET shows, POST does), and a confirmation sent twice refunds once."""

import pytest
from django.test import Client
from django.urls import reverse

from donations import payments
from donations.models import LedgerEntry, Order
from donations.providers import Payment
from donations.tests.factories import paid_donation
from donations.tests.helpers import english_user
from films.tests.factories import FilmPageFactory
from members.tests.admin_forms import client_for
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record
from watching.models import Entitlement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def staff_client():
    return client_for(english_user(StaffUserFactory))


@pytest.fixture
def purchase():
    """A film bought for 3,000 through the sandbox, with the entitlement the purchase gave."""
    film = FilmPageFactory(title="Winter Stop", price=3000, main_video=ready_video_record())
    buyer = UserFactory(display_name="Kim Jisu", email="jisu@example.com")
    order = Order.objects.create(
        member=buyer, kind="purchase", film=film, provider="sandbox", amount=3000, client_token="t-confirm"
    )
    return payments.settle(order, Payment(reference="r-confirm", status="paid", amount=3000))


def _ask(client, order, amount, reason="Asked for it"):
    return client.get(reverse("orders:refund", args=[order.pk]), {"amount": amount, "reason": reason})


def _confirm(client, order, amount, refunded_before, reason="Asked for it"):
    return client.post(
        reverse("orders:refund", args=[order.pk]),
        {"amount": amount, "reason": reason, "refunded_before": refunded_before},
    )


def test_the_question_shows_amount_member_method_access_and_ledger_and_refunds_nothing(purchase):
    """A full refund of a film: who gets what back, how, that watching ends, and the ledger entry to come."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(english_user(StaffUserFactory))
    chain = f"film:{purchase.film_id}"
    next_sequence = LedgerEntry.objects.filter(chain_id=chain).count() + 1

    response = _ask(client, purchase, 3000)

    html = response.content.decode()
    assert response.status_code == 200
    assert "3,000 KRW" in html and "the whole order" in html
    assert "Kim Jisu &lt;jisu@example.com&gt;" in html
    assert "Back through" in html
    assert "Ends: the member can no longer watch “Winter Stop”." in html
    assert f"A refund entry {chain} #{next_sequence} of −3,000 KRW" in html
    assert 'method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    purchase.refresh_from_db()
    assert (purchase.status, purchase.refunded_amount) == ("paid", 0)


def test_a_partial_refund_of_a_film_says_access_stays(staff_client, purchase):
    """Only a full refund takes the film away."""
    html = _ask(staff_client, purchase, 1000).content.decode()

    assert "Stays: the member keeps access" in html and "part of it: 3,000 KRW could be refunded" in html


def test_the_confirmation_sent_twice_refunds_once(staff_client, project):
    """A double click (or a reload) on the confirmation: one refund, one ledger entry, and a warning."""
    order = paid_donation(project, UserFactory(), 10000)

    first = _confirm(staff_client, order, 4000, refunded_before=0)
    second = _confirm(staff_client, order, 4000, refunded_before=0)

    order.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert (order.status, order.refunded_amount) == ("partially_refunded", 4000)
    assert LedgerEntry.objects.filter(order=order, kind="refund").count() == 1
    follow = staff_client.get(second.url).content.decode()
    assert "This refund was already made" in follow


def test_a_confirmed_full_refund_of_a_film_ends_access(staff_client, purchase):
    """What the question said happens: the entitlement from this purchase is revoked."""
    _confirm(staff_client, purchase, 3000, refunded_before=0)

    purchase.refresh_from_db()
    assert purchase.status == "refunded"
    assert Entitlement.objects.get(order_reference=purchase.public_id).revoked_at is not None


def test_a_post_without_the_confirmation_step_refunds_nothing(staff_client, project):
    """The old one-step form (amount and reason only) is not a confirmation."""
    order = paid_donation(project, UserFactory(), 10000)

    response = staff_client.post(reverse("orders:refund", args=[order.pk]), {"amount": 4000, "reason": "x"})

    order.refresh_from_db()
    assert response.status_code == 302 and order.refunded_amount == 0
    assert "the confirmation was incomplete" in staff_client.get(response.url).content.decode()


def test_asking_for_more_than_is_left_is_refused_before_the_question(staff_client, project):
    """The amount is checked before anything is shown."""
    order = paid_donation(project, UserFactory(), 10000)

    response = _ask(staff_client, order, 10001)

    assert response.status_code == 302 and response.url == reverse("orders:edit", args=[order.pk])
    assert "Refund between 1 and 10,000 KRW." in staff_client.get(response.url).content.decode()


# Expected outcome per role, as in members/tests/test_permissions.py: the question and the POST.
ROLES = {
    "anonymous": ("login", "login"),
    "member": ("login", "login"),
    "creator": ("denied", "denied"),
    "staff": ("ok", "ok"),
}


def _outcome(response, refunded: bool) -> str:
    """One word for the response, flagged if the database shows a refund anyway."""
    if response.status_code == 302 and response.url.startswith("/admin/login/"):
        kind = "login"
    elif response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home")):
        kind = "denied"
    elif response.status_code in (200, 302):
        kind = "ok"
    else:
        kind = f"HTTP {response.status_code}"
    return kind if kind == "ok" or not refunded else f"{kind} (refunded!)"


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_who_may_see_and_make_a_refund(role, expected, project):
    """Only staff see the question or make the refund; others see nothing of the order."""
    order = paid_donation(project, UserFactory(display_name="Backer Name"), 10000)
    user = {
        "anonymous": None,
        "member": UserFactory(),
        "creator": CreatorFactory(),
        "staff": english_user(StaffUserFactory),
    }[role]
    client = client_for(user)

    question = _ask(client, order, 1000)
    asked = _outcome(question, False)
    answer = _confirm(client, order, 1000, refunded_before=0)
    order.refresh_from_db()
    done = _outcome(answer, order.refunded_amount > 0)

    assert (asked, done) == expected
    assert (order.refunded_amount > 0) == (role == "staff")
    if role != "staff":
        assert "Backer Name" not in question.content.decode()
