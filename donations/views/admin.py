"""Staff's view of orders: find one, see what happened to it, refund it (full or partial)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from donations.banks import BANKS, account_number_digits
from watching.models import Entitlement

from .. import ledger, payments
from ..models import LedgerEntry, Order, OrderKind


class RefundRequestForm(forms.Form):
    """The order page's question: how much and why. It only leads to the confirmation step."""

    amount = forms.IntegerField(label=gettext_lazy("Amount to refund (KRW)"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The member receives it by e-mail. The public ledger shows the refund, not the reason."),
    )


class RefundForm(RefundRequestForm):
    """The confirmation step's form: what was shown, the account for a bank transfer, and how much had
    been refunded when the step was shown (a second submission of the same step then refunds nothing)."""

    refunded_before = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # A bank transfer (virtual account) goes back to an account the payer names.
    bank_code = forms.ChoiceField(
        label=gettext_lazy("Refund to bank"),
        required=False,
        choices=[("", "—")] + sorted(BANKS.items(), key=lambda b: b[1]),
    )
    account_number = forms.CharField(label=gettext_lazy("Refund to account number"), required=False, max_length=20)
    holder = forms.CharField(label=gettext_lazy("Account holder"), required=False, max_length=50)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown on the confirmation page as text; sent back as they were asked.
        self.fields["amount"].widget = forms.HiddenInput()
        self.fields["reason"].widget = forms.HiddenInput()
        self.needs_account = order.payment_instructions.get("kind") == "virtual_account"
        if not self.needs_account:
            for name in ("bank_code", "account_number", "holder"):
                del self.fields[name]

    def clean_account_number(self):
        if not self.needs_account:
            return ""
        return account_number_digits(self.cleaned_data.get("account_number", ""), minimum=8)

    def clean(self):
        cleaned = super().clean()
        if self.needs_account and not (cleaned.get("bank_code") and cleaned.get("holder")):
            raise forms.ValidationError(_("This was a bank transfer: give the account the money goes back to."))
        return cleaned

    def refund_account(self) -> dict | None:
        if not self.needs_account:
            return None
        return {name: self.cleaned_data[name] for name in ("bank_code", "account_number", "holder")}


class OrderFilterSet(WagtailFilterSet):
    class Meta:
        model = Order
        fields = ["status", "kind", "provider"]


class TargetColumn(Column):
    def get_value(self, instance):
        return instance.name or "—"


class OrderIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "project", "film")


class OrderEditView(generic.EditView):
    template_name = "donations/admin/order.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        context.update(
            {
                "order": order,
                "refund_form": RefundRequestForm(initial={"amount": order.refundable_amount}),
                "refund_url": reverse("orders:refund", args=[order.pk]),
                "entries": order.ledger_entries.order_by("sequence"),
            }
        )
        return context

    def get_header_buttons(self):
        return []

    def post(self, request, *args, **kwargs):
        raise PermissionDenied


@dataclass(frozen=True)
class RefundPlan:
    """What a refund of `amount` will do, shown before it is done."""

    order: Order
    amount: int
    full: bool  # the whole order is refunded by this step
    access_ends: bool  # a film purchase whose entitlement this refund revokes
    chain: str
    next_sequence: int

    @classmethod
    def of(cls, order: Order, amount: int) -> RefundPlan:

        full = order.refunded_amount + amount == order.amount
        chain = ledger.chain_key_for(order)
        last = LedgerEntry.objects.filter(chain_id=chain).aggregate(last=Max("sequence"))["last"]
        sequence = (last or 0) + 1
        access_ends = full and (
            order.kind == OrderKind.TICKET
            or order.kind == OrderKind.PURCHASE
            and Entitlement.objects.filter(
                user_id=order.member_id, film_id=order.film_id, order_reference=order.public_id, revoked_at__isnull=True
            ).exists()
        )
        return cls(order, amount, full, access_ends, chain, sequence)


def _order_page(pk: int):
    return redirect("orders:edit", pk)


def _confirmation(request, order: Order, form: RefundForm, plan: RefundPlan):
    return TemplateResponse(
        request,
        "donations/admin/confirm_refund.html",
        {
            "page_title": _("Confirm the refund"),
            "header_icon": "doc-full",
            "order": order,
            "plan": plan,
            "form": form,
            "refund_url": reverse("orders:refund", args=[order.pk]),
            "back_url": reverse("orders:edit", args=[order.pk]),
        },
    )


def refund_view(request, pk: int):
    """GET (from the order page's form) shows what the refund will do; POST (from that page) does it.

    The POST carries the refunded amount the confirmation was made for: under the order's lock a
    second submission of the same confirmation finds it changed and refunds nothing.
    """
    if not request.user.has_perm("donations.change_order"):
        raise PermissionDenied
    order = get_object_or_404(Order.objects.select_related("member", "project", "film"), pk=pk)
    if request.method == "POST":
        return _refund(request, order)
    asked = RefundRequestForm(request.GET)
    if not asked.is_valid():
        errors = [error for field_errors in asked.errors.values() for error in field_errors]
        messages.error(request, " ".join(errors) or _("Give an amount and a reason."))
        return _order_page(pk)
    amount = asked.cleaned_data["amount"]
    # The same checks as payments.refund, made before anything is asked.
    if order.status not in payments.PAID_STATUSES:
        messages.error(request, _("Only a paid order can be refunded."))
        return _order_page(pk)
    if amount > order.refundable_amount:
        messages.error(request, _("Refund between 1 and %(max)s KRW.") % {"max": f"{order.refundable_amount:,}"})
        return _order_page(pk)
    form = RefundForm(initial={**asked.cleaned_data, "refunded_before": order.refunded_amount}, order=order)
    return _confirmation(request, order, form, RefundPlan.of(order, amount))


def _refund(request, order: Order):
    form = RefundForm(request.POST, order=order)
    if not form.is_valid():
        if not form.errors.keys() & {"amount", "reason", "refunded_before"}:  # only the account is missing
            return _confirmation(request, order, form, RefundPlan.of(order, form.cleaned_data["amount"]))
        messages.error(request, _("The refund was not made: the confirmation was incomplete. Start again."))
        return _order_page(order.pk)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            # Held until the refund is recorded (payments.refund locks the same row again).
            refunded = Order.objects.select_for_update().values_list("refunded_amount", flat=True).get(pk=order.pk)
            if refunded != data["refunded_before"]:
                messages.warning(
                    request,
                    _("This refund was already made (the confirmation was sent twice); nothing more was refunded."),
                )
                return _order_page(order.pk)
            payments.refund(
                order,
                data["amount"],
                by=request.user,
                reason=data["reason"],
                refund_account=form.refund_account(),
            )
    except payments.RefundRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Refunded; the member was told."))
    return _order_page(order.pk)


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "doc-full"
    menu_label = gettext_lazy("Orders")
    menu_order = 620
    add_to_admin_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    index_view_class = OrderIndexView
    edit_view_class = OrderEditView
    filterset_class = OrderFilterSet
    search_fields = ["public_id", "member__email", "member__display_name", "provider_reference"]
    form_fields = ["message"]  # nothing is edited by hand; the page shows the order and offers refunds
    list_display = [
        "public_id",
        "kind",
        TargetColumn("target", label=gettext_lazy("Project or film")),
        "member",
        "amount",
        "refunded_amount",
        "status",
        "provider",
        DateColumn("created_at", label=gettext_lazy("Created")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/refund/", refund_view, name="refund")]


order_viewset = OrderViewSet("orders")


def ledger_check_view(request):
    """The check `manage.py verify_ledger` makes, for staff in the admin: every chain recomputed from its
    first entry, each with its result and, when broken, the first entry that does not fit."""
    if not request.user.has_perm("donations.change_order"):
        raise PermissionDenied
    results = ledger.verify_all()
    broken = [result for result in results if not result.ok]
    return TemplateResponse(
        request,
        "donations/admin/ledger_check.html",
        {
            "page_title": _("Ledger check"),
            "header_icon": "tasks",
            "results": results,
            "first_broken": broken[0] if broken else None,
            "broken_count": len(broken),
        },
    )
