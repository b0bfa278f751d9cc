"""Ids as posted or routed, checked before any query: a number a database can hold, or nothing.

`<int:pk>` in a URL and a posted "id" can be any length of digits; SQLite raises OverflowError (a
500) on a number past a signed 64-bit integer, the range of a BigAutoField. A larger number names
no row of ours.
"""

from __future__ import annotations

LARGEST_ID = 2**63 - 1


def row_id(value) -> int | None:
    """`value` as a positive id a database can hold, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= LARGEST_ID else None
