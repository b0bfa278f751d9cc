"""Staff's payout pages in the admin: the report for a period, its CSV, and "mark as paid".

    /admin/payouts/              the report (a month, by default the last full one, or from/to dates)
    /admin/payouts/csv/          the same rows as CSV (UTF-8 with a BOM, so Excel reads Korean);
                                 account numbers masked unless ?accounts=full (see `payout_csv`)
    /admin/payouts/record/       GET: what is about to be marked as paid; POST: record it

Viewing needs `donations.view_payout`, recording and full account numbers `donations.add_payout`
(both held by Staff, `members.roles`). The figures come from `donations.payouts`.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import log as log_action

from reelvision.spreadsheet import csv_response, text_cell

from .. import payouts
from ..payouts import PayoutRefused, Period
from ..splits import format_percent

log = logging.getLogger(__name__)

VIEW_PERMISSION = "donations.view_payout"
RECORD_PERMISSION = "donations.add_payout"


class PeriodForm(forms.Form):
    """A calendar month, or from/to dates (both included); the last full month when empty."""

    month = forms.CharField(
        label=gettext_lazy("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    start = forms.DateField(
        label=pgettext_lazy("date range", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end, month = cleaned.get("start"), cleaned.get("end"), (cleaned.get("month") or "").strip()
        if self.errors:
            return cleaned
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Give both dates, or choose a month."))
            cleaned["period"] = period_or_error(start, end)
        elif month:
            try:
                year, number = (int(part) for part in month.split("-"))
                cleaned["period"] = Period.month(year, number)
            except ValueError:
                raise forms.ValidationError(_("Choose a month as YYYY-MM, e.g. 2026-01.")) from None
        else:
            cleaned["period"] = Period.last_full_month()
        return cleaned


def period_or_error(start, end) -> Period:
    try:
        return Period(start, end)
    except ValueError:
        raise forms.ValidationError(_("The period ends before it starts.")) from None


def period_query(period: Period) -> str:
    """The query string that shows `period` again: ?month= for a calendar month, else ?start=&end=."""
    if period.is_month:
        return urlencode({"month": period.label})
    return urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})


def why_not_offered(period: Period, holder: payouts.HolderLine | None) -> str:
    """Why "mark as paid" is not offered for `holder`'s part of `period`, or "" when it is: what the
    service refuses (`payouts.refusal`: a running period, nothing owed, paid already), and a rights
    holder without a payout account, since the money must have gone to an account we can name."""
    refused = payouts.refusal(period, holder)
    if refused:
        return refused
    if holder.account is None:
        return _(
            "This rights holder has no payout account on file, so there is nothing to transfer to. "
            "They add one on their page (My page → Payout account); then it can be marked as paid."
        )
    return ""


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class PayoutReportView(WagtailAdminTemplateMixin, View):
    template_name = "donations/admin/payouts.html"
    page_title = gettext_lazy("Payouts")
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request):
        _require(request, VIEW_PERMISSION)
        form = PeriodForm(request.GET or None)
        report = None
        if not form.is_bound or form.is_valid():
            period = form.cleaned_data["period"] if form.is_bound else Period.last_full_month()
            report = payouts.build_report(period)
            if not form.is_bound:
                form = PeriodForm(initial={"month": period.label})
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report=report,
                query=period_query(report.period) if report else "",
                can_record=request.user.has_perm(RECORD_PERMISSION),
                # "Mark as paid" is offered once the period is over (money may still arrive in it).
                can_record_period=bool(report) and report.period.has_ended(),
                fee_percent=format_percent(report.fee_percent) if report else "",
                time_zone=timezone.get_default_timezone_name(),
            )
        )


# --- CSV ------------------------------------------------------------------------------------------


def csv_header() -> list[str]:
    return [
        _("Period from"),
        _("Period to"),
        _("Title ID"),
        _("Title"),
        _("Kind"),
        _("Orders"),
        _("Gross (KRW)"),
        _("Refunds (KRW)"),
        _("Provider fees (KRW)"),
        _("Orders without a known provider fee"),
        _("Platform fee (%)"),
        _("Platform fee (KRW)"),
        _("Net (KRW)"),
        _("Rights holder"),
        _("Rights holder type"),
        _("Role"),
        _("Share (%)"),
        _("Owed (KRW)"),
        _("Bank"),
        _("Account holder"),
        _("Account number"),
        _("Paid (KRW)"),
        _("Paid on"),
    ]


def csv_rows(report: payouts.Report, *, full_numbers: bool):
    """One row per rights holder per title; the title's figures repeat on each of its rows, so every
    row stands alone (filter by title in Excel and the figures are there). The last row is the total,
    with each title counted once."""
    period = report.period
    fee = format_percent(report.fee_percent)
    for title in report.titles:
        kind = _("project") if title.is_project else _("film")
        for holder in title.holders:
            account = holder.account
            number = (account.number if full_numbers else account.masked_number) if account else ""
            yield [
                period.start.isoformat(),
                period.end.isoformat(),
                title.page.pk,
                text_cell(title.page.title),
                kind,
                title.orders,
                title.gross,
                title.refunds,
                title.provider_fees,
                title.unknown_fee_orders,
                fee,
                title.platform_fee,
                title.net,
                text_cell(holder.name),
                _("member") if holder.member is not None else _("person") if holder.person is not None else "",
                text_cell(holder.role),
                format_percent(holder.share),
                holder.amount,
                text_cell(account.bank) if account else "",
                text_cell(account.holder) if account else "",
                number,
                holder.payout.amount if holder.payout else "",
                timezone.localtime(holder.payout.created_at, timezone.get_default_timezone()).date().isoformat()
                if holder.payout
                else "",
            ]
    totals = report.totals
    yield [
        period.start.isoformat(),
        period.end.isoformat(),
        "",
        _("Total"),
        "",
        totals["orders"],
        totals["gross"],
        totals["refunds"],
        totals["provider_fees"],
        totals["unknown_fee_orders"],
        fee,
        totals["platform_fee"],
        totals["net"],
        "",
        "",
        "",
        "",
        sum(holder.amount for title in report.titles for holder in title.holders),
        "",
        "",
        "",
        totals["paid"],
        "",
    ]


@never_cache
def payout_csv(request):
    """The report as CSV. Account numbers are masked (••••1234) like everywhere else; `?accounts=full`
    gives the whole numbers for making the transfers. That takes the permission to record payouts,
    and each account exported is written in Wagtail's history against the account."""
    _require(request, VIEW_PERMISSION)
    full_numbers = request.GET.get("accounts") == "full"
    if full_numbers:
        _require(request, RECORD_PERMISSION)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose a valid period."))
        return redirect("payouts:report")
    report = payouts.build_report(form.cleaned_data["period"])
    suffix = "-accounts" if full_numbers else ""
    response = csv_response(
        f"payouts-{report.period.label}{suffix}.csv", csv_header(), csv_rows(report, full_numbers=full_numbers)
    )
    if full_numbers:
        _log_account_export(request.user, report)
    return response


def _log_account_export(user, report: payouts.Report) -> None:

    accounts = {holder.account.pk: holder.account for t in report.titles for holder in t.holders if holder.account}
    for account in accounts.values():
        log_action(account, "donations.payout.accounts_exported", user=user, data={"period": report.period.label})
    log.info("%s exported %d full payout account numbers for %s", user.pk, len(accounts), report.period.label)


# --- marking as paid ------------------------------------------------------------------------------


class RecordPayoutForm(forms.Form):
    page = forms.IntegerField(widget=forms.HiddenInput)
    payee = forms.CharField(widget=forms.HiddenInput, max_length=40)
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    amount = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reference = forms.CharField(
        label=gettext_lazy("Transfer reference"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Optional: the bank's reference for the transfer. Kept with the payout, not published."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end"):
            cleaned["period"] = period_or_error(cleaned["start"], cleaned["end"])
        return cleaned


class RecordPayoutView(WagtailAdminTemplateMixin, View):
    """GET shows what is about to be marked as paid; POST (with the CSRF token) records it once."""

    template_name = "donations/admin/record_payout.html"
    page_title = gettext_lazy("Mark as paid")
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("payouts:report"), "label": _("Payouts")},
            {"url": "", "label": self.page_title},
        ]

    def dispatch(self, request, *args, **kwargs):
        _require(request, RECORD_PERMISSION)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = RecordPayoutForm(request.GET)
        if not form.is_valid():
            messages.error(request, _("Choose a rights holder in the report first."))
            return redirect("payouts:report")
        data = form.cleaned_data
        period = data["period"]
        report = payouts.build_report(period, page_ids=[data["page"]])
        title = report.title(data["page"])
        holder = title.holder(data["payee"]) if title else None
        if holder is None:
            messages.error(request, _("This rights holder has nothing owed for this title and period."))
            return redirect(f"{reverse('payouts:report')}?{period_query(period)}")
        confirm = RecordPayoutForm(
            initial={**data, "amount": holder.amount, "start": period.start, "end": period.end, "reference": ""}
        )
        return self.render_to_response(
            self.get_context_data(
                form=confirm,
                period=period,
                title=title,
                holder=holder,
                refusal=why_not_offered(period, holder),
                back_url=f"{reverse('payouts:report')}?{period_query(period)}",
            )
        )

    def post(self, request):
        form = RecordPayoutForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The payout could not be recorded: the form was incomplete."))
            return redirect("payouts:report")
        data = form.cleaned_data
        period = data["period"]
        back = f"{reverse('payouts:report')}?{period_query(period)}"
        title = payouts.build_report(period, page_ids=[data["page"]]).title(data["page"])
        holder = title.holder(data["payee"]) if title else None
        if holder is not None and holder.payout is None and (refused := why_not_offered(period, holder)):
            messages.error(request, refused)
            return redirect(back)
        try:
            payout, created = payouts.record_payout(
                data["page"],
                data["payee"],
                period,
                by=request.user,
                expected_amount=data["amount"],
                reference=data["reference"],
            )
        except PayoutRefused as refused:
            messages.error(request, refused.message)
            return redirect(back)
        if created:
            messages.success(
                request,
                _("Recorded: %(amount)s KRW paid for %(period)s. It is on the ledger.")
                % {"amount": f"{payout.amount:,}", "period": period.label},
            )
        else:
            messages.warning(request, _("This payout was already recorded; nothing was added."))
        return redirect(back)


# --- wiring ---------------------------------------------------------------------------------------


class PayoutMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


class PayoutViewSet(ViewSet):
    icon = "clipboard-list"
    menu_label = gettext_lazy("Payouts")
    menu_order = 625
    add_to_admin_menu = True
    menu_item_class = PayoutMenuItem

    def get_urlpatterns(self):
        return [
            path("", PayoutReportView.as_view(), name="report"),
            path("csv/", payout_csv, name="csv"),
            path("record/", RecordPayoutView.as_view(), name="record"),
        ]


payout_viewset = PayoutViewSet("payouts")
