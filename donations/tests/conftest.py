from types import SimpleNamespace

import pytest

from donations import payments
from films.models import FundingTotal
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

from .factories import paid_donation
from .helpers import at, seoul


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


@pytest.fixture
def backed_project():
    """A creator's project with five donations a day apart, each a different case for the backers list:

    jisu     20,000, "Poster" (a reward sent by post), address given at checkout   1 January
    hidden   25,000, "Poster", anonymous (named "Hidden Name")                     2 January
    ann       5,000, "Thanks" (a tier without a reward)                             3 January
    bora     12,000, no tier (any amount)                                           4 January
    chul     20,000, "Poster", then wholly refunded: no reward owed any more        5 January
    """
    project = FundingProjectPageFactory(title="Night Bus", owner=CreatorFactory(), minimum_donation=1000)
    poster = DonationTierFactory(project=project, amount=20000, title="Poster", reward="A signed poster", ships=True)
    thanks = DonationTierFactory(project=project, amount=5000, title="Thanks", reward="")
    address = {
        "shipping_name": "김지수",
        "shipping_phone": "010-1234-5678",
        "shipping_postcode": "04620",
        "shipping_address": "서울 중구 필동로1길 30",
        "shipping_address_detail": "2층",
    }
    with at(seoul(2026, 1, 1, 10)):
        jisu = paid_donation(
            project, UserFactory(display_name="김지수"), 20000, tier=poster, message="포스터 기대할게요!", **address
        )
    with at(seoul(2026, 1, 2, 10)):
        hidden = paid_donation(project, UserFactory(display_name="Hidden Name"), 25000, tier=poster, is_anonymous=True)
    with at(seoul(2026, 1, 3, 10)):
        ann = paid_donation(project, UserFactory(display_name="Ann"), 5000, tier=thanks)
    with at(seoul(2026, 1, 4, 10)):
        bora = paid_donation(project, UserFactory(display_name="Bora"), 12000)
    with at(seoul(2026, 1, 5, 10)):
        chul = paid_donation(project, UserFactory(display_name="Chul"), 20000, tier=poster)
    chul = payments.refund(chul, 20000, by=StaffUserFactory(), reason="changed their mind")
    return SimpleNamespace(
        project=project, owner=project.owner, poster=poster, thanks=thanks,
        jisu=jisu, hidden=hidden, ann=ann, bora=bora, chul=chul,
    )  # fmt: skip
