from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import PaymentProvider


def provider_choices():
    labels = dict(PaymentProvider.choices)
    return [(name, labels[name]) for name in settings.PAYMENT_PROVIDERS]


class CheckoutForm(forms.Form):
    """What every checkout asks: how to pay, and the one-time token that makes a double click one order."""

    provider = forms.ChoiceField(label=_("Pay with"), widget=forms.RadioSelect)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices()
        self.fields["provider"].initial = settings.PAYMENT_PROVIDERS[0] if settings.PAYMENT_PROVIDERS else None


class PurchaseForm(CheckoutForm):
    pass


class DonationForm(CheckoutForm):
    tier = forms.TypedChoiceField(
        label=_("Amount"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    amount = forms.IntegerField(
        label=_("Or any amount (KRW)"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1000"}),
    )
    anonymous = forms.BooleanField(label=_("Don't show my name on the list of backers"), required=False)
    message = forms.CharField(
        label=_("A message to the creator (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        tiers = list(project.tiers.all())
        self.tiers = {tier.pk: tier for tier in tiers}
        self.has_rewards = any(tier.reward for tier in tiers)
        self.fields["tier"].choices = [("", _("Another amount"))] + [
            (tier.pk, f"{tier.amount:,}원 · {tier.title}") for tier in tiers
        ]
        minimum = project.minimum_donation or settings.DONATION_MINIMUM
        self.fields["amount"].widget.attrs["min"] = minimum
        self.minimum = minimum

    def clean(self):
        cleaned = super().clean()
        tier_id = cleaned.get("tier")
        if tier_id is not None and tier_id not in self.tiers:
            raise forms.ValidationError(_("Choose one of this project's amounts."))
        cleaned["tier_object"] = self.tiers.get(tier_id) if tier_id is not None else None
        if cleaned["tier_object"] is None and not cleaned.get("amount"):
            self.add_error("amount", _("Choose an amount or type one."))
        return cleaned
