import pytest

from donations.models import FundingTotal
from films.tests.factories import FundingProjectPageFactory, UserFactory


@pytest.fixture
def project():
    """A live funding project starting from zero, taking donations from 1,000 KRW."""
    project = FundingProjectPageFactory(title="Night Bus", minimum_donation=1000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    return project


@pytest.fixture
def member(client):
    """A verified member, logged in on `client`."""
    user = UserFactory(display_name="김지수")
    client.force_login(user)
    return user
