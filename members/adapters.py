"""allauth adapters: how accounts are created and how social logins may join them."""

from __future__ import annotations

import html

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_display
from allauth.core import context as allauth_context
from allauth.core.internal.httpkit import is_headless_request
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from reelvision.client_ip import client_ip
from reelvision.korean import agree
from reelvision.public_site import on_public_base, public_site

from .tasks import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails greet with the site's name and link to its public address, whatever host the
        request came through; Korean particles after the names and addresses they insert agree. Sent
        by the task worker, through the outbox (`members.tasks.queue_email`)."""
        request = allauth_context.request
        origin = f"{request.scheme}://{request.get_host()}" if request is not None else ""
        ctx = {"request": request, "email": email}
        ctx.update(
            {key: on_public_base(value, origin) if isinstance(value, str) else value for key, value in context.items()}
        )
        ctx["current_site"] = public_site()
        message = self.render_mail(template_prefix, email, ctx)
        words = [email, ctx["current_site"].name] + [value for value in ctx.values() if isinstance(value, str)]
        if ctx.get("user") is not None:
            words.append(user_display(ctx["user"]))
        message.subject = agree(message.subject, words)
        message.body = agree(message.body, words)
        queue_email(message)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        """allauth's messages with Korean particles that agree with the name or address they insert."""
        if message is None and message_template and not is_headless_request(request):
            message = html.unescape(render_to_string(message_template, message_context or {}, request).strip())
            if not message:
                return
            message = agree(message, self._inserted_words(message_context or {}))
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    @staticmethod
    def _inserted_words(context: dict) -> list[str]:
        """The names and addresses a message template may insert: strings, and users as allauth shows them."""
        words = []
        for value in context.values():
            if isinstance(value, str):
                words.append(value)
            elif isinstance(value, get_user_model()):
                words.append(user_display(value))
        return words

    def post_login(self, request, user, *, signup: bool, redirect_url, **kwargs):
        """A new member lands on the sign-up page (ACCOUNT_SIGNUP_REDIRECT_URL, the genre picker) once,
        also when they signed up on their way somewhere (`?next=`): that page then leads on there."""
        if signup and redirect_url and isinstance(redirect_url, str) and not is_headless_request(request):
            landing = self.get_signup_redirect_url(request)
            if landing != redirect_url:
                redirect_url = f"{landing}?{urlencode({'next': redirect_url})}"
        return super().post_login(request, user, signup=signup, redirect_url=redirect_url, **kwargs)

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
        record_consent(user, form)
        if commit:
            user.save()
        return user


def record_consent(user, form) -> None:
    """What the sign-up form (members.forms.SignupForm) was agreed to, with the versions of the
    terms and privacy pages it linked to, and the marketing choice with its time."""
    now = timezone.now()
    data = form.cleaned_data
    pages = getattr(form, "legal_pages", {})
    if data.get("agree_terms"):
        user.terms_agreed_at = now
        user.terms_version = pages["terms"].version if pages.get("terms") else ""
    if data.get("agree_privacy"):
        user.privacy_agreed_at = now
        user.privacy_version = pages["privacy"].version if pages.get("privacy") else ""
    if data.get("age_14_or_older"):
        user.age_confirmed_at = now
    user.marketing_email = bool(data.get("marketing_email"))
    user.marketing_email_changed_at = now


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A provider's profile fills in the sign-up form; allauth's rules decide who may connect.

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

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        # A provider's profile is no consent to our terms or proof of age: every new member,
        # whatever they log in with, goes through the sign-up form (members.forms.SignupForm).
        return False

    def get_signup_form_initial_data(self, sociallogin) -> dict:
        initial = super().get_signup_form_initial_data(sociallogin)
        initial["display_name"] = sociallogin.user.display_name
        return initial

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
