"""Tickets to premieres: what donations sells for a ticketed premiere, and who holds one.

A ticket is an order of the kind "ticket" for the item "premiere:<id>" (`donations.tickets`): the
price is the premiere's at checkout, the money goes to the premiere's film like a purchase, and a
ticket is held while its order is paid (a full refund ends it). It opens the live stream, the chat
and the replay (`live.access.may_watch_premiere`, through the hook registered in wagtail_hooks).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from donations import tickets
from reelvision.row_ids import row_id

from .models import Premiere, PremiereStatus

PREFIX = "premiere"


def item(premiere: Premiere) -> str:
    return tickets.item_key(PREFIX, premiere.pk)


def _refusal(premiere: Premiere) -> str:
    if premiere.status == PremiereStatus.CANCELLED or not premiere.page.live:
        return _("This premiere was cancelled.")
    if premiere.ticket_price == 0:
        return _("This premiere is free: no ticket is needed.")
    return ""


def _premiere_id(key: str) -> int | None:
    """The id in `key` when it is written as `item()` writes it ("premiere:12"), else None: "premiere:07",
    "premiere:-1", other digits than 0-9 or an id past what the database holds name no ticket, so no
    second spelling of one can be sold."""
    pk = row_id(key.partition(":")[2])
    return pk if pk is not None and key == tickets.item_key(PREFIX, pk) else None


def find_many(keys: list[str]) -> dict[str, tickets.Ticket]:
    """The tickets named by `keys` ("premiere:<id>"), in one query: sold while the premiere is on
    (upcoming, live, or ended, for its replay), named on orders and receipts afterwards too. A key
    whose premiere is gone, or that is not written as `item()` writes it, is left out."""
    by_pk = {pk: key for key in keys if (pk := _premiere_id(key)) is not None}
    premieres = Premiere.objects.select_related("page").filter(pk__in=by_pk)
    return {
        by_pk[premiere.pk]: tickets.Ticket(
            item=by_pk[premiere.pk],
            film=premiere.page,
            title=premiere.title,
            price=premiere.ticket_price,
            url=reverse("live:watch", args=[premiere.pk]),
            refusal=_refusal(premiere),
        )
        for premiere in premieres
    }


def holds_ticket(user, premiere: Premiere) -> bool:
    """The `may_watch_premiere` hook: whether `user` holds a ticket for `premiere`."""
    return tickets.holds(user, item(premiere))


def held(user, premieres) -> set[int]:
    """The ids of those of `premieres` that `user` holds tickets for, in one query."""
    by_item = {item(premiere): premiere.pk for premiere in premieres}
    return {by_item[key] for key in tickets.held_items(user, by_item)}
