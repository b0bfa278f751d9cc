from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from videos.access import is_staff_member

from .models import ALWAYS_KINDS, CREATOR_KINDS, STAFF_KINDS, EmailFrequency, Kind, Preferences


def kinds_for(user) -> list[Kind]:
    """The kinds a member can receive: creators' and staff's own only for them."""
    # Staff are the "Staff" group (Django's is_staff is not what gives them the admin).
    staff = user.is_staff or is_staff_member(user)
    creator = staff or user.groups.filter(name="Creators").exists()
    return [
        kind
        for kind in Kind
        if (kind not in CREATOR_KINDS or creator) and (kind not in STAFF_KINDS or staff) and kind not in ALWAYS_KINDS
    ]


class PreferencesForm(forms.Form):
    """Per kind: on the site at all, and by e-mail; and how often e-mails come."""

    email = forms.ChoiceField(label=_("E-mails"), choices=EmailFrequency.choices, widget=forms.RadioSelect)

    def __init__(self, user, preferences: Preferences, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds_for(user)
        self.initial["email"] = preferences.email
        for kind in self.kinds:
            self.fields[f"site_{kind.value}"] = forms.BooleanField(
                label=kind.label, required=False, initial=kind.value not in preferences.muted
            )
            self.fields[f"email_{kind.value}"] = forms.BooleanField(
                label=_("by e-mail"), required=False, initial=kind.value not in preferences.no_email
            )

    def rows(self):
        return [(kind, self[f"site_{kind.value}"], self[f"email_{kind.value}"]) for kind in self.kinds]

    def apply(self, preferences: Preferences) -> Preferences:
        shown = {kind.value for kind in self.kinds}
        data = self.cleaned_data
        # Kinds not offered to this member keep whatever was stored for them.
        preferences.muted = sorted(
            {k for k in preferences.muted if k not in shown} | {k for k in shown if not data[f"site_{k}"]}
        )
        preferences.no_email = sorted(
            {k for k in preferences.no_email if k not in shown} | {k for k in shown if not data[f"email_{k}"]}
        )
        preferences.email = data["email"]
        preferences.save()
        return preferences


class BackersMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=120)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 10}))
    # One id per opened form: sending it twice (a double click, a resent form) sends once.
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())
