"""The backers list as a CSV file for Excel: the same donations, filters and order as the page, Korean
that reads right, no e-mail addresses, and no cell Excel would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from donations.models import Order
from donations.tests.helpers import seoul
from members.tests.factories import UserFactory

from .factories import paid_donation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def download(client, project, **params):
    client.force_login(project.owner)
    response = client.get(reverse("donations:project_backers_csv", args=[project.pk]), params)
    assert response.status_code == 200
    return response


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_file_is_utf8_with_a_bom_so_excel_reads_korean(client, backed_project):
    """It starts with the BOM; the Korean name, message and address come back intact."""
    response = download(client, backed_project.project)
    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="backers-{backed_project.project.pk}-')
    jisu = next(row for row in rows(response) if row["Backer"] == "김지수")
    assert jisu["Message"] == "포스터 기대할게요!"
    assert (jisu["Recipient"], jisu["Postcode"], jisu["Address"], jisu["Address (detail)"]) == (
        "김지수",
        "04620",
        "서울 중구 필동로1길 30",
        "2층",
    )


def test_each_donation_is_a_row_with_its_reward_and_status(client, backed_project):
    """Paid date (Seoul), amounts, tier, reward, status and the date the reward was sent."""
    b = backed_project
    Order.objects.filter(pk=b.hidden.pk).update(reward_sent_at=seoul(2026, 2, 1, 0, 30))
    by_backer = {row["Backer"]: row for row in rows(download(client, b.project))}
    assert by_backer["Anonymous"] == {
        "Paid": "2026-01-02 10:00",
        "Backer": "Anonymous",
        "Amount (KRW)": "25000",
        "Refunded (KRW)": "0",
        "Tier": "Poster",
        "Reward": "A signed poster",
        "Reward status": "Sent",
        "Reward sent": "2026-02-01",
        "Recipient": "",
        "Phone": "",
        "Postcode": "",
        "Address": "",
        "Address (detail)": "",
        "Message": "",
    }
    assert (by_backer["김지수"]["Reward status"], by_backer["김지수"]["Reward sent"]) == ("To send", "")
    assert (by_backer["Ann"]["Tier"], by_backer["Ann"]["Reward status"]) == ("Thanks", "No reward")
    assert (by_backer["Bora"]["Tier"], by_backer["Bora"]["Reward status"]) == ("", "No reward")
    assert (by_backer["Chul"]["Refunded (KRW)"], by_backer["Chul"]["Reward status"]) == ("20000", "No reward")


def test_the_file_has_the_pages_filters_and_order(client, backed_project):
    """The same tier, reward status and sort as the page, every page of it."""
    b = backed_project
    names = [row["Backer"] for row in rows(download(client, b.project, tier=b.poster.pk, sort="oldest"))]
    assert names == ["김지수", "Anonymous", "Chul"]
    names = [row["Backer"] for row in rows(download(client, b.project, reward="none"))]
    assert names == ["Chul", "Bora", "Ann"]
    assert len(rows(download(client, b.project, sort="bogus", tier="x"))) == 5


def test_anonymous_backers_stay_anonymous_and_no_email_is_exported(client, backed_project):
    """No backer's e-mail address, and no name of a backer who chose to stay anonymous."""
    b = backed_project
    content = download(client, b.project).content.decode("utf-8-sig")
    assert "Hidden Name" not in content
    for order in (b.jisu, b.hidden, b.ann, b.bora, b.chul):
        assert order.member.email not in content
    assert "@" not in content


def test_addresses_only_for_rewards_owed(client, backed_project):
    """A profile address is not exported for a donation owing no reward, nor for a fully refunded one."""
    b = backed_project
    for order in (b.ann, b.chul):
        order.member.shipping_address = "부산 해운대구 센텀로 1"
        order.member.save(update_fields=["shipping_address"])
    Order.objects.filter(pk=b.chul.pk).update(shipping_address="부산 해운대구 센텀로 1")
    content = download(client, b.project).content.decode("utf-8-sig")
    assert "부산 해운대구 센텀로 1" not in content


def test_text_excel_would_run_as_a_formula_is_defused(client, backed_project):
    """A name or message starting with = + - @ gets a leading apostrophe: Excel shows it, never runs it."""
    b = backed_project
    paid_donation(b.project, UserFactory(display_name="@SUM(1+1)"), 3000, message='=HYPERLINK("http://x","y")')
    row = rows(download(client, b.project))[0]
    assert row["Backer"] == "'@SUM(1+1)"
    assert row["Message"] == '\'=HYPERLINK("http://x","y")'
