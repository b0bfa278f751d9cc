"""Funding figures stay live while the page itself stays cached for anonymous visitors.

A confirmed donation changes `FundingTotal` and the ledger but leaves the page
cache alone; `/projects/live/` (for the page's script) and
`GET /api/v2/funding/<id>/` (for apps) answer with the current figures and the
recent backers, with nothing personal in them.
"""

import pytest
from django.urls import reverse

from donations import payments
from donations.tests.factories import paid_donation
from films.models import FundingTotal
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import UserFactory
from page_cache.cache import HIT_HEADER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def donate(project, name, amount, *, anonymous=False):
    return paid_donation(project, UserFactory(display_name=name), amount, is_anonymous=anonymous)


@pytest.fixture
def project():
    project = FundingProjectPageFactory(title="Night Bus", minimum_donation=1000, target_amount=100_000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    return project


def test_a_donation_leaves_the_cached_page_cached_and_the_live_parts_show_it(client, project):
    first = client.get(project.url)
    assert first[HIT_HEADER] == "miss"
    assert f'data-funding-live="{project.pk}"' in first.content.decode()
    assert "No donations yet" in first.content.decode()

    donate(project, "김지수", 25_000)

    cached = client.get(project.url)
    assert cached[HIT_HEADER] == "hit"  # not invalidated by the payment
    live = client.get(reverse("donations:funding_live"), {"ids": str(project.pk), "recent": str(project.pk)})
    assert live.status_code == 200
    assert sorted(live["Cache-Control"].split(", ")) == ["max-age=0", "public", "s-maxage=5"]
    assert "Set-Cookie" not in live and not live.cookies
    parts = live.json()["projects"][str(project.pk)]
    assert "25,000 KRW" in parts["progress"] and "25%" in parts["progress"] and "1 backer" in parts["progress"]
    assert 'data-funding-part="compact"' in parts["compact"]
    assert "김*수" in parts["recent"] and "25,000 KRW" in parts["recent"] and "김지수" not in parts["recent"]


def test_the_live_endpoint_ignores_unknown_unpublished_and_malformed_ids(client, project):
    draft = FundingProjectPageFactory(title="Secret draft", live=False)
    body = client.get(reverse("donations:funding_live"), {"ids": f"{project.pk},{draft.pk},999999,abc,-1"}).json()
    assert list(body["projects"]) == [str(project.pk)]
    assert "recent" not in body["projects"][str(project.pk)]
    assert client.get(reverse("donations:funding_live")).json() == {"projects": {}}
    assert client.post(reverse("donations:funding_live"), {"ids": project.pk}).status_code == 405


def test_without_a_target_the_live_progress_has_no_percentage(client):
    open_ended = FundingProjectPageFactory(title="Open ended", minimum_donation=1000, target_amount=None)
    donate(open_ended, "이하늘", 3000)
    part = client.get(reverse("donations:funding_live"), {"ids": open_ended.pk}).json()["projects"][str(open_ended.pk)]
    assert (
        "3,000 KRW" in part["progress"] and "%" not in part["progress"] and 'role="progressbar"' not in part["progress"]
    )
    assert "No funding target" in part["compact"]


def test_the_funding_api_has_figures_and_masked_recent_backers_newest_first(client, project):
    donate(project, "박도윤", 1000)
    donate(project, "Secret Person", 5000, anonymous=True)
    refunded = donate(project, "정하나", 2000)
    payments.refund(refunded, 2000, by=UserFactory(is_staff=True), reason="asked")

    response = client.get(reverse("api_funding_status", args=[project.pk]))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    body = response.json()
    assert body["amount_raised"] == 6000 and body["backers"] == 2
    assert body["target_amount"] == 100_000 and body["progress_percent"] == 6 and body["minimum_donation"] == 1000
    names = [backer["name"] for backer in body["recent_backers"]]
    # The ledger is the truth: the refunded donation happened, and its refund is a separate entry.
    assert names == ["정*나", "Anonymous", "박*윤"]
    assert "Secret Person" not in response.content.decode()


def test_the_funding_api_is_404_for_a_draft_or_a_finished_film(client):
    from films.tests.factories import FilmPageFactory

    assert client.get(reverse("api_funding_status", args=[FundingProjectPageFactory(live=False).pk])).status_code == 404
    assert client.get(reverse("api_funding_status", args=[FilmPageFactory().pk])).status_code == 404


def test_the_funding_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v2/funding/{project_id}/"]["get"]
    assert operation["operationId"] == "funding_status"
    assert "recent_backers" in str(schema["components"]["schemas"]["FundingStatus"])


def test_the_ledger_page_is_never_served_from_the_page_cache(client, project):
    client.get(reverse("donations:project_ledger", args=[project.pk]))
    donate(project, "김지수", 7000)
    page = client.get(reverse("donations:project_ledger", args=[project.pk]))
    assert page.get(HIT_HEADER) != "hit" and "7,000" in page.content.decode()


def test_the_live_parts_are_in_the_language_the_page_asks_for_without_cookies(client, project):
    """`?lang=` chooses the language of the parts; the script's request carries no language cookie."""
    donate(project, "김지수", 25_000)
    for lang, amount in (("en", "25,000 KRW"), ("ko", "25,000원")):
        other = "ko" if lang == "en" else "en"
        parts = client.get(
            reverse("donations:funding_live"), {"ids": str(project.pk), "lang": lang}, HTTP_ACCEPT_LANGUAGE=other
        ).json()
        assert amount in parts["projects"][str(project.pk)]["progress"], lang
