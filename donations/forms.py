from __future__ import annotations

import re
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
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


# "12,000", "12000원", "₩12,000", "１２，０００" (full-width): digits with optional thousands commas.
WON_AMOUNT = re.compile(r"^(?:₩|KRW)?(\d{1,3}(?:,\d{3})+|\d+)(?:원|KRW)?$", re.IGNORECASE)


def parse_won(text: str) -> str:
    """The digits of an amount in won as people type it, or `text` unchanged when it is not one
    (IntegerField then says it wants a whole number)."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))  # full-width → ASCII, ￦ → ₩
    match = WON_AMOUNT.match(compact)
    return match.group(1).replace(",", "") if match else text


class WonAmountField(forms.IntegerField):
    """A whole number of won, typed with or without thousands commas and "원".

    A text box, not <input type="number">: browsers empty a number box holding "12,000".
    """

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_won(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {"inputmode": "numeric", "autocomplete": "off"}


# The profile's address fields, asked at checkout when the chosen reward is sent by post.
SHIPPING_FIELDS = (
    "shipping_name",
    "shipping_phone",
    "shipping_postcode",
    "shipping_address",
    "shipping_address_detail",
)
SHIPPING_REQUIRED = SHIPPING_FIELDS[:4]  # the detail (flat number, …) is optional


class DonationForm(CheckoutForm):
    tier = forms.TypedChoiceField(
        label=_("Amount"), required=False, coerce=int, empty_value=None, widget=forms.RadioSelect
    )
    amount = WonAmountField(label=_("Or any amount (KRW)"), required=False, min_value=1)
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
        self.ships = any(tier.ships for tier in tiers)
        self.fields["tier"].choices = [("", _("Another amount"))] + [
            (
                tier.pk,
                _("%(amount)s KRW") % {"amount": f"{tier.amount:,}"}
                + f" · {tier.title}"
                + (f" · {_('sent by post')}" if tier.ships else ""),
            )
            for tier in tiers
        ]
        minimum = project.minimum_donation or settings.DONATION_MINIMUM
        self.minimum = minimum
        if self.ships:
            User = get_user_model()
            for name in SHIPPING_FIELDS:
                self.fields[name] = User._meta.get_field(name).formfield(required=False)
            self.fields["shipping_postcode"].widget.attrs.update(
                {"inputmode": "numeric", "autocomplete": "postal-code"}
            )
            self.fields["shipping_name"].widget.attrs["autocomplete"] = "name"
            self.fields["shipping_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
            self.fields["shipping_address"].widget.attrs["autocomplete"] = "address-line1"
            self.fields["shipping_address_detail"].widget.attrs["autocomplete"] = "address-line2"
            self.fields["save_shipping"] = forms.BooleanField(
                label=_("Also keep this address on my profile"), required=False, initial=True
            )

    @property
    def shipping_tier_ids(self) -> list[int]:
        return [pk for pk, tier in self.tiers.items() if tier.ships]

    @property
    def shipping_fields(self):
        return [self[name] for name in SHIPPING_FIELDS if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        tier_id = cleaned.get("tier")
        if tier_id is not None and tier_id not in self.tiers:
            raise forms.ValidationError(_("Choose one of this project's amounts."))
        cleaned["tier_object"] = self.tiers.get(tier_id) if tier_id is not None else None
        if cleaned["tier_object"] is None and not cleaned.get("amount"):
            self.add_error("amount", _("Choose an amount or type one."))
        cleaned["shipping"] = None
        if cleaned["tier_object"] is not None and cleaned["tier_object"].ships:
            for name in SHIPPING_REQUIRED:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed to send you the reward."))
            cleaned["shipping"] = {name: cleaned.get(name, "") for name in SHIPPING_FIELDS}
        return cleaned
