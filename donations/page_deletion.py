"""Pages that hold money cannot be deleted: their orders, ledger entries and payouts are the accounts.

The database already refuses (those foreign keys are PROTECT), but Wagtail's delete views only know
what its reference index knows, and the index does not follow orders or the ledger: without this
check the admin would offer the delete and then fail. `refusal()` says why a set of pages (with
everything under them) cannot go and what to do instead; the admin's hooks call it before deleting.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import LedgerEntry, Order, Payout


def pages_holding_money(pages: Iterable[Page]) -> list[Page]:
    """The pages among `pages` and their descendants that have orders, ledger entries or payouts."""
    pages = list(pages)
    if not pages:
        return []
    tree = Q()
    for page in pages:
        tree |= Q(path__startswith=page.path)
    ids = set(Page.objects.filter(tree).values_list("pk", flat=True))
    holding = set(
        Order.objects.filter(Q(project_id__in=ids) | Q(film_id__in=ids)).values_list("project_id", "film_id")
    ) | set(LedgerEntry.objects.filter(Q(project_id__in=ids) | Q(film_id__in=ids)).values_list("project_id", "film_id"))
    held = {pk for pair in holding for pk in pair if pk in ids}
    held |= set(Payout.objects.filter(page_id__in=ids).values_list("page_id", flat=True))
    return list(Page.objects.filter(pk__in=held).order_by("path"))


def refusal(pages: Iterable[Page]) -> str:
    """Why `pages` cannot be deleted, naming the pages that hold money, or "" when they can."""
    holding = pages_holding_money(pages)
    if not holding:
        return ""
    return _(
        "%(titles)s cannot be deleted: it has orders or ledger entries, which stay for the accounts and the "
        "public ledger. Unpublish it instead (Actions → Unpublish) to take it off the site."
    ) % {"titles": ", ".join(f"“{page.title}”" for page in holding)}


def refused_response(request, pages, next_url: str = ""):
    """For the admin: None when `pages` may be deleted, else a redirect carrying `refusal()` as a message."""

    pages = list(pages)
    reason = refusal(pages)
    if not reason:
        return None
    messages.error(request, reason)
    if next_url and next_url != request.path:
        return redirect(next_url)
    return redirect("wagtailadmin_explore", pages[0].get_parent().pk)
