"""Payout reports and payouts: what each film or project earned in a period, and who is owed what.

Period(start, end)    whole days in the site's time zone (Asia/Seoul); Period.month(...) a month
build_report(period)  for every title with money in the period:
                        gross          orders paid in the period (by paid_at)
                        refunds        refunds made in the period (by their ledger entry), also of
                                       orders paid in earlier periods
                        provider fees  the fees providers reported; orders without one are counted
                        platform fee   PLATFORM_FEE_PERCENT of (gross − refunds), floored to the won
                        net            gross − refunds − known provider fees − platform fee
                      and each rights holder's part of the net in whole won (largest remainder,
                      so the parts add up to the net exactly), with their payout account and what
                      was already paid for the period. Sums are done in SQL: the number of queries
                      does not grow with the number of orders, titles or rights holders.
record_payout(...)    one transaction: a `Payout` row and a negative PAYOUT entry on the title's
                      ledger chain, logged in Wagtail's history. Paying the same rights holder,
                      title and period again returns the first payout and writes nothing.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log as log_action

from films.models import FilmBasePage, FundingProjectPage

from . import ledger
from .models import LedgerEntry, LedgerKind, Order, Payout, RightsHolder
from .splits import HUNDRED, platform_fee, split_by_shares

# What the public ledger's "backer" column holds for a payout (not hashed; the page shows a label).
PAYOUT_LEDGER_LABEL = "rights holders"


class PayoutRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def site_today() -> date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end` (both included) in the site's time zone."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def last_full_month(cls, today: date | None = None) -> Period:
        last_day = (today or site_today()).replace(day=1) - timedelta(days=1)
        return cls.month(last_day.year, last_day.month)

    @property
    def is_month(self) -> bool:
        return self == Period.month(self.start.year, self.start.month)

    @property
    def label(self) -> str:
        """ "2026-01" for a calendar month, else "2026-01-05–2026-02-04"."""
        if self.is_month:
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, first instant after) as aware datetimes: midnight in Seoul, not UTC."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def has_ended(self) -> bool:
        return self.end < site_today()


# --- the report -----------------------------------------------------------------------------------


@dataclass
class HolderLine:
    """One rights holder of one title: their share of the period's net and where it goes."""

    payee_key: str  # "member:<id>" or "person:<id>"; "" when nobody can be paid (a page without owner)
    name: str
    role: str
    share: Decimal
    amount: int = 0
    member: object | None = None
    person: object | None = None
    is_owner: bool = False  # the page lists no rights holders: its owner gets everything
    payout: Payout | None = None  # paid for exactly this period
    other_payouts: list[Payout] = field(default_factory=list)  # paid for periods overlapping this one

    @property
    def account(self):
        """The member's payout account, or None (people have none)."""
        if self.member is None:
            return None
        return getattr(self.member, "payout_account", None)

    @property
    def can_pay(self) -> bool:
        return bool(self.payee_key) and self.payout is None and not self.other_payouts and self.amount > 0


@dataclass
class TitleLine:
    page: object  # films.FilmBasePage
    is_project: bool
    orders: int = 0
    gross: int = 0
    refunds: int = 0  # a positive number of won given back
    provider_fees: int = 0
    unknown_fee_orders: int = 0
    platform_fee: int = 0
    net: int = 0
    shares_total: Decimal = HUNDRED
    holders: list[HolderLine] = field(default_factory=list)

    @property
    def paid(self) -> int:
        return sum(line.payout.amount for line in self.holders if line.payout)

    def holder(self, payee_key: str) -> HolderLine | None:
        return next((line for line in self.holders if line.payee_key == payee_key), None)


@dataclass
class Report:
    period: Period
    fee_percent: Decimal
    titles: list[TitleLine]

    def _total(self, name: str) -> int:
        return sum(getattr(title, name) for title in self.titles)

    @property
    def totals(self) -> dict[str, int]:
        names = ("orders", "gross", "refunds", "provider_fees", "unknown_fee_orders", "platform_fee", "net", "paid")
        return {name: self._total(name) for name in names}

    def title(self, page_id: int) -> TitleLine | None:
        return next((title for title in self.titles if title.page.pk == page_id), None)


def fee_percent() -> Decimal:
    return settings.PLATFORM_FEE_PERCENT  # a Decimal (settings), never a float


def build_report(period: Period, *, page_ids=None) -> Report:
    """The payout report for `period` (optionally for some titles only), in a fixed number of queries."""

    start, end = period.bounds()
    title_id = Coalesce("project_id", "film_id", output_field=models.IntegerField())
    orders = Order.objects.filter(paid_at__gte=start, paid_at__lt=end)
    refunds = LedgerEntry.objects.filter(kind=LedgerKind.REFUND, created_at__gte=start, created_at__lt=end)
    if page_ids is not None:
        orders = orders.filter(Q(project_id__in=page_ids) | Q(film_id__in=page_ids))
        refunds = refunds.filter(Q(project_id__in=page_ids) | Q(film_id__in=page_ids))
    # order_by(): the models' default orderings would otherwise join the GROUP BY.
    income = {
        row["title_id"]: row
        for row in orders.annotate(title_id=title_id)
        .values("title_id")
        .annotate(
            orders=Count("pk"),
            gross=Sum("amount"),
            provider_fees=Sum("provider_fee"),
            unknown_fee_orders=Count("pk", filter=Q(provider_fee__isnull=True)),
        )
        .order_by()
    }
    refunded = dict(
        refunds.annotate(title_id=title_id)
        .values("title_id")
        .annotate(total=Sum("amount"))
        .values_list("title_id", "total")
        .order_by()
    )
    ids = set(income) | set(refunded)
    if not ids:
        return Report(period, fee_percent(), [])

    pages = (
        FilmBasePage.objects.filter(pk__in=ids)
        .annotate(is_project=Exists(FundingProjectPage.objects.filter(pk=OuterRef("pk"))))
        .select_related("owner__payout_account")
        .prefetch_related(
            Prefetch(
                "rights_holders",
                queryset=RightsHolder.objects.select_related("member__payout_account", "person").order_by(
                    "sort_order", "pk"
                ),
            )
        )
        .order_by("title", "pk")
    )
    payouts: dict[int, list[Payout]] = {}
    for payout in Payout.objects.filter(
        page_id__in=ids, period_start__lte=period.end, period_end__gte=period.start
    ).select_related("paid_by", "member__payout_account", "person"):
        payouts.setdefault(payout.page_id, []).append(payout)

    percent = fee_percent()
    titles = []
    for page in pages:
        row = income.get(page.pk, {})
        line = TitleLine(
            page=page,
            is_project=page.is_project,
            # int(): PostgreSQL's SUM over bigint is a numeric, which arrives as a Decimal.
            orders=row.get("orders", 0),
            gross=int(row.get("gross") or 0),
            refunds=-int(refunded.get(page.pk) or 0),
            provider_fees=int(row.get("provider_fees") or 0),
            unknown_fee_orders=row.get("unknown_fee_orders", 0),
        )
        line.platform_fee = platform_fee(line.gross - line.refunds, percent)
        line.net = line.gross - line.refunds - line.provider_fees - line.platform_fee
        line.holders = _holders(page)
        line.shares_total = sum((holder.share for holder in line.holders), Decimal(0))
        if line.shares_total > 0:
            for holder, amount in zip(
                line.holders, split_by_shares(line.net, [h.share for h in line.holders]), strict=True
            ):
                holder.amount = amount
        _attach_payouts(line, period, payouts.get(page.pk, []))
        titles.append(line)
    return Report(period, percent, titles)


def _holders(page) -> list[HolderLine]:
    """The page's rights holders, each payee once (shares of a payee listed twice are added up);
    the owner at 100% when there are none."""
    lines: dict[str, HolderLine] = {}
    for row in page.rights_holders.all():
        existing = lines.get(row.payee_key)
        if existing:
            existing.share += row.share
            continue
        lines[row.payee_key] = HolderLine(
            payee_key=row.payee_key,
            name=row.payee_name,
            role=row.role,
            share=row.share,
            member=row.member,
            person=row.person,
        )
    if lines:
        return list(lines.values())
    owner = page.owner
    if owner is None:
        return [HolderLine(payee_key="", name=_("No owner"), role="", share=HUNDRED, is_owner=True)]
    return [
        HolderLine(
            payee_key=f"member:{owner.pk}",
            name=owner.get_full_name(),
            role=_("page owner"),
            share=HUNDRED,
            member=owner,
            is_owner=True,
        )
    ]


def _attach_payouts(line: TitleLine, period: Period, payouts: list[Payout]) -> None:
    for payout in payouts:
        holder = line.holder(payout.payee_key)
        if holder is None:
            # Paid to someone who is no longer a rights holder: still shown, so the totals add up.
            holder = HolderLine(
                payee_key=payout.payee_key,
                name=payout.payee_name,
                role=_("no longer a rights holder"),
                share=Decimal(0),
                member=payout.member,
                person=payout.person,
            )
            line.holders.append(holder)
        if (payout.period_start, payout.period_end) == (period.start, period.end):
            holder.payout = payout
        else:
            holder.other_payouts.append(payout)


# --- recording a payout ---------------------------------------------------------------------------


def parse_payee(payee_key: str) -> dict:
    kind, _sep, pk = (payee_key or "").partition(":")
    if kind not in ("member", "person") or not pk.isdigit():
        raise PayoutRefused(_("Unknown rights holder."))
    return {f"{kind}_id": int(pk)}


def refusal(period: Period, holder: HolderLine | None) -> str:
    """Why `holder`'s part for `period` cannot be marked as paid, or "" when it can. The confirmation
    page says it before anything is sent; `record_payout` checks it again under the chain's lock."""
    if not period.has_ended():
        return _("A period can be paid once it has ended.")
    if holder is None or holder.share <= 0:
        return _("This rights holder has nothing owed for this title and period.")
    if holder.other_payouts:
        return _("Part of this period was already paid to this rights holder.")
    if holder.payout is None and holder.amount <= 0:
        return _("There is nothing to pay: the net for this period is not positive.")
    return ""


def record_payout(
    page_id: int, payee_key: str, period: Period, *, by, expected_amount: int, reference: str = ""
) -> tuple[Payout, bool]:
    """Record that `payee_key`'s part of title `page_id`'s net for `period` was paid.

    Returns (payout, created). The amount is recomputed here, never taken from the form: if it is not
    `expected_amount` (what the member of staff confirmed) nothing is written. A second call for the
    same rights holder, title and period returns the first payout with created=False.
    """

    payee = parse_payee(payee_key)
    if not period.has_ended():
        raise PayoutRefused(refusal(period, None))
    is_project = (
        FilmBasePage.objects.filter(pk=page_id)
        .annotate(is_project=Exists(FundingProjectPage.objects.filter(pk=OuterRef("pk"))))
        .values_list("is_project", flat=True)
        .first()
    )
    if is_project is None:
        raise PayoutRefused(refusal(period, None))
    chain = ledger.title_chain_key(page_id, is_project)
    try:
        with transaction.atomic():
            # Lock the title's chain first: from here on nobody else records a payout (or a refund)
            # on it, so the payouts and the report read next are the ones that count.
            ledger.lock(chain)
            overlapping = list(
                Payout.objects.filter(
                    page_id=page_id, period_start__lte=period.end, period_end__gte=period.start, **payee
                )
            )
            for payout in overlapping:
                if (payout.period_start, payout.period_end) == (period.start, period.end):
                    return payout, False
            if overlapping:  # also when the title earned nothing in this exact period
                raise PayoutRefused(_("Part of this period was already paid to this rights holder."))
            title = build_report(period, page_ids=[page_id]).title(page_id)
            holder = title.holder(payee_key) if title else None
            problem = refusal(period, holder)
            if problem:
                raise PayoutRefused(problem)
            if holder.amount != expected_amount:
                raise PayoutRefused(
                    _("The amount owed is now %(amount)s KRW, not %(expected)s KRW. Check the report again.")
                    % {"amount": f"{holder.amount:,}", "expected": f"{expected_amount:,}"}
                )
            entry = ledger.append(
                key=chain,
                kind=LedgerKind.PAYOUT,
                amount=-holder.amount,
                backer=PAYOUT_LEDGER_LABEL,
                note=period.label,
                project_id=page_id if is_project else None,
                film_id=None if is_project else page_id,
            )
            account = holder.account
            payout = Payout.objects.create(
                page_id=page_id,
                period_start=period.start,
                period_end=period.end,
                share=holder.share,
                amount=holder.amount,
                ledger_entry=entry,
                bank=account.bank if account else "",
                account_holder=account.holder if account else "",
                account_last4=account.last4 if account else "",
                reference=(reference or "").strip()[:100],
                paid_by=by,
                **payee,
            )
            log_action(
                payout,
                "donations.payout.record",
                user=by,
                data={
                    "page": page_id,
                    "payee": payee_key,
                    "period": period.label,
                    "amount": holder.amount,
                    "ledger": f"{entry.chain_id}#{entry.sequence}",
                },
            )
            return payout, True
    except IntegrityError:
        # The same payout committed between our check and our insert (the unique constraint held).
        existing = Payout.objects.filter(
            page_id=page_id, period_start=period.start, period_end=period.end, **payee
        ).first()
        if existing is None:
            raise
        return existing, False
