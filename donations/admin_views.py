"""Staff's view of orders: find one, see what happened to it, refund it (full or partial)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from members.banks import BANKS, account_number_digits

from . import payments
from .models import Order


class RefundForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount to refund (KRW)"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The member receives it by e-mail. The public ledger shows the refund, not the reason."),
    )
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
        target = instance.project if instance.kind == "donation" else instance.film
        return target.title if target else "—"


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
                "refund_form": RefundForm(initial={"amount": order.refundable_amount}, order=order),
                "refund_url": reverse("orders:refund", args=[order.pk]),
                "entries": order.ledger_entries.order_by("sequence"),
            }
        )
        return context

    def get_header_buttons(self):
        return []

    def post(self, request, *args, **kwargs):
        raise PermissionDenied


def refund_view(request, pk: int):
    if not request.user.has_perm("donations.change_order"):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=pk)
    if request.method == "POST":
        form = RefundForm(request.POST, order=order)
        if form.is_valid():
            try:
                payments.refund(
                    order,
                    form.cleaned_data["amount"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    refund_account=form.refund_account(),
                )
                messages.success(request, _("Refunded; the member was told."))
            except payments.RefundRefused as refused:
                messages.error(request, refused.message)
        else:
            errors = [error for field_errors in form.errors.values() for error in field_errors]
            messages.error(request, " ".join(errors) or _("Give an amount and a reason."))
    return redirect("orders:edit", pk)


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
