"""A project's backers as its creator works with them: the donations listed, sorted and filtered
(`BackerFilters`), each donation's reward to send or sent (`set_reward_sent`), and the same list as
spreadsheet rows (`csv_header`, `csv_rows`).

Filters are plain GET parameters (`tier`, `reward`, `sort`), like the catalogue's (`films.catalogue`):
a value that is not one of the choices falls back to the default, never an error page. The views
in `donations.views.backers` parse the request and render; the rules live here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from reelvision.row_ids import LARGEST_ID

from .models import SETTLED_STATUSES, Order, OrderKind, OrderStatus


class BackerSort(models.TextChoices):
    NEWEST = "newest", gettext_lazy("Newest first")
    OLDEST = "oldest", gettext_lazy("Oldest first")
    AMOUNT_HIGH = "amount_high", gettext_lazy("Largest amount first")
    AMOUNT_LOW = "amount_low", gettext_lazy("Smallest amount first")
    NAME = "name", pgettext_lazy("sort order", "Name")


class RewardStatus(models.TextChoices):
    TO_SEND = "to_send", gettext_lazy("To send")
    SENT = "sent", gettext_lazy("Sent")
    NONE = "none", gettext_lazy("No reward")


NO_TIER = "none"  # the tier filter's value for donations of any other amount (or whose tier was removed)

# A donation owes its backer a reward when its tier promises one and the money was not all given
# back. A partial refund keeps the reward: the backer still gave at least something.
OWES_REWARD = Q(tier__isnull=False) & ~Q(tier__reward="") & ~Q(status=OrderStatus.REFUNDED)

# Anonymous backers and former members sort after the named ones, by date: sorted among the
# names, their place would hint at the name they chose not to show.
_SORT_NAME = Case(
    When(Q(is_anonymous=True) | Q(member__deleted_at__isnull=False), then=Value(None)),
    default=Coalesce(NullIf(F("member__display_name"), Value("")), F("member__email")),
    output_field=models.CharField(),
)

ORDERINGS = {
    BackerSort.NEWEST: (F("paid_at").desc(), F("pk").desc()),
    BackerSort.OLDEST: (F("paid_at").asc(), F("pk").asc()),
    BackerSort.AMOUNT_HIGH: (F("amount").desc(), F("paid_at").desc(), F("pk").desc()),
    BackerSort.AMOUNT_LOW: (F("amount").asc(), F("paid_at").asc(), F("pk").asc()),
    BackerSort.NAME: (F("sort_name").asc(nulls_last=True), F("paid_at").desc(), F("pk").desc()),
}


def backer_orders(project) -> QuerySet[Order]:
    """Every donation to `project` whose money moved (paid, partly or wholly refunded), each with its
    `reward_status` (a `RewardStatus` value)."""
    return Order.objects.filter(project=project, kind=OrderKind.DONATION, status__in=SETTLED_STATUSES).annotate(
        reward_status=Case(
            When(OWES_REWARD & Q(reward_sent_at__isnull=True), then=Value(RewardStatus.TO_SEND)),
            When(OWES_REWARD, then=Value(RewardStatus.SENT)),
            default=Value(RewardStatus.NONE),
            output_field=models.CharField(),
        )
    )


def reward_counts(project) -> dict[str, int]:
    """How many of the project's donations have a reward to send, sent, or none: {status: count}."""
    counts = dict.fromkeys(RewardStatus.values, 0)
    rows = backer_orders(project).order_by().values("reward_status").annotate(count=Count("pk"))
    counts.update({row["reward_status"]: row["count"] for row in rows})
    return counts


# --- sorting and filtering ------------------------------------------------------------------------


class BackerFilterForm(forms.Form):
    """Validates the list's GET parameters against the project's own tiers."""

    tier = forms.ChoiceField(required=False, label=gettext_lazy("Tier"))
    reward = forms.ChoiceField(
        required=False, label=gettext_lazy("Reward"), choices=[("", gettext_lazy("All"))] + RewardStatus.choices
    )
    sort = forms.ChoiceField(required=False, label=gettext_lazy("Sort"), choices=BackerSort.choices)

    def __init__(self, data, *, tiers: Iterable):
        super().__init__(data)
        self.fields["tier"].choices = [
            ("", gettext_lazy("All tiers")),
            *((str(tier.pk), tier.title) for tier in tiers),
            (NO_TIER, gettext_lazy("No tier")),
        ]


@dataclass(frozen=True)
class BackerFilters:
    """What the creator asked to see: "" is "all" for `tier` and `reward`."""

    tier: str = ""
    reward: str = ""
    sort: str = BackerSort.NEWEST

    @classmethod
    def from_params(cls, params, *, tiers: Iterable) -> tuple[BackerFilters, BackerFilterForm]:
        """The valid parameters of `params` (a QueryDict); each bad one falls back to its default."""
        form = BackerFilterForm(params, tiers=tiers)
        form.is_valid()
        valid = {name: value for name, value in form.cleaned_data.items() if value}
        return cls(**valid), form

    def apply(self, orders: QuerySet[Order]) -> QuerySet[Order]:
        if self.tier == NO_TIER:
            orders = orders.filter(tier__isnull=True)
        elif self.tier:
            orders = orders.filter(tier_id=int(self.tier))
        if self.reward:
            orders = orders.filter(reward_status=self.reward)
        if self.sort == BackerSort.NAME:
            orders = orders.annotate(sort_name=_SORT_NAME)
        return orders.order_by(*ORDERINGS[BackerSort(self.sort)])

    @property
    def is_filtered(self) -> bool:
        return bool(self.tier or self.reward)

    @property
    def query(self) -> str:
        """The filters as a query string, defaults left out (for page links, the CSV link, redirects)."""
        return urlencode({name: value for name, value in self.params().items() if value})

    def params(self) -> dict[str, str]:
        return {"tier": self.tier, "reward": self.reward, "sort": "" if self.sort == BackerSort.NEWEST else self.sort}


# --- what the creator sees of a backer -------------------------------------------------------------


def backer_name(order: Order) -> str:
    if order.is_anonymous:
        return _("Anonymous")
    if order.member.deleted_at:
        return _("A former member")
    return order.member.get_short_name()


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    phone: str
    postcode: str
    address: str
    address_detail: str


def shipping_address(order: Order) -> ShippingAddress | None:
    """Where to post the reward of `order`, if it owes one: the address given at checkout, else (for
    donations made before checkout asked) the one on the backer's profile. None when there is none
    to show, or the backer deleted their account."""
    if order.reward_status == RewardStatus.NONE:
        return None
    if order.shipping_address:
        source = order
    elif order.member.shipping_address and not order.member.deleted_at:
        source = order.member
    else:
        return None
    return ShippingAddress(
        name=source.shipping_name,
        phone=source.shipping_phone,
        postcode=source.shipping_postcode,
        address=source.shipping_address,
        address_detail=source.shipping_address_detail,
    )


# --- marking rewards sent ---------------------------------------------------------------------------


def set_reward_sent(orders: QuerySet[Order], *, sent: bool) -> int:
    """Mark the rewards of `orders` as sent now (`sent=True`) or as still to send; returns how many changed.

    Donations without a reward are left alone. Marking twice keeps the first date: a reward already
    marked sent is not touched, so a double click or a second tab records nothing new.
    """
    owed = orders.filter(OWES_REWARD)
    # One UPDATE whose WHERE holds the condition: atomic as it stands, and a race of two clicks
    # leaves the date of the first.
    if sent:
        return owed.filter(reward_sent_at__isnull=True).update(reward_sent_at=timezone.now())
    return owed.filter(reward_sent_at__isnull=False).update(reward_sent_at=None)


def chosen_orders(project, values: list[str]) -> QuerySet[Order] | None:
    """The donations to `project` that `values` (order ids as posted) name, or None if any names
    something else: another project's order, a pending one, a number too large or no number at all."""
    ids = set()
    for value in values:
        if not (value.isascii() and value.isdigit()) or int(value) > LARGEST_ID:
            return None
        ids.add(int(value))
    orders = backer_orders(project).filter(pk__in=ids)
    return orders if orders.count() == len(ids) else None


class RewardStatusForm(forms.Form):
    """What the ticked donations (or the one of a row's button) become."""

    status = forms.ChoiceField(choices=[(status, status.label) for status in (RewardStatus.SENT, RewardStatus.TO_SEND)])


# --- the spreadsheet ---------------------------------------------------------------------------------


def csv_header() -> list[str]:
    return [
        _("Paid"),
        _("Backer"),
        _("Amount (KRW)"),
        _("Refunded (KRW)"),
        _("Tier"),
        _("Reward"),
        _("Reward status"),
        _("Reward sent"),
        _("Recipient"),
        _("Phone"),
        _("Postcode"),
        _("Address"),
        _("Address (detail)"),
        _("Message"),
    ]


def csv_rows(orders: Iterable[Order]) -> Iterator[list]:
    """One row per donation, in the list's order. No e-mail addresses, ever; an address only where
    the page shows one. `reelvision.spreadsheet.csv_response` makes the text cells safe."""
    labels = dict(RewardStatus.choices)
    for order in orders:
        address = shipping_address(order)
        yield [
            _local(order.paid_at).strftime("%Y-%m-%d %H:%M") if order.paid_at else "",
            backer_name(order),
            order.amount,
            order.refunded_amount,
            order.tier.title if order.tier else "",
            order.tier.reward if order.tier else "",
            str(labels[order.reward_status]),
            _local(order.reward_sent_at).date().isoformat() if order.reward_sent_at else "",
            *(
                (address.name, address.phone, address.postcode, address.address, address.address_detail)
                if address
                else ("",) * 5
            ),
            order.message,
        ]


def _local(moment):
    return timezone.localtime(moment, timezone.get_default_timezone())
