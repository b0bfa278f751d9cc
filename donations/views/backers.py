"""A creator's list of who backed their project: names (unless anonymous), amounts, rewards to send
and the messages backers left. The owner of the project and staff see it; nobody else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from films.models import FundingProjectPage

from ..models import SETTLED_STATUSES, Order, OrderKind

PAGE_SIZE = 50


@login_required
def project_backers(request, project_id: int):

    project = get_object_or_404(FundingProjectPage, pk=project_id)
    if project.owner_id != request.user.pk and not request.user.has_perm("donations.view_order"):
        raise Http404  # someone else's project: as if it did not exist
    donations = (
        Order.objects.filter(project=project, kind=OrderKind.DONATION, status__in=SETTLED_STATUSES)
        .select_related("member", "tier")
        .order_by("-paid_at")
    )
    summary = donations.aggregate(
        gross=Sum("amount"), refunded=Sum("refunded_amount"), members=Count("member", distinct=True)
    )
    page = Paginator(donations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "donations/backers.html",
        {"project": project, "page": page, "summary": summary, "section": "projects"},
    )
