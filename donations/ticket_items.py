"""What a ticket admits to: the registry of ticket items (`donations.tickets` has who holds them).

The app that holds the events (live, for premieres) names each one with an item key
("premiere:12") and registers a finder for its prefix; donations never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ticket:
    item: str  # the key the seller gave it, e.g. "premiere:12"
    film: object  # the FilmBasePage whose event it is
    title: str  # what the order and the receipt call it
    price: int  # KRW
    url: str  # where the holder goes to use it (a path on this site)
    # Why it cannot be sold now (sold out, ended), or "" when it can.
    refusal: str = ""


_finders: dict[str, Callable[[str], Ticket | None]] = {}


def register(prefix: str, find: Callable[[str], Ticket | None]) -> None:
    """Let donations look up the tickets whose item starts with "<prefix>:" (called from an app's ready())."""
    _finders[prefix] = find


def item_key(prefix: str, pk: int) -> str:
    return f"{prefix}:{pk}"


def find(item: str) -> Ticket | None:
    """The ticket named `item`, or None when nothing registered knows it (or it is gone)."""
    prefix = item.partition(":")[0]
    finder = _finders.get(prefix)
    return finder(item) if finder else None
