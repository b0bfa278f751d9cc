"""A creator's list of who backed their project: names (unless anonymous), amounts, rewards to send
and the messages backers left, sorted and filtered, as a page or a CSV file; and marking rewards sent.

    /me/projects/<id>/backers/          the list (GET `tier`, `reward`, `sort`, `page`)
    /me/projects/<id>/backers.csv       the same list, every page, as CSV (UTF-8 with a BOM for Excel)
    /me/projects/<id>/backers/rewards/  POST: rewards of some donations sent, or back to "to send"

The owner of the project and staff (`donations.view_order`; changing needs `donations.change_order`)
use them; for anybody else the project does not exist (404). The rules live in `donations.backers`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from films.models import FundingProjectPage
from reelvision.spreadsheet import csv_response

from ..backers import (
    BackerFilters,
    RewardStatus,
    RewardStatusForm,
    backer_orders,
    chosen_orders,
    csv_header,
    csv_rows,
    reward_counts,
    set_reward_sent,
    shipping_address,
)

PAGE_SIZE = 50


@never_cache
@login_required
@require_safe
def project_backers(request, project_id: int):
    project = _project_for(request, project_id, "donations.view_order")
    tiers = list(project.tiers.all())
    filters, form = BackerFilters.from_params(request.GET, tiers=tiers)
    donations = backer_orders(project)
    summary = donations.aggregate(
        gross=Sum("amount"), refunded=Sum("refunded_amount"), members=Count("member", distinct=True)
    )
    page = Paginator(filters.apply(donations).select_related("member", "tier"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for order in page:
        order.shipping = shipping_address(order)
    counts = reward_counts(project)
    return render(
        request,
        "donations/backers.html",
        {
            "project": project,
            "page": page,
            "summary": summary,
            "reward_counts": counts,
            "total": sum(counts.values()),
            "filters": filters,
            "filter_form": form,
            "list_query": _list_query(filters, page.number),
            "can_mark": _may(request.user, project, "donations.change_order"),
            "section": "projects",
        },
    )


@never_cache
@login_required
@require_safe
def project_backers_csv(request, project_id: int):
    project = _project_for(request, project_id, "donations.view_order")
    filters, _form = BackerFilters.from_params(request.GET, tiers=project.tiers.all())
    donations = filters.apply(backer_orders(project)).select_related("member", "tier")
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    return csv_response(f"backers-{project.pk}-{today.isoformat()}.csv", csv_header(), csv_rows(donations))


@login_required
@require_POST
def mark_rewards(request, project_id: int):
    """Rewards of the ticked donations (or of one, from its row) marked sent or back to "to send";
    then the list again, with the filters it was showing."""
    project = _project_for(request, project_id, "donations.change_order")
    filters, _form = BackerFilters.from_params(request.GET, tiers=project.tiers.all())
    back = _list_url(project, filters, page=request.GET.get("page", ""))
    orders = chosen_orders(project, request.POST.getlist("order"))
    if orders is None:
        raise Http404  # a donation of another project, or no donation at all: nothing changes
    form = RewardStatusForm(request.POST)
    if not orders or not form.is_valid():
        messages.error(request, _("Tick the backers whose rewards you want to mark first."))
        return redirect(back)
    sent = form.cleaned_data["status"] == RewardStatus.SENT
    changed = set_reward_sent(orders, sent=sent)
    if sent:
        text = ngettext("%(count)d reward marked as sent.", "%(count)d rewards marked as sent.", changed)
    else:
        text = ngettext("%(count)d reward marked as to send.", "%(count)d rewards marked as to send.", changed)
    messages.success(request, text % {"count": changed})
    return redirect(back)


def _list_query(filters: BackerFilters, page) -> str:
    """The list's query string for `filters` and `page`, if that is a page number past the first;
    rebuilt from validated values, so a redirect never echoes what it was sent."""
    page = str(page)
    if page.isascii() and page.isdigit() and int(page) > 1:
        return f"{filters.query}&page={int(page)}" if filters.query else f"page={int(page)}"
    return filters.query


def _list_url(project, filters: BackerFilters, *, page) -> str:
    query = _list_query(filters, page)
    return reverse("donations:project_backers", args=[project.pk]) + (f"?{query}" if query else "")


def _project_for(request, project_id: int, permission: str) -> FundingProjectPage:
    project = get_object_or_404(FundingProjectPage, pk=project_id)
    if not _may(request.user, project, permission):
        raise Http404  # someone else's project: as if it did not exist
    return project


def _may(user, project: FundingProjectPage, permission: str) -> bool:
    return project.owner_id == user.pk or user.has_perm(permission)
