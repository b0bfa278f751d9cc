"""What a ticket admits to: the registry of ticket items (`donations.tickets` has who holds them).

The app that holds the events (live, for premieres) names each one with an item key
("premiere:12") and registers a finder for its prefix; donations never imports it. A finder takes
many keys at once, so that a list of orders costs one query per kind of event, not one per order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
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


_finders: dict[str, Callable[[list[str]], dict[str, Ticket]]] = {}


def register(prefix: str, find_many: Callable[[list[str]], dict[str, Ticket]]) -> None:
    """Let donations look up the tickets whose item starts with "<prefix>:" (called from an app's
    ready()). `find_many(keys)` returns the tickets it knows among `keys`, by key."""
    _finders[prefix] = find_many


def item_key(prefix: str, pk: int) -> str:
    return f"{prefix}:{pk}"


def find(item: str) -> Ticket | None:
    """The ticket named `item`, or None when nothing registered knows it (or it is gone)."""
    return find_many([item]).get(item)


def find_many(items: Iterable[str]) -> dict[str, Ticket]:
    """The tickets named by `items` that a registered finder knows, by item; one call per prefix."""
    by_prefix = defaultdict(list)
    for item in set(items):
        by_prefix[item.partition(":")[0]].append(item)
    found = {}
    for prefix, keys in by_prefix.items():
        finder = _finders.get(prefix)
        if finder is not None:
            found.update(finder(sorted(keys)))
    return found
