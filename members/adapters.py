"""allauth adapters: how accounts are created and how social logins may join them."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django import forms
from django.http import Http404
from django.utils.translation import gettext as _

from reelvision.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # The same address our own limits count (TRUSTED_PROXY_COUNT), for allauth's rate limits.
        return client_ip(request)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip()
        if email.lower().endswith(".invalid"):  # the address given to deleted accounts
            raise forms.ValidationError(_("Enter a valid e-mail address."))
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        display_name = (form.cleaned_data.get("display_name") or "").strip()
        if display_name:
            user.display_name = display_name
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A provider's profile fills the display name; allauth's rules decide who may connect.

    SOCIALACCOUNT_EMAIL_AUTHENTICATION is off: a provider saying "this is alice@example.com"
    never logs anyone into Alice's existing account. The new account's address is verified only
    if the provider says so (Kakao tells us; Naver always claims it), else our code is mailed.
    """

    def get_app(self, request, provider, client_id=None):
        # A provider without keys has no button, but its log-in and callback URLs still exist:
        # asking for them is a 404, not a SocialApp.DoesNotExist error.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("This log-in provider is not set up.") from None

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        extra = sociallogin.account.extra_data or {}
        name = (
            data.get("name")
            or extra.get("name")
            or extra.get("nickname")
            or (extra.get("properties") or {}).get("nickname")
            or (extra.get("kakao_account", {}).get("profile") or {}).get("nickname")
            or ""
        )
        user.display_name = str(name)[:50]
        return user
