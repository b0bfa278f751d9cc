""" "Mark as paid" is offered only for a period that has ended and a rights holder with a payout account."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from donations.models import LedgerEntry, Payout
from donations.payouts import Period, site_today
from donations.tests.factories import RightsHolderFactory
from donations.tests.helpers import JANUARY, english_user, paid_order, seoul
from films.tests.factories import FilmPageFactory, PersonFactory
from members.tests.admin_forms import client_for
from members.tests.factories import PayoutAccountFactory, StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MARK = "Mark as paid…"


@pytest.fixture
def film():
    """A film sold in January, split between a member with an account, one without, and a person."""
    film = FilmPageFactory(title="Night Bus", price=10_000, main_video=ready_video_record())
    with_account = UserFactory(display_name="With account")
    PayoutAccountFactory(user=with_account, number="110123451234")
    RightsHolderFactory(page=film, member=with_account, share=Decimal("50"))
    RightsHolderFactory(page=film, member=UserFactory(display_name="No account"), share=Decimal("25"))
    RightsHolderFactory(page=film, member=None, person=PersonFactory(), share=Decimal("25"))
    paid_order(film, 10_000, when=seoul(2026, 1, 5))
    return film


@pytest.fixture
def staff_client():
    return client_for(english_user(StaffUserFactory))


def _record_params(film, holder, amount):
    return {
        "page": film.pk,
        "payee": holder.payee_key,
        "start": JANUARY.start.isoformat(),
        "end": JANUARY.end.isoformat(),
        "amount": amount,
    }


def test_the_report_offers_mark_as_paid_only_to_holders_with_an_account(staff_client, film):
    """In an ended month, the member with an account gets the button; the member without and the person do not."""
    html = staff_client.get(reverse("payouts:report"), {"month": "2026-01"}).content.decode()

    holders = {holder.share: holder for holder in film.rights_holders.all()}
    assert html.count(MARK) == 1
    assert f"payee={holders[Decimal('50')].payee_key}".replace(":", "%3A") in html


def test_the_report_offers_nothing_for_a_period_still_running(staff_client):
    """Money may still arrive this month: no button for anyone, and the page says why."""
    film = FilmPageFactory(title="Running", price=10_000, main_video=ready_video_record())
    member = UserFactory()
    PayoutAccountFactory(user=member)
    RightsHolderFactory(page=film, member=member, share=Decimal("100"))
    paid_order(film, 10_000, when=timezone.now())
    today = site_today()

    html = staff_client.get(reverse("payouts:report"), {"month": f"{today.year}-{today.month:02d}"}).content.decode()

    assert "Running" in html and MARK not in html
    assert "This period has not ended yet" in html
    assert not Period.month(today.year, today.month).has_ended()


def test_the_confirmation_refuses_a_holder_without_an_account(staff_client, film):
    """The confirmation step says what is missing and offers no form to post."""
    holder = film.rights_holders.get(share=25, person__isnull=True)

    html = staff_client.get(reverse("payouts:record"), _record_params(film, holder, 2375)).content.decode()

    assert "no payout account on file, so there is nothing to transfer to" in html
    assert 'name="reference"' not in html


@pytest.mark.parametrize("who", ["member without an account", "person"])
def test_posting_mark_as_paid_for_a_holder_without_an_account_records_nothing(staff_client, film, who):
    """A forged POST for a holder without an account writes no payout and no ledger entry."""
    holder = film.rights_holders.get(share=25, person__isnull=(who != "person"))

    response = staff_client.post(reverse("payouts:record"), _record_params(film, holder, 2375), follow=True)

    assert "no payout account on file" in response.content.decode()
    assert not Payout.objects.exists() and not LedgerEntry.objects.filter(kind="payout").exists()


def test_a_holder_with_an_account_is_still_paid(staff_client, film):
    """The guard leaves the ordinary case alone: one payout, on the ledger."""
    holder = film.rights_holders.get(share=50)

    staff_client.post(reverse("payouts:record"), _record_params(film, holder, 4750))

    assert Payout.objects.get().amount == 4750
