import pytest

from films.models import FundingTotal
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import UserFactory


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


@pytest.fixture
def toss(settings):
    """A local server answering like Toss Payments' Core API; the real client code talks to it over HTTP."""
    from .toss_server import SECRET, TossServer

    server = TossServer()
    settings.TOSS_API_BASE = server.url
    settings.TOSS_SECRET_KEY = SECRET
    settings.TOSS_CLIENT_KEY = "test_gck_local"
    settings.PAYMENT_PROVIDERS = ["toss", "sandbox"]
    # The production default: a busy test machine must not turn a slow answer into a lost one.
    # Tests of lost answers make Toss slower than a timeout they shorten themselves (`answer_late`).
    settings.PAYMENT_HTTP_TIMEOUT = 10
    yield server.state
    server.stop()


@pytest.fixture
def stripe_api(settings):
    """A local server answering like Stripe's API; webhooks are signed with WHSEC (real HMACs)."""
    from .stripe_server import SECRET, WHSEC, StripeServer

    server = StripeServer()
    settings.STRIPE_API_BASE, settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = server.url, SECRET, WHSEC
    settings.PAYMENT_PROVIDERS = ["sandbox", "stripe"]
    settings.PAYMENT_HTTP_TIMEOUT = 10  # the production default: a busy machine is not a lost answer
    yield server.state
    server.stop()
