"""Who a delivery to many members reaches, as a query of members (ordered and batched by id).

Followers come from whichever app keeps follows: it registers a Wagtail hook
`notification_followers(page)` that returns a queryset of the members following the page or its
owner. Until one is registered, nobody follows anybody.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page

from donations.models import PAID_STATUSES, Order, OrderKind

from .models import Audience


def project_backers(project_id: int):
    return Order.objects.filter(project_id=project_id, kind=OrderKind.DONATION, status__in=PAID_STATUSES).values(
        "member_id"
    )


def followers(page_id: int):
    """The members who follow the page or its owner, from every `notification_followers` hook."""
    page = Page.objects.filter(pk=page_id).specific().first()
    condition = Q(pk__in=[])
    if page is not None:
        for hook in hooks.get_hooks("notification_followers"):
            condition |= Q(pk__in=hook(page).values("pk"))
    return condition


def members_of(audience: str, args: dict):
    """The (active, not deleted) members an audience stands for."""
    members = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)
    if audience == Audience.PROJECT_BACKERS:
        condition = Q(pk__in=project_backers(args["project_id"]))
        if args.get("with_followers"):
            condition |= followers(args["project_id"])
        return members.filter(condition)
    if audience == Audience.FOLLOWERS:
        return members.filter(followers(args["page_id"]))
    raise ValueError(f"unknown audience {audience!r}")


def has_followers_hook() -> bool:
    return bool(hooks.get_hooks("notification_followers"))
