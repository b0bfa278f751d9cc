"""A page with orders or ledger entries cannot be deleted, by any way in: the delete view, bulk delete, code."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.models import Page

from donations import payments
from donations.models import Order
from donations.page_deletion import pages_holding_money, refusal
from donations.providers import Payment
from donations.tests.factories import paid_donation
from donations.tests.helpers import english_user
from films.models import FilmBasePage
from films.tests.factories import FilmPageFactory, film_index
from members.tests.admin_forms import client_for
from members.tests.factories import StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REFUSED = "cannot be deleted: it has orders or ledger entries"


@pytest.fixture
def backed(project):
    paid_donation(project, amount=5000)
    return project


@pytest.fixture
def staff_client():
    return client_for(english_user(StaffUserFactory))


def test_the_delete_view_refuses_a_page_with_orders_and_says_why(staff_client, backed):
    """The question is not even asked: back to the editor with a message naming the page and what to do."""
    response = staff_client.get(reverse("wagtailadmin_pages:delete", args=[backed.pk]), follow=True)

    html = response.content.decode()
    assert response.redirect_chain[0] == (reverse("wagtailadmin_pages:edit", args=[backed.pk]), 302)
    assert REFUSED in html and "Night Bus" in html and "Unpublish it instead" in html


def test_posting_the_delete_view_leaves_a_page_with_orders_in_place(staff_client, backed):
    """A forged POST (no question shown) deletes nothing either."""
    response = staff_client.post(reverse("wagtailadmin_pages:delete", args=[backed.pk]))

    assert response.status_code == 302
    assert FilmBasePage.objects.filter(pk=backed.pk).exists()


def test_a_page_above_a_page_with_orders_cannot_be_deleted(staff_client, backed):
    """Deleting the catalogue would delete the project under it: refused, naming the project."""
    index = film_index()

    response = staff_client.post(reverse("wagtailadmin_pages:delete", args=[index.pk]), follow=True)

    assert "“Night Bus” cannot be deleted" in response.content.decode()
    assert Page.objects.filter(pk=index.pk).exists() and FilmBasePage.objects.filter(pk=backed.pk).exists()


def test_bulk_delete_refuses_when_one_chosen_page_has_orders(staff_client, backed):
    """Nothing is deleted, not even the chosen page without money; the message names the one with it."""
    plain = FilmPageFactory(title="Nobody paid")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    response = staff_client.post(f"{url}?id={plain.pk}&id={backed.pk}", follow=True)

    html = response.content.decode()
    assert "“Night Bus” cannot be deleted" in html and "Nobody paid" not in html.split(REFUSED)[0]
    assert FilmBasePage.objects.filter(pk__in=[plain.pk, backed.pk]).count() == 2


def test_bulk_delete_does_not_ask_about_a_page_with_orders(staff_client, backed):
    """The bulk question itself answers with the reason instead of a delete button."""
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    response = staff_client.get(f"{url}?id={backed.pk}", follow=True)

    assert "“Night Bus” cannot be deleted" in response.content.decode()
    assert response.redirect_chain[0] == (reverse("wagtailadmin_explore", args=[film_index().pk]), 302)


def test_bulk_delete_still_deletes_pages_without_money(staff_client, backed):
    """The guard refuses only what holds money."""
    plain = FilmPageFactory(title="Nobody paid")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    staff_client.post(f"{url}?id={plain.pk}")

    assert not FilmBasePage.objects.filter(pk=plain.pk).exists()


def test_a_film_with_a_refunded_purchase_still_holds_money():
    """Refunded orders and their ledger entries are accounts too."""
    film = FilmPageFactory(title="Sold once", price=3000, main_video=ready_video_record())
    order = Order.objects.create(
        member=UserFactory(), kind="purchase", film=film, provider="sandbox", amount=3000, client_token="t-refunded"
    )
    payments.settle(order, Payment(reference="r", status="paid", amount=3000))
    payments.refund(order, 3000, by=StaffUserFactory(), reason="changed mind")

    assert [page.pk for page in pages_holding_money([film])] == [film.pk]
    assert refusal([FilmPageFactory()]) == ""


def test_deleting_in_code_is_refused_by_the_database(backed):
    """Code that skips the admin meets the PROTECT foreign keys: nothing is deleted."""
    with pytest.raises(ProtectedError):
        Page.objects.get(pk=backed.pk).delete()
    assert FilmBasePage.objects.filter(pk=backed.pk).exists()
