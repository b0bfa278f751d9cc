"""The public funding ledger: append-only, one SHA-256 hash chain per project (and per film).

Each entry stores the hash of the entry before it in its chain and its own hash over the fields
the public API publishes plus that link (LedgerEntry.hashed_fields). Editing, deleting or reordering any entry
breaks the chain from that point, which `verify()` finds and names. Appending locks the chain's
head row, so parallel confirmations line up one after another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from films.models import FundingTotal

from .models import LedgerChain, LedgerEntry, LedgerKind, Order, OrderKind

GENESIS = "0" * 64


def title_chain_key(page_id: int, is_project: bool) -> str:
    """The chain of a title: a funding project's public chain, or a film's."""
    return f"project:{page_id}" if is_project else f"film:{page_id}"


def chain_key_for(order: Order) -> str:
    if order.kind == OrderKind.DONATION:
        return title_chain_key(order.project_id, is_project=True)
    return title_chain_key(order.film_id, is_project=False)


def backer_label(order: Order) -> str:
    """What the public list shows: "anonymous", or the display name with its middle masked."""
    if order.is_anonymous:
        return "anonymous"
    name = (order.member.display_name or "").strip()
    if not name:
        return "member"
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_backer_name(label: str) -> str:
    """A stored backer label as the public reads it: the masked name, "Anonymous" or "A member"."""
    return {"anonymous": _("Anonymous"), "member": _("A member")}.get(label, label)


@dataclass
class RecentBacker:
    name: str
    amount: int
    date: datetime


def recent_backers(project_id: int, limit: int = 5) -> list[RecentBacker]:
    """The latest donations on the project's ledger, newest first, as the public may see them."""
    entries = (
        LedgerEntry.objects.filter(chain_id=f"project:{project_id}", kind=LedgerKind.DONATION)
        .order_by("-sequence")
        .values_list("backer", "amount", "created_at")[:limit]
    )
    return [RecentBacker(public_backer_name(label), amount, date) for label, amount, date in entries]


def lock(key: str) -> LedgerChain:
    """The head of chain `key`, created if new and locked until the caller's transaction ends.

    Whoever holds it is the only one appending to the chain; payouts also take it before checking
    whether a period is already paid, so two clicks on "mark as paid" line up and the second sees
    the first's payout.
    """
    assert transaction.get_connection().in_atomic_block, "ledger entries are written inside the money transaction"
    LedgerChain.objects.get_or_create(key=key)
    return LedgerChain.objects.select_for_update().get(key=key)


def append(
    *,
    key: str,
    kind: str,
    amount: int,
    backer: str,
    order: Order | None = None,
    note: str = "",
    project_id=None,
    film_id=None,
) -> LedgerEntry:
    """Add one entry at the end of chain `key`. Must run inside the caller's transaction."""
    chain = lock(key)
    entry = LedgerEntry(
        chain=chain,
        sequence=chain.length + 1,
        kind=kind,
        order=order,
        project_id=project_id,
        film_id=film_id,
        amount=amount,
        backer=backer,
        note=note,
        created_at=timezone.now(),
        previous_hash=chain.head_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    LedgerChain.objects.filter(pk=key).update(length=entry.sequence, head_hash=entry.hash)
    return entry


@dataclass
class Verification:
    key: str
    entries: int
    ok: bool
    broken_at: int | None = None  # the sequence number of the first bad entry
    reason: str = ""


def verify(key: str) -> Verification:
    """Recompute chain `key` from its first entry; name the first entry that does not fit."""
    previous = GENESIS
    count = 0
    for expected, entry in enumerate(LedgerEntry.objects.filter(chain_id=key).order_by("sequence"), 1):
        count += 1
        if entry.sequence != expected:
            return Verification(key, count, False, expected, f"entry {expected} is missing")
        if entry.previous_hash != previous:
            return Verification(key, count, False, entry.sequence, "its link does not match the entry before it")
        if entry.compute_hash() != entry.hash:
            return Verification(key, count, False, entry.sequence, "its content was changed after it was written")
        previous = entry.hash
    head = LedgerChain.objects.filter(pk=key).first()
    if head and (head.length != count or (count and head.head_hash != previous)):
        return Verification(
            key, count, False, count + 1 if head.length > count else count, "entries were removed from the end"
        )
    return Verification(key, count, True)


VERIFY_CACHE_SECONDS = 60


def verify_all() -> list[Verification]:
    """Every chain verified, in key order: what `manage.py verify_ledger` and the admin's ledger check show."""
    return [verify(key) for key in LedgerChain.objects.order_by("key").values_list("key", flat=True)]


def verify_cached(key: str) -> Verification:
    """`verify()` for public requests: the result is kept a minute per chain head, so a crowd pressing
    "verify" recomputes a long chain once, and a new entry (a new head) is verified at once."""

    head = LedgerChain.objects.filter(pk=key).values_list("length", "head_hash").first() or (0, GENESIS)
    cache_key = f"ledger-verify:{key}:{head[0]}:{head[1]}"
    result = cache.get(cache_key)
    if result is None:
        result = verify(key)
        cache.set(cache_key, result, VERIFY_CACHE_SECONDS)
    return result


def project_totals_from_ledger(project_id: int) -> tuple[int, int]:
    """(amount, backers) recomputed from the ledger and the orders it points at."""
    amount = (
        LedgerEntry.objects.filter(
            chain_id=f"project:{project_id}", kind__in=[LedgerKind.DONATION, LedgerKind.REFUND]
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    backers = (
        Order.objects.filter(project_id=project_id, kind=OrderKind.DONATION)
        .filter(Q(status="paid") | Q(status="partially_refunded"))
        .aggregate(n=Count("member", distinct=True))["n"]
    )
    return amount, backers


@transaction.atomic
def rebuild_project_total(project_id: int) -> FundingTotal:
    amount, backers = project_totals_from_ledger(project_id)
    total, _ = FundingTotal.objects.select_for_update().get_or_create(project_id=project_id)
    FundingTotal.objects.filter(pk=total.pk).update(amount=amount, backers=backers)
    total.refresh_from_db()
    return total
