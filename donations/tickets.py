"""Tickets: admission to an event on a film's page, sold through the same orders as films.

A ticket's order carries the film (the money is the film's, as for a purchase: the same ledger
chain and payout) and the item it admits to (`donations.ticket_items`, where the selling app
registers its events). Whether a member holds a ticket is read from the orders themselves:
paid, or partly refunded, is a ticket; refunded in full is none.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import PAID_STATUSES, Order, OrderKind
from .ticket_items import Ticket, find, find_many, item_key, register

__all__ = ["Ticket", "find", "find_many", "held_items", "holding", "holds", "item_key", "register"]


def holding(member_id: int, item: str):
    """The member's tickets for `item`: paid, or partly refunded (which leaves a ticket valid, as it does a film)."""
    return Order.objects.filter(member_id=member_id, kind=OrderKind.TICKET, item=item, status__in=PAID_STATUSES)


def holds(user, item: str) -> bool:
    """Whether `user` holds a ticket for `item` (a visitor never does)."""
    return bool(user.is_authenticated) and holding(user.pk, item).exists()


def held_items(user, items: Iterable[str]) -> set[str]:
    """Which of `items` `user` holds tickets for, in one query."""
    items = list(items)
    if not user.is_authenticated or not items:
        return set()
    return set(
        Order.objects.filter(
            member_id=user.pk, kind=OrderKind.TICKET, item__in=items, status__in=PAID_STATUSES
        ).values_list("item", flat=True)
    )
