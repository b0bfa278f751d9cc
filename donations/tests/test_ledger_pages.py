"""The public ledger: page, API (in the OpenAPI schema), verify action, and the management command."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from donations import payments
from donations.models import LedgerEntry, Order
from donations.providers import Payment
from films.models import FundingTotal
from films.tests.factories import FundingProjectPageFactory
from members.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def project():
    project = FundingProjectPageFactory(title="Ledger Film", minimum_donation=1000)
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    for n, (name, anonymous) in enumerate([("박도윤", False), ("Secret", True), ("이하늘", False)]):
        member = UserFactory(display_name=name)
        order = Order.objects.create(
            member=member,
            kind="donation",
            project=project,
            provider="sandbox",
            amount=1000 * (n + 1),
            client_token=f"ledger-token-{n:04d}-xx",
            is_anonymous=anonymous,
        )
        payments.settle(order, Payment(reference=f"r{n}", status="paid", amount=order.amount))
    return project


def test_the_ledger_page_lists_masked_backers_the_total_and_verifies(client, project):
    page = client.get(reverse("donations:project_ledger", args=[project.pk])).content.decode()
    assert "박*윤" in page and "이*늘" in page and "Anonymous" in page and "Secret" not in page
    assert "6,000" in page
    page = client.get(reverse("donations:project_ledger", args=[project.pk]), {"verify": 1}).content.decode()
    assert "Verified: all 3 entries" in page
    LedgerEntry.objects.filter(sequence=2).update(amount=2500)
    cache.clear()  # a verification is kept for a minute per chain head
    page = client.get(reverse("donations:project_ledger", args=[project.pk]), {"verify": 1}).content.decode()
    assert "broken at entry 2" in page


def test_a_verification_is_reused_until_the_chain_grows(client, project):
    url = reverse("api_project_ledger", args=[project.pk])
    assert client.get(url, {"verify": 1}).json()["verification"]["ok"] is True
    LedgerEntry.objects.filter(sequence=2).update(amount=2500)
    assert client.get(url, {"verify": 1}).json()["verification"]["ok"] is True  # the cached answer
    member = UserFactory(display_name="새 후원자")
    order = Order.objects.create(
        member=member, kind="donation", project=project, provider="sandbox", amount=1000, client_token="t-new-entry-x"
    )
    payments.settle(order, Payment(reference="r-new", status="paid", amount=1000))
    verification = client.get(url, {"verify": 1}).json()["verification"]  # a new head: verified again
    assert verification["ok"] is False and verification["broken_at"] == 2


def test_the_ledger_api_matches_the_schema_and_can_be_recomputed_by_a_client(client, project):
    import hashlib
    import json

    body = client.get(reverse("api_project_ledger", args=[project.pk]), {"verify": 1}).json()
    assert body["amount_raised"] == 6000 and body["backers"] == 3 and body["meta"]["total_count"] == 3
    assert body["verification"] == {"ok": True, "entries": 3, "broken_at": None, "reason": ""}
    entries = sorted(body["items"], key=lambda e: e["sequence"])
    assert entries[0]["previous_hash"] == "0" * 64
    for before, after in zip(entries, entries[1:], strict=False):
        assert after["previous_hash"] == before["hash"]
    # Anyone can recompute every hash from the API's own fields, as its schema describes.
    previous = "0" * 64
    for entry in entries:
        fields = {name: entry[name] for name in ("chain", "sequence", "kind", "amount", "timestamp")}
        fields["previous_hash"] = previous
        text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.sha256(text.encode()).hexdigest() == entry["hash"]
        previous = entry["hash"]
    assert entries[0]["chain"] == f"project:{project.pk}" and entries[0]["timestamp"].endswith("+00:00")
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    assert "/api/v2/ledger/{project_id}/" in schema["paths"]


def test_verify_ledger_command_names_the_first_broken_link(project):
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "Every ledger chain verifies." in out.getvalue()
    LedgerEntry.objects.filter(sequence=3).update(amount=99999)
    with pytest.raises(CommandError, match=r"entry 3"):
        call_command("verify_ledger", stdout=StringIO())


def test_verify_ledger_rebuilds_totals(project):
    FundingTotal.objects.filter(project=project).update(amount=0, backers=0)
    call_command("verify_ledger", "--rebuild-totals", stdout=StringIO())
    total = FundingTotal.objects.get(project=project)
    assert (total.amount, total.backers) == (6000, 3)


def test_drafts_have_no_public_ledger(client):
    draft = FundingProjectPageFactory(live=False)
    assert client.get(reverse("donations:project_ledger", args=[draft.pk])).status_code == 404
    assert client.get(reverse("api_project_ledger", args=[draft.pk])).status_code == 404
