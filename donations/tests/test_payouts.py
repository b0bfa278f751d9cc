"""Rights holders, the payout report (admin and CSV) and recording payouts.

Money goes in and out through the real services (`payments.settle`, `payments.refund` with the
sandbox provider) at chosen moments, so paid_at and the refunds' ledger dates are what production
would write. Rights holders are saved through the real page editor.
"""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry, Page

from donations import ledger, payments
from donations.models import LedgerEntry, Order, Payout, RightsHolder
from donations.payouts import PayoutRefused, Period, build_report, record_payout, site_today
from donations.splits import platform_fee, split_by_shares
from donations.tests.factories import RightsHolderFactory
from donations.tests.helpers import JANUARY, at, english_user, paid_order, seoul
from films.models import FundingTotal
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, PersonFactory
from members.tests.admin_forms import client_for, edit_form
from members.tests.factories import CreatorFactory, PayoutAccountFactory, StaffUserFactory, UserFactory
from videos.tests.factories import ready_video_record

FEBRUARY = Period.month(2026, 2)


def refund(order: Order, amount: int, *, when: datetime) -> None:
    with at(when):
        payments.refund(order, amount, by=StaffUserFactory(), reason="asked for it")


@pytest.fixture
def staff():
    return english_user(StaffUserFactory)


@pytest.fixture
def creator():
    return english_user(CreatorFactory)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- arithmetic -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shares", "parts"),
    [
        (100, ["33.33", "33.33", "33.34"], [33, 33, 34]),
        (1_000_001, ["33.33", "33.33", "33.34"], [333_300, 333_300, 333_401]),
        (10, ["33.33", "33.33", "33.34"], [3, 3, 4]),
        (101, ["50", "50"], [51, 50]),  # a tie: the left-over won goes to the first listed
        (7, ["0.01", "99.99"], [0, 7]),
        (-101, ["50", "50"], [-51, -50]),
    ],
)
def test_shares_split_an_amount_into_whole_won_that_add_up_exactly(amount, shares, parts):
    """Largest remainder: floors first, then the left-over won to the largest fractions (ties to the first)."""
    result = split_by_shares(amount, [Decimal(s) for s in shares])

    assert result == parts
    assert sum(result) == amount


@pytest.mark.parametrize(
    ("base", "percent", "fee"),
    [
        (33_333, "5", 1_666),  # 1,666.65 → rounded down
        (20_000, "5", 1_000),
        (999, "3.5", 34),  # 34.965
        (-33_333, "5", -1_667),  # more refunded than earned: the platform gives back the larger whole won
        (12_345, "0", 0),
    ],
)
def test_the_platform_fee_is_rounded_down_to_the_won(base, percent, fee):
    """Floor, never half-up: the platform never takes a fraction of a won more than its percentage."""
    assert platform_fee(base, Decimal(percent)) == fee


def test_the_platform_fee_setting_is_a_decimal(settings):
    """PLATFORM_FEE_PERCENT is read as a Decimal (5 by default), so no float reaches the money."""
    assert settings.PLATFORM_FEE_PERCENT == Decimal("5")
    assert isinstance(settings.PLATFORM_FEE_PERCENT, Decimal)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 15), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 1, 1), Period(date(2025, 12, 1), date(2025, 12, 31))),
        (date(2024, 3, 31), Period(date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_the_default_period_is_the_last_full_month(today, expected):
    assert Period.last_full_month(today) == expected


# --- rights holders in the page editor --------------------------------------------------------------


def holder_rows(*rows) -> dict:
    """The inline formset fields for new rights-holder rows: (member, person, share[, role]) each."""
    data = {"rights_holders-TOTAL_FORMS": str(len(rows))}
    for i, (member, person, share, *role) in enumerate(rows):
        prefix = f"rights_holders-{i}-"
        data.update(
            {
                prefix + "id": "",
                prefix + "member": str(member.pk) if member else "",
                prefix + "person": str(person.pk) if person else "",
                prefix + "share": share,
                prefix + "role": role[0] if role else "",
                prefix + "ORDER": str(i + 1),
                prefix + "DELETE": "",
            }
        )
    return data


def post_edit(user, page, *, publish=False, **changes):
    data = edit_form(page, **changes)
    if publish:
        data["action-publish"] = "action-publish"
    return client_for(user).post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def latest(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()


def test_a_creator_saves_rights_holders_whose_shares_add_up_to_100(creator):
    """Three holders at 33.33/33.33/33.34 (two members and a person) save with the creator's draft."""
    film = FilmPageFactory(owner=creator, live=False)
    partner, person = UserFactory(), PersonFactory()

    response = post_edit(
        creator,
        film,
        **holder_rows((creator, None, "33.33", "director"), (partner, None, "33.33"), (None, person, "33.34")),
    )

    assert response.status_code == 302
    saved = [(h.member, h.person, h.share, h.role) for h in latest(film).rights_holders.all()]
    assert saved == [
        (creator, None, Decimal("33.33"), "director"),
        (partner, None, Decimal("33.33"), ""),
        (None, person, Decimal("33.34"), ""),
    ]


def test_shares_that_do_not_add_up_to_100_are_refused_with_a_clear_message(creator):
    """99.99% is not 100%: the editor says so at the top of the panel and nothing is saved."""
    film = FilmPageFactory(owner=creator, live=False)
    film.save_revision(user=creator)
    revisions = film.revisions.count()

    response = post_edit(
        creator,
        film,
        **holder_rows((creator, None, "33.33"), (UserFactory(), None, "33.33"), (None, PersonFactory(), "33.33")),
    )

    assert response.status_code == 200
    message = "The shares add up to 99.99%. They must add up to exactly 100%."
    assert response.context["form"].formsets["rights_holders"].non_form_errors() == [message]
    assert message in response.content.decode()
    assert film.revisions.count() == revisions


def test_staff_cannot_publish_shares_over_100(staff):
    """Publishing checks the same rule: 60 + 50 is refused and the live page keeps its rights holders."""
    film = FilmPageFactory()
    RightsHolderFactory(page=film, share=Decimal("100"))

    response = post_edit(
        staff, film, publish=True, **holder_rows((UserFactory(), None, "60"), (None, PersonFactory(), "50"))
    )

    assert response.status_code == 200
    assert "The shares add up to 110%." in response.content.decode()
    assert [h.share for h in RightsHolder.objects.filter(page=film)] == [Decimal("100")]


def test_staff_publish_rights_holders_the_report_then_uses(staff):
    """Published rows are the ones in the database, which is what payouts are computed from."""
    project = FundingProjectPageFactory()
    person = PersonFactory()

    response = post_edit(
        staff, project, publish=True, **holder_rows((staff, None, "75.5", "producer"), (None, person, "24.5"))
    )

    assert response.status_code == 302
    assert [(h.member, h.person, h.share) for h in RightsHolder.objects.filter(page=project)] == [
        (staff, None, Decimal("75.50")),
        (None, person, Decimal("24.50")),
    ]


@pytest.mark.parametrize(("member", "person"), [(True, True), (False, False)])
def test_each_rights_holder_is_a_member_or_a_person(creator, member, person):
    """A row naming both, or neither, is refused on that row."""
    film = FilmPageFactory(owner=creator, live=False)
    row = (creator if member else None, PersonFactory() if person else None, "100")

    response = post_edit(creator, film, **holder_rows(row))

    assert response.status_code == 200
    assert response.context["form"].formsets["rights_holders"].forms[0].non_field_errors() == [
        "Choose a member or a person: one of the two, not both."
    ]
    assert list(latest(film).rights_holders.all()) == []


def test_a_rights_holder_listed_twice_is_refused(creator):
    """The same member on two rows would be paid twice over one payout key: list them once."""
    film = FilmPageFactory(owner=creator, live=False)

    response = post_edit(creator, film, **holder_rows((creator, None, "50"), (creator, None, "50")))

    assert response.status_code == 200
    errors = response.context["form"].formsets["rights_holders"].non_form_errors()
    assert errors == [
        f"{creator.display_name} (c•••@dongguk.edu) is listed twice. List each rights holder once, with their whole share."
    ]


def test_a_creator_cannot_change_rights_holders_on_another_creators_page(creator):
    """Normal page permissions: another creator's edit view refuses and nothing changes."""
    owner = CreatorFactory()
    film = FilmPageFactory(owner=owner, live=False)
    film.save_revision(user=owner)

    response = post_edit(creator, film, **holder_rows((creator, None, "100")))

    assert response.status_code in (302, 403)
    assert list(latest(film).rights_holders.all()) == []
    assert not RightsHolder.objects.filter(page=film).exists()


def test_the_member_chooser_finds_members_by_name_but_shows_creators_no_list(creator):
    """Creators search (display name or exact e-mail); results mask the address; browsing shows nobody."""
    UserFactory(display_name="박서윤", email="seoyun@example.com")
    client = client_for(creator)

    browse = client.get(reverse("member_chooser:choose_results"))
    found = client.get(reverse("member_chooser:choose_results"), {"q": "서윤"})

    assert "박서윤" not in browse.content.decode()
    html = found.content.decode()
    assert "박서윤 (s•••@example.com)" in html and "seoyun@example.com" not in html


# --- the report -----------------------------------------------------------------------------------


@pytest.fixture
def three_holders():
    """A film with three rights holders at 33.33/33.33/33.34: two members (one without an account) and a person."""
    film = FilmPageFactory(title="밤의 버스", price=3000, main_video=ready_video_record())
    first = UserFactory(display_name="김지수")
    PayoutAccountFactory(user=first, bank="국민은행", holder="김지수", number="110123451234")
    second = UserFactory(display_name="이하늘")
    RightsHolderFactory(page=film, member=first, share=Decimal("33.33"), role="director")
    RightsHolderFactory(page=film, member=second, share=Decimal("33.33"))
    RightsHolderFactory(page=film, member=None, person=PersonFactory(name="박작곡"), share=Decimal("33.34"))
    return film


def test_the_report_splits_the_net_after_refunds_fees_and_the_platform_fee(three_holders):
    """11 purchases of 3,000 (one with a 99-won provider fee), 1,667 refunded: every figure to the won."""
    film = three_holders
    orders = [paid_order(film, 3000, when=seoul(2026, 1, 10), fee=0) for _ in range(10)]
    orders.append(paid_order(film, 3000, when=seoul(2026, 1, 11), fee=99))
    refund(orders[0], 1667, when=seoul(2026, 1, 20))

    title = build_report(JANUARY).title(film.pk)

    assert (title.orders, title.gross, title.refunds, title.provider_fees) == (11, 33_000, 1_667, 99)
    assert title.platform_fee == 1_566  # 5% of 31,333 = 1,566.65, rounded down
    assert title.net == 33_000 - 1_667 - 99 - 1_566 == 29_668
    assert [(h.name, h.share, h.amount) for h in title.holders] == [
        ("김지수", Decimal("33.33"), 9_889),  # 9,888.34, + the left-over won (largest fraction, first of a tie)
        ("이하늘", Decimal("33.33"), 9_888),  # 9,888.34
        ("박작곡", Decimal("33.34"), 9_891),  # 9,891.31
    ]
    assert sum(h.amount for h in title.holders) == title.net


def test_orders_count_in_the_month_they_were_paid_in_seoul_time(three_holders):
    """23:59:59 on 31 January in Seoul is January; midnight is February, though both are 31 January in UTC."""
    film = three_holders
    paid_order(film, 3000, when=seoul(2026, 1, 31, 23, 59, 59, 999_999))
    paid_order(film, 5000, when=seoul(2026, 2, 1, 0, 0, 0))
    assert seoul(2026, 2, 1).astimezone(UTC).date() == date(2026, 1, 31)

    assert build_report(JANUARY).title(film.pk).gross == 3000
    assert build_report(FEBRUARY).title(film.pk).gross == 5000
    assert build_report(Period(date(2026, 2, 2), date(2026, 2, 28))).titles == []


def test_a_refund_counts_in_the_period_it_was_made_even_for_an_earlier_order(three_holders):
    """Paid in January, refunded in February: January keeps its gross; February has the refund and a negative net."""
    film = three_holders
    order = paid_order(film, 3000, when=seoul(2026, 1, 15))
    refund(order, 3000, when=seoul(2026, 2, 3))

    january, february = build_report(JANUARY).title(film.pk), build_report(FEBRUARY).title(film.pk)

    assert (january.gross, january.refunds, january.net) == (3000, 0, 3000 - 150)
    assert (february.orders, february.gross, february.refunds, february.platform_fee) == (0, 0, 3000, -150)
    assert february.net == -2850
    assert sum(h.amount for h in february.holders) == -2850
    assert not any(h.can_pay for h in february.holders)


def test_known_provider_fees_are_deducted_and_unknown_ones_are_counted():
    """Fees the provider reported come off the net; orders without one are counted, not guessed."""
    project = FundingProjectPageFactory()
    paid_order(project, 10_000, when=seoul(2026, 1, 5), fee=330)
    paid_order(project, 20_000, when=seoul(2026, 1, 6), fee=None)
    paid_order(project, 30_000, when=seoul(2026, 1, 7), fee=None)

    title = build_report(JANUARY).title(project.pk)

    assert (title.provider_fees, title.unknown_fee_orders) == (330, 2)
    assert title.net == 60_000 - 330 - 3_000


def test_a_page_without_rights_holders_pays_everything_to_its_owner():
    owner = UserFactory(display_name="주인")
    film = FilmPageFactory(owner=owner, price=5000, main_video=ready_video_record())
    paid_order(film, 5000, when=seoul(2026, 1, 9))

    [holder] = build_report(JANUARY).title(film.pk).holders

    assert (holder.member, holder.share, holder.amount, holder.is_owner) == (owner, Decimal(100), 4750, True)


def test_the_report_page_shows_figures_masked_accounts_and_totals(client, staff, three_holders):
    """Staff see each holder's part with the bank, holder and ••••1234, never the whole number."""
    owner = UserFactory(display_name="소유자")
    PayoutAccountFactory(user=owner, bank="우리은행", number="555500009999")
    other = FundingProjectPageFactory(title="두 번째 작품", owner=owner)
    paid_order(three_holders, 3000, when=seoul(2026, 1, 10))
    paid_order(other, 10_000, when=seoul(2026, 1, 12))
    client.force_login(staff)

    html = client.get(reverse("payouts:report"), {"month": "2026-01"}).content.decode()

    assert "밤의 버스" in html and "두 번째 작품" in html
    assert "국민은행 ••••1234" in html and "110123451234" not in html
    assert "우리은행 ••••9999" in html and "555500009999" not in html
    assert html.count("no payout account on file") == 2  # 이하늘 (no account) and the person
    assert "13,000" in html  # gross total, in the totals row
    assert "12,350" in html  # net total: 13,000 − 650


def test_the_report_defaults_to_the_last_full_month(client, staff):
    client.force_login(staff)

    response = client.get(reverse("payouts:report"))

    assert response.context["report"].period == Period.last_full_month()


def test_dates_win_over_the_month_and_must_be_in_order(client, staff):
    client.force_login(staff)

    chosen = client.get(reverse("payouts:report"), {"month": "2026-01", "start": "2026-01-05", "end": "2026-02-04"})
    backwards = client.get(reverse("payouts:report"), {"start": "2026-02-04", "end": "2026-01-05"})

    assert chosen.context["report"].period == Period(date(2026, 1, 5), date(2026, 2, 4))
    assert backwards.context["report"] is None
    assert "The period ends before it starts." in backwards.content.decode()


# --- CSV ------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_the_csv_has_one_row_per_rights_holder_and_a_total(client, staff, three_holders):
    """UTF-8 with a BOM (Excel reads Korean), the title's figures on each holder's row, masked numbers, a total."""
    paid_order(three_holders, 3000, when=seoul(2026, 1, 10))
    client.force_login(staff)

    response = client.get(reverse("payouts:csv"), {"month": "2026-01"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="payouts-2026-01.csv"' in response["Content-Disposition"]
    *rows, total = read_csv(response)
    assert [(r["Title"], r["Rights holder"], r["Share (%)"], r["Owed (KRW)"]) for r in rows] == [
        ("밤의 버스", "김지수", "33.33", "950"),
        ("밤의 버스", "이하늘", "33.33", "950"),
        ("밤의 버스", "박작곡", "33.34", "950"),
    ]
    assert {r["Net (KRW)"] for r in rows} == {"2850"}
    assert [r["Account number"] for r in rows] == ["••••1234", "", ""]
    assert (total["Title"], total["Gross (KRW)"], total["Net (KRW)"], total["Owed (KRW)"]) == (
        "Total",
        "3000",
        "2850",
        "2850",
    )


def test_full_account_numbers_need_the_payout_permission_and_are_logged(client, staff, three_holders):
    """?accounts=full gives the whole number to those who may record payouts, and the account's history says who."""
    paid_order(three_holders, 3000, when=seoul(2026, 1, 10))
    viewer = UserFactory()
    viewers = Group.objects.create(name="Payout viewers")
    viewers.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_payout")
    )
    viewer.groups.add(viewers)

    client.force_login(viewer)
    assert client.get(reverse("payouts:csv"), {"month": "2026-01"}).status_code == 200
    refused = client.get(reverse("payouts:csv"), {"month": "2026-01", "accounts": "full"})
    client.force_login(staff)
    full = client.get(reverse("payouts:csv"), {"month": "2026-01", "accounts": "full"})

    assert b"110123451234" not in refused.content
    assert [r["Account number"] for r in read_csv(full)][0] == "110123451234"
    account = three_holders.rights_holders.get(share=Decimal("33.33"), role="director").member.payout_account
    assert ModelLogEntry.objects.filter(
        action="donations.payout.accounts_exported", object_id=str(account.pk), user=staff
    ).exists()


def test_csv_cells_that_look_like_formulas_are_defused(client, staff):
    """A title typed as a spreadsheet formula is written as text, not run by Excel."""
    film = FilmPageFactory(
        title='=HYPERLINK("http://evil.example","click")', price=1000, main_video=ready_video_record()
    )
    paid_order(film, 1000, when=seoul(2026, 1, 10))
    client.force_login(staff)

    [row, _total] = read_csv(client.get(reverse("payouts:csv"), {"month": "2026-01"}))

    assert row["Title"] == '\'=HYPERLINK("http://evil.example","click")'


# --- who may see and do what ----------------------------------------------------------------------


def _payout_urls(film):
    record = {"page": film.pk, "payee": f"member:{film.owner_id}", "start": "2026-01-01", "end": "2026-01-31"}
    return [
        ("get", reverse("payouts:report"), {"month": "2026-01"}),
        ("get", reverse("payouts:csv"), {"month": "2026-01"}),
        ("get", reverse("payouts:record"), {**record, "amount": 950}),
        ("post", reverse("payouts:record"), {**record, "amount": 950}),
    ]


@pytest.mark.parametrize("role", ["anonymous", "member", "creator"])
def test_only_staff_reach_payouts(role):
    """Anonymous visitors and members are sent to log in, creators are refused; nobody but staff pays."""
    owner = UserFactory(display_name="정산대상")
    film = FilmPageFactory(owner=owner, price=1000, main_video=ready_video_record())
    paid_order(film, 1000, when=seoul(2026, 1, 10))
    user = {"anonymous": None, "member": UserFactory(), "creator": CreatorFactory()}[role]
    client = client_for(user)

    for method, url, params in _payout_urls(film):
        response = getattr(client, method)(url, params)
        assert response.status_code in (302, 403), (url, response.status_code)
        assert not urlparse(response.get("Location", "")).path.startswith("/admin/payouts/")
        assert "정산대상" not in response.content.decode()
    assert not Payout.objects.exists()


def test_staff_reach_payouts(staff):
    owner = UserFactory()
    film = FilmPageFactory(owner=owner, price=1000, main_video=ready_video_record())
    paid_order(film, 1000, when=seoul(2026, 1, 10))
    client = client_for(staff)

    for method, url, params in _payout_urls(film)[:3]:
        assert getattr(client, method)(url, params).status_code == 200, url


def test_the_payouts_menu_item_is_shown_to_staff_only(staff, creator):
    assert '"url": "/admin/payouts/"' in client_for(staff).get(reverse("wagtailadmin_home")).content.decode()
    assert '"url": "/admin/payouts/"' not in client_for(creator).get(reverse("wagtailadmin_home")).content.decode()


# --- recording payouts ----------------------------------------------------------------------------


@pytest.fixture
def funded_project():
    """A project with 50,000 raised in January, split 60/40 between a member with an account and a person."""
    project = FundingProjectPageFactory(title="첫차")
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 0, "backers": 0})
    member = UserFactory(display_name="감독")
    PayoutAccountFactory(user=member, bank="신한은행", number="100200305678")
    RightsHolderFactory(page=project, member=member, share=Decimal("60"))
    RightsHolderFactory(page=project, member=None, person=PersonFactory(), share=Decimal("40"))
    paid_order(project, 20_000, when=seoul(2026, 1, 3))
    paid_order(project, 30_000, when=seoul(2026, 1, 4))
    return project


def record_data(project, payee: str, amount: int, period: Period = JANUARY) -> dict:
    return {
        "page": project.pk,
        "payee": payee,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "amount": amount,
        "reference": "KB 2026-02-05",
    }


def test_the_confirmation_step_shows_what_will_be_paid_and_posts_with_csrf(staff, funded_project):
    """GET is only the question (nothing recorded); the form posts with a CSRF token."""
    member = funded_project.rights_holders.get(share=60).member
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    data = record_data(funded_project, f"member:{member.pk}", 28_500)

    page = client.get(reverse("payouts:record"), data)
    forged = client.post(reverse("payouts:record"), data)

    html = page.content.decode()
    assert "28,500 KRW" in html and "신한은행 ••••5678" in html and "100200305678" not in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert forged.status_code == 403
    assert not Payout.objects.exists()


def test_marking_as_paid_twice_records_one_payout_and_one_ledger_entry(staff, funded_project):
    """A double click or a replayed POST pays once; the chain still verifies; the report says what was paid."""
    member = funded_project.rights_holders.get(share=60).member
    client = client_for(staff)
    data = record_data(funded_project, f"member:{member.pk}", 28_500)  # 60% of 50,000 − 2,500

    first = client.post(reverse("payouts:record"), data)
    second = client.post(reverse("payouts:record"), data)

    assert first.status_code == second.status_code == 302
    payout = Payout.objects.get()
    assert (payout.member, payout.amount, payout.share, payout.bank, payout.account_last4, payout.paid_by) == (
        member,
        28_500,
        Decimal("60.00"),
        "신한은행",
        "5678",
        staff,
    )
    entries = LedgerEntry.objects.filter(kind="payout")
    assert [(e.chain_id, e.amount, e.note) for e in entries] == [(f"project:{funded_project.pk}", -28_500, "2026-01")]
    assert ledger.verify(f"project:{funded_project.pk}").ok
    assert ModelLogEntry.objects.filter(action="donations.payout.record", object_id=str(payout.pk), user=staff).exists()
    holder = build_report(JANUARY).title(funded_project.pk).holder(f"member:{member.pk}")
    assert holder.payout == payout and not holder.can_pay
    assert "28,500 paid on" in client.get(reverse("payouts:report"), {"month": "2026-01"}).content.decode()


def test_recording_the_same_payout_again_returns_the_first(staff, funded_project):
    """The service itself is idempotent: created=False and nothing new on the ledger."""
    payee = f"person:{funded_project.rights_holders.get(share=40).person_id}"
    first, created = record_payout(funded_project.pk, payee, JANUARY, by=staff, expected_amount=19_000)
    again, created_again = record_payout(funded_project.pk, payee, JANUARY, by=staff, expected_amount=19_000)

    assert (created, created_again, again) == (True, False, first)
    assert LedgerEntry.objects.filter(kind="payout").count() == 1


def test_payouts_leave_the_amount_raised_alone(staff, funded_project):
    """Raised stays 50,000 (also when rebuilt from the ledger); the public ledger shows a payout, not a backer."""
    member = funded_project.rights_holders.get(share=60).member
    record_payout(funded_project.pk, f"member:{member.pk}", JANUARY, by=staff, expected_amount=28_500)

    assert ledger.project_totals_from_ledger(funded_project.pk) == (50_000, 2)
    assert ledger.rebuild_project_total(funded_project.pk).amount == 50_000
    html = (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get(reverse("donations:project_ledger", args=[funded_project.pk]))
        .content.decode()
    )
    assert "Payout to rights holders (2026-01)" in html and "-28,500" in html
    assert "감독" not in html and "5678" not in html
    assert "50,000" in html  # raised
    assert "Paid out to rights holders" in html and "28,500 KRW" in html
    api = Client().get(reverse("api_project_ledger", args=[funded_project.pk])).json()
    assert api["amount_raised"] == 50_000 and api["items"][0]["kind"] == "payout"


def test_a_period_that_has_not_ended_cannot_be_paid(staff, funded_project):
    """Money may still arrive in a running month, so it is paid once the month is over."""
    today = site_today()  # in Seoul: UTC's date is a day behind for nine hours a day
    running = Period.month(today.year, today.month)
    member = funded_project.rights_holders.get(share=60).member

    with pytest.raises(PayoutRefused, match="once it has ended"):
        record_payout(funded_project.pk, f"member:{member.pk}", running, by=staff, expected_amount=1)
    assert not Payout.objects.exists()


def test_a_payout_is_refused_when_the_amount_owed_is_not_the_confirmed_one(staff, funded_project):
    """The amount is recomputed on the server; if it is not what staff confirmed, nothing is written."""
    member = funded_project.rights_holders.get(share=60).member
    client = client_for(staff)

    response = client.post(
        reverse("payouts:record"), record_data(funded_project, f"member:{member.pk}", 30_000), follow=True
    )

    assert "The amount owed is now 28,500 KRW, not 30,000 KRW." in response.content.decode()
    assert not Payout.objects.exists() and not LedgerEntry.objects.filter(kind="payout").exists()


def test_an_overlapping_period_cannot_be_paid_again(staff, funded_project):
    """January paid as a month: 15 January to 14 February is refused for the same rights holder."""
    payee = f"member:{funded_project.rights_holders.get(share=60).member_id}"
    record_payout(funded_project.pk, payee, JANUARY, by=staff, expected_amount=28_500)

    with pytest.raises(PayoutRefused, match="already paid"):
        record_payout(
            funded_project.pk, payee, Period(date(2026, 1, 15), date(2026, 2, 14)), by=staff, expected_amount=0
        )
    assert Payout.objects.count() == 1


def test_a_payout_to_someone_no_longer_a_rights_holder_still_shows(staff, funded_project):
    """Shares changed after paying: the paid line stays in the report, so paid totals still add up."""
    member_row = funded_project.rights_holders.get(share=60)
    record_payout(funded_project.pk, member_row.payee_key, JANUARY, by=staff, expected_amount=28_500)
    member_row.delete()
    funded_project.rights_holders.update(share=100)

    title = build_report(JANUARY).title(funded_project.pk)

    former = title.holder(member_row.payee_key)
    assert (former.name, former.role, former.share, former.payout.amount) == (
        "감독",
        "no longer a rights holder",
        Decimal(0),
        28_500,
    )
    assert title.paid == 28_500


def test_a_film_payout_goes_on_the_films_chain(staff):
    owner = UserFactory()
    film = FilmPageFactory(owner=owner, price=4000, main_video=ready_video_record())
    paid_order(film, 4000, when=seoul(2026, 1, 2))

    payout, _created = record_payout(film.pk, f"member:{owner.pk}", JANUARY, by=staff, expected_amount=3800)

    assert (payout.ledger_entry.chain_id, payout.ledger_entry.amount) == (f"film:{film.pk}", -3800)
    assert payout.ledger_entry.film_id == film.pk and payout.ledger_entry.project_id is None
    assert ledger.verify(f"film:{film.pk}").ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL's row locks")
def test_eight_simultaneous_clicks_on_postgresql_pay_once():
    """Eight requests racing to mark the same share as paid: one payout, one ledger entry, all get the same payout."""
    from donations.tests.helpers import run_in_threads

    staff = StaffUserFactory()
    owner = UserFactory()
    film = FilmPageFactory(owner=owner, price=4000, main_video=ready_video_record())
    paid_order(film, 4000, when=seoul(2026, 1, 2))
    results = []

    def pay():
        results.append(record_payout(film.pk, f"member:{owner.pk}", JANUARY, by=staff, expected_amount=3800))

    run_in_threads([pay] * 8, workers=8)

    assert Payout.objects.count() == 1
    assert sorted(created for _payout, created in results) == [False] * 7 + [True]
    assert {payout.pk for payout, _created in results} == {Payout.objects.get().pk}
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert ledger.verify(f"film:{film.pk}").ok


# --- queries --------------------------------------------------------------------------------------


def _add_titles(count: int, *, orders: int, holders: int) -> None:
    for _ in range(count):
        project = FundingProjectPageFactory()
        share = Decimal(100) / holders
        shares = [share.quantize(Decimal("0.01"))] * (holders - 1)
        shares.append(Decimal(100) - sum(shares))
        for share in shares:
            member = UserFactory()
            PayoutAccountFactory(user=member)
            RightsHolderFactory(page=project, member=member, share=share)
        placed = [
            paid_order(project, 10_000, when=seoul(2026, 1, 5), fee=(None if n % 2 else 100)) for n in range(orders)
        ]
        refund(placed[0], 1000, when=seoul(2026, 1, 20))
        first = project.rights_holders.first()
        owed = build_report(JANUARY).title(project.pk).holder(first.payee_key).amount
        record_payout(project.pk, first.payee_key, JANUARY, by=StaffUserFactory(), expected_amount=owed)


def _count_queries(client, url, params) -> int:
    client.get(url, params)  # warm the per-process caches (site, content types, menus)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return len(queries)  # read now: the next request resets the connection's query log


def test_the_report_takes_the_same_number_of_queries_however_much_data(client, staff, django_assert_num_queries):
    """Sums run in SQL and relations are prefetched: 1 title with 1 order, or 5 with 3 holders and 8 orders each."""
    client.force_login(staff)
    report, csv_url, params = reverse("payouts:report"), reverse("payouts:csv"), {"month": "2026-01"}
    _add_titles(1, orders=1, holders=1)
    report_queries, csv_queries = _count_queries(client, report, params), _count_queries(client, csv_url, params)

    _add_titles(4, orders=8, holders=3)

    with django_assert_num_queries(report_queries):
        response = client.get(report, params)
    assert len(response.context["report"].titles) == 5
    assert sum(len(title.holders) for title in response.context["report"].titles) == 13
    with django_assert_num_queries(csv_queries):
        assert len(read_csv(client.get(csv_url, params))) == 13 + 1
