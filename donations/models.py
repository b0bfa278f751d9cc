"""Money: donation tiers and totals, orders (donations and purchases) with their state machine,
the append-only, hash-chained ledger, and who is paid what (rights holders and payouts)."""

import hashlib
import json
import secrets
from datetime import UTC
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from . import ticket_items
from .widgets import MemberChooser

# --- orders ---------------------------------------------------------------------------------------


def new_order_id() -> str:
    """The id sent to providers: unguessable, 6–64 characters of [A-Za-z0-9_-] (Toss's rule)."""
    return "rv_" + secrets.token_urlsafe(24)


class OrderKind(models.TextChoices):
    DONATION = "donation", _("donation")
    PURCHASE = "purchase", _("purchase")
    # Admission to one event on a film's page (a premiere), sold by the app that holds the event
    # (`donations.tickets`); the money is the film's, like a purchase.
    TICKET = "ticket", _("ticket")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    PAID = "paid", _("paid")
    PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")
    REFUNDED = "refunded", _("refunded")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")
    CANCELLED = "cancelled", _("cancelled")


# Orders whose money moved: paid, partly or fully refunded (what my page and the backers list show).
SETTLED_STATUSES = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)
# Orders whose money is still (at least partly) held: a donation that still backs its project, a
# purchase still paid for. A backer refunded in full backs no more.
PAID_STATUSES = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)

# Which status may follow which. Anything else is refused (InvalidTransition).
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.FAILED, OrderStatus.EXPIRED, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED}),
    OrderStatus.PARTIALLY_REFUNDED: frozenset({OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED}),
    OrderStatus.REFUNDED: frozenset(),
    OrderStatus.FAILED: frozenset(),
    # Closed here, yet paid at the provider (a Stripe session paid just as we expired it): the
    # provider's word wins and the money is counted ("paid late"), never lost.
    OrderStatus.EXPIRED: frozenset({OrderStatus.PAID}),
    OrderStatus.CANCELLED: frozenset({OrderStatus.PAID}),
}


class InvalidTransition(Exception):
    pass


class PaymentProvider(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox (test payments)")
    TOSS = "toss", _("Toss Payments")
    STRIPE = "stripe", _("Stripe (cards from abroad)")


class Order(models.Model):
    """One donation to a project or one purchase of a film, from checkout to refund."""

    public_id = models.CharField(_("order number"), max_length=64, unique=True, default=new_order_id, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=OrderKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING, db_index=True
    )
    provider = models.CharField(pgettext_lazy("payment", "provider"), max_length=10, choices=PaymentProvider.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="orders"
    )
    project = models.ForeignKey(
        "films.FundingProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    film = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("film"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What a ticket admits to, as the app selling it names it ("premiere:12"); blank otherwise.
    item = models.CharField(_("ticket for"), max_length=64, blank=True, db_index=True)
    tier = models.ForeignKey(
        "films.DonationTier", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    refunded_amount = models.PositiveBigIntegerField(_("refunded (KRW)"), default=0)
    is_anonymous = models.BooleanField(_("anonymous on the public list"), default=False)
    message = models.TextField(_("message to the creator"), max_length=500, blank=True)
    # Where a reward sent by post goes, as the backer gave it at checkout (their profile may change
    # later; the creator sends to this). Blank unless the tier ships.
    shipping_name = models.CharField(_("recipient"), max_length=50, blank=True)
    shipping_phone = models.CharField(_("phone"), max_length=20, blank=True)
    shipping_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    shipping_address = models.CharField(_("address"), max_length=200, blank=True)
    shipping_address_detail = models.CharField(_("address (detail)"), max_length=100, blank=True)
    # The browser's token for this checkout: a double-clicked button sends the same one twice.
    client_token = models.CharField(max_length=64, editable=False)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True, db_index=True)
    provider_payment_id = models.CharField(max_length=200, blank=True, editable=False)
    provider_secret = models.CharField(max_length=200, blank=True, editable=False)
    provider_fee = models.PositiveBigIntegerField(_("provider fee (KRW)"), null=True, blank=True)
    method = models.CharField(_("payment method"), max_length=40, blank=True)
    receipt_url = models.URLField(_("provider receipt"), max_length=500, blank=True)
    # What the payer still has to do, e.g. a virtual account to transfer to (bank, number, holder,
    # due date), and until when the provider keeps the payment open: not expired before then.
    payment_instructions = models.JSONField(_("payment instructions"), default=dict, blank=True)
    payable_until = models.DateTimeField(_("payable until"), null=True, blank=True)
    failure_code = models.CharField(_("failure code"), max_length=64, blank=True)
    failure_message = models.CharField(_("failure message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    # When the creator marked the tier's reward as sent (their word; nothing checks the post).
    # Blank while it is still to send, and for donations without a reward.
    reward_sent_at = models.DateTimeField(_("reward sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="donation", project__isnull=False, film__isnull=True)
                    | models.Q(kind="purchase", film__isnull=False, project__isnull=True)
                    | (models.Q(kind="ticket", film__isnull=False, project__isnull=True) & ~models.Q(item=""))
                ),
                name="donations_order_one_target",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donations_order_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("amount")), name="donations_order_refund_le_amount"
            ),
            models.UniqueConstraint(fields=["member", "client_token"], name="donations_order_one_per_click"),
        ]
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["member", "status"])]

    def __str__(self):
        return f"{self.public_id} ({self.get_kind_display()}, {self.amount:,} KRW, {self.get_status_display()})"

    @property
    def target(self):
        return self.project if self.kind == OrderKind.DONATION else self.film

    @cached_property
    def ticket(self):
        """What a ticket order admits to (`donations.tickets.Ticket`), or None (another kind, or an
        event that is gone). For a list of orders, `with_tickets` looks them up together."""
        if self.kind != OrderKind.TICKET:
            return None
        return ticket_items.find(self.item)

    @staticmethod
    def with_tickets(orders: list["Order"]) -> list["Order"]:
        """`orders`, each ticket order's `ticket` looked up together: one query per kind of event, not
        one per order."""
        ticket_orders = [order for order in orders if order.kind == OrderKind.TICKET]
        found = ticket_items.find_many(order.item for order in ticket_orders)
        for order in ticket_orders:
            order.__dict__["ticket"] = found.get(order.item)  # what the cached property would hold
        return orders

    @property
    def name(self) -> str:
        """What the order pays for, in a line: the project's or film's title, or the ticket's."""
        if self.ticket is not None:
            return self.ticket.title
        return self.target.title if self.target is not None else ""

    @property
    def refundable_amount(self) -> int:
        return self.amount - self.refunded_amount

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def transition(self, status: str, **fields) -> bool:
        """Move to `status` if allowed and if nobody else moved the order meanwhile.

        A conditional UPDATE (WHERE status = the current one): of two requests racing to mark
        the same order paid, exactly one returns True. Raises InvalidTransition for a move the
        state machine forbids (e.g. failed → paid).
        """
        if not self.can_become(status):
            raise InvalidTransition(f"{self.public_id}: {self.status} → {status} is not allowed")
        changed = Order.objects.filter(pk=self.pk, status=self.status).update(
            status=status, updated_at=timezone.now(), **fields
        )
        if changed:
            self.status = status
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(changed)


class PurchaseLock(models.Model):
    """One row per member and film (or ticket), locked while that member's purchase of it is started
    or confirmed, so two tabs buying the same thing are served one after the other."""

    key = models.CharField(max_length=80, primary_key=True)  # "<member id>:<film id>" or "<member id>:<ticket item>"

    def __str__(self):
        return self.key


# --- the ledger -----------------------------------------------------------------------------------


class LedgerKind(models.TextChoices):
    DONATION = "donation", _("donation")
    PURCHASE = "purchase", _("purchase")
    TICKET = "ticket", _("ticket")
    REFUND = "refund", _("refund")
    PAYOUT = "payout", _("payout")


class LedgerChain(models.Model):
    """The head of one hash chain (a project's or a film's): locked while an entry is appended."""

    key = models.CharField(max_length=40, primary_key=True)  # "project:12" or "film:7"
    length = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"{self.key} ({self.length})"


class LedgerEntry(models.Model):
    """One money movement. Append-only; each entry carries the SHA-256 of the one before it in its chain."""

    chain = models.ForeignKey(LedgerChain, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    project = models.ForeignKey(
        "films.FundingProjectPage", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    film = models.ForeignKey("films.FilmBasePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("amount (KRW)"))  # negative for refunds and payouts
    backer = models.CharField(_("backer"), max_length=80)  # what the public sees: masked or "anonymous"
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("date"))
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["chain", "sequence"]
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"], name="donations_ledger_one_per_place")]

    def __str__(self):
        return f"{self.chain_id}#{self.sequence} {self.kind} {self.amount:,}"

    def hashed_fields(self) -> dict:
        """What the hash covers: the fields the public ledger API publishes for each entry, and the link.

        The backer's display label and the note are left out on purpose: a member who deletes their
        account is relabelled, and a refund's reason stays private, without breaking the chain. What
        the chain protects is the money: which movement, how much, in what order, when.
        """
        return {
            "chain": self.chain_id,
            "sequence": self.sequence,
            "kind": self.kind,
            "amount": self.amount,
            "timestamp": self.timestamp,
            "previous_hash": self.previous_hash,
        }

    @property
    def timestamp(self) -> str:
        """The entry's time exactly as hashed and published: UTC, ISO 8601 with microseconds."""
        return self.created_at.astimezone(UTC).isoformat(timespec="microseconds")

    def payload(self) -> str:
        """The canonical text the hash covers (anyone can rebuild it from the API's fields)."""
        return canonical_json(self.hashed_fields())

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()


def canonical_json(fields: dict) -> str:
    """JSON with sorted keys, no spaces, UTF-8 as is: the same bytes in any language."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class ProviderEvent(models.Model):
    """A webhook we have handled, by the provider's event id: a replay is recognised and ignored."""

    provider = models.CharField(max_length=10, choices=PaymentProvider.choices)
    event_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="donations_event_once")]

    def __str__(self):
        return f"{self.provider}:{self.event_id}"


# --- rights holders and payouts -------------------------------------------------------------------


def _member_or_person() -> models.Q:
    return models.Q(member__isnull=False, person__isnull=True) | models.Q(member__isnull=True, person__isnull=False)


class PayeeMixin:
    """Who is paid: a member or a credited person (exactly one is set)."""

    @property
    def payee_key(self) -> str:
        """ "member:<id>" or "person:<id>": the same payee in rights holders, payouts and reports."""
        return f"member:{self.member_id}" if self.member_id else f"person:{self.person_id}"

    @property
    def payee_name(self) -> str:
        return str(self.member.get_full_name() if self.member_id else self.person.name)


class RightsHolder(PayeeMixin, Orderable):
    """Someone owed a share of what a film or project earns: a member (paid to their payout account)
    or a credited person without an account.

    Edited with the page (the "Rights holders" tab); the shares of a page add up to exactly 100%,
    which the page form checks (`donations.rights_holders.RightsHolderFormSet`); one of member and person
    is set (a constraint, also checked in the form). A page without rights
    holders pays everything to its owner. Payout reports use the rows of the published page.
    """

    page = ParentalKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="rights_holders")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"is_active": True, "deleted_at__isnull": True},
        help_text=_("A member is paid to the payout account they keep on their page."),
    )
    person = models.ForeignKey(
        "films.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Or someone from People, for a rights holder without a ReelVision account."),
    )
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Up to two decimals, e.g. 33.34. All shares add up to 100."),
    )
    role = models.CharField(_("role"), max_length=60, blank=True, help_text=_("e.g. director, producer, school"))

    panels = [
        FieldRowPanel([FieldPanel("member", widget=MemberChooser()), FieldPanel("person")]),
        FieldRowPanel([FieldPanel("share"), FieldPanel("role")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rights holder")
        verbose_name_plural = _("rights holders")
        constraints = [
            models.CheckConstraint(
                condition=_member_or_person(),
                name="donations_rightsholder_member_or_person",
                violation_error_message=_("Choose a member or a person: one of the two, not both."),
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lte=100), name="donations_rightsholder_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.payee_name} {self.share}%"


class Payout(PayeeMixin, models.Model):
    """Money paid to one rights holder of one film or project for one period (dates in Seoul time).

    Written once, in the same transaction as its negative ledger entry, by
    `donations.payouts.record_payout()`. The database refuses a second payout for the same rights
    holder, title and period, so a double-clicked or replayed "mark as paid" pays once. The share,
    amount and account (bank, holder, last four digits) are kept as they were when it was paid.
    """

    page = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("film or project"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    person = models.ForeignKey(
        "films.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (inclusive)"))
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="payout", editable=False)
    bank = models.CharField(_("bank"), max_length=40, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=50, blank=True)
    account_last4 = models.CharField(_("account number (last four digits)"), max_length=4, blank=True)
    reference = models.CharField(
        _("transfer reference"), max_length=100, blank=True, help_text=_("The bank's reference, for your records.")
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=_member_or_person(), name="donations_payout_member_or_person"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donations_payout_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="donations_payout_period_order"
            ),
            models.UniqueConstraint(
                fields=["page", "member", "period_start", "period_end"],
                condition=models.Q(member__isnull=False),
                name="donations_payout_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["page", "person", "period_start", "period_end"],
                condition=models.Q(person__isnull=False),
                name="donations_payout_once_per_person",
            ),
        ]
        indexes = [models.Index(fields=["page", "period_start", "period_end"])]

    def __str__(self):
        return f"{self.page_id} {self.payee_key} {self.period_start}–{self.period_end}: {self.amount:,} KRW"
