"""Exact money arithmetic for payouts: the platform fee and the rights holders' shares, in whole won.

Plain functions over ints and Decimals (no database, no requests), so every rounding rule can be
tested on its own:

    platform_fee(base, percent)   the fee, rounded *down* to the won (floor): the platform never takes
                                  a fraction of a won more than its percentage; on a negative base
                                  (more refunded than received) it gives back the larger whole won
    split_by_shares(amount, ...)  largest-remainder apportionment: the parts are whole won and add up
                                  to `amount` exactly
    shares_problem(shares)        why a list of shares cannot be saved, or "" when it can
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal("100")


def platform_fee(base: int, percent: Decimal) -> int:
    """`percent` of `base` won, rounded down to a whole won (towards minus infinity)."""
    return int((Decimal(base) * Decimal(percent) / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def split_by_shares(amount: int, shares: Sequence[Decimal]) -> list[int]:
    """Divide `amount` won in proportion to `shares`, in whole won that add up to `amount` exactly.

    Each part first gets the whole won of its exact share; the won left over go one each to the
    parts with the largest fractions, ties to the earlier part (the editor's order). A negative
    amount (a period with more refunds than income) is split the same way and negated, so every
    rights holder carries their share of it.
    """
    if not shares:
        return []
    total = sum(shares, Decimal(0))
    if total <= 0:
        raise ValueError("shares must add up to more than zero")
    magnitude = abs(int(amount))
    exact = [Decimal(magnitude) * share / total for share in shares]
    parts = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    left_over = magnitude - sum(parts)
    by_fraction = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_fraction[:left_over]:
        parts[i] += 1
    return [-part for part in parts] if amount < 0 else parts


def shares_problem(shares: Sequence[Decimal]) -> str:
    """The reason these shares (percent) cannot be saved, or "" when they add up to exactly 100%."""
    if not shares:
        return ""
    total = sum(shares, Decimal(0))
    if total != HUNDRED:
        return _("The shares add up to %(total)s%%. They must add up to exactly 100%%.") % {
            "total": format_percent(total)
        }
    return ""


def format_percent(value: Decimal) -> str:
    """33.33 → "33.33", 50.00 → "50", 12.50 → "12.5"."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
