"""The ledger check in the admin: the same verification as `manage.py verify_ledger`, per chain, for staff."""

import pytest
from django.urls import reverse

from donations.models import LedgerEntry
from donations.tests.factories import paid_donation
from donations.tests.helpers import english_user
from films.tests.factories import FundingProjectPageFactory
from members.tests.admin_forms import client_for
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def two_chains(project):
    """Two projects with three donations each: two chains of three entries."""
    other = FundingProjectPageFactory(title="Other", raised=(0, 0))
    for target in (project, other):
        for amount in (1000, 2000, 3000):
            paid_donation(target, amount=amount)
    return project, other


def test_staff_see_every_chain_verify(two_chains):
    """Each chain is listed with its entries and "verifies", and the page says the whole ledger does."""
    project, other = two_chains

    html = client_for(english_user(StaffUserFactory)).get(reverse("ledger_check")).content.decode()

    assert f"project:{project.pk}" in html and f"project:{other.pk}" in html
    assert html.count("verifies</span>") == 2 and "Every ledger chain verifies." in html


def test_a_changed_entry_is_named_as_the_first_broken_link(two_chains):
    """An amount changed after it was written: its chain is broken at that entry, the other still verifies."""
    project, other = two_chains
    LedgerEntry.objects.filter(chain_id=f"project:{other.pk}", sequence=2).update(amount=99999)

    html = client_for(english_user(StaffUserFactory)).get(reverse("ledger_check")).content.decode()

    assert (
        f"The ledger is broken: first at project:{other.pk}, entry #2 "
        "(its content was changed after it was written)." in html
    )
    assert "broken at entry #2" in html and html.count("verifies</span>") == 1


@pytest.mark.parametrize(("role", "expected"), [("anonymous", "login"), ("member", "login"), ("creator", "denied")])
def test_only_staff_run_the_ledger_check(role, expected, two_chains):
    """Others are sent to log in or refused, and learn nothing about the chains."""
    user = {"anonymous": None, "member": UserFactory(), "creator": CreatorFactory()}[role]

    response = client_for(user).get(reverse("ledger_check"))

    outcome = "login" if response.url.startswith("/admin/login/") else "denied"
    assert response.status_code == 302 and outcome == expected
    assert "project:" not in response.content.decode()


def test_the_menu_shows_the_ledger_check_to_staff_only():
    """Creators use the admin too, but have no ledger check in their menu."""
    url = reverse("ledger_check")

    assert f'"url": "{url}"' in client_for(StaffUserFactory()).get(reverse("wagtailadmin_home")).content.decode()
    assert f'"url": "{url}"' not in client_for(CreatorFactory()).get(reverse("wagtailadmin_home")).content.decode()
