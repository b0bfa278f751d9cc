"""Password-reset requests answer the same whether or not the address has an account.

Sign-up still says plainly that an address is taken (ACCOUNT_PREVENT_ENUMERATION is off for that),
so allauth's reset form would otherwise answer "not assigned to any account" for unknown addresses.
Here an unknown address goes on like a known one: allauth mails it that it has no account (instead
of a code), and the page or the app is told the same thing in both cases.
"""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm
from allauth.headless.account.inputs import RequestPasswordResetInput
from allauth.headless.account.views import RequestPasswordResetView
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import path


class _SilentAboutUnknownAddresses:
    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except ValidationError as error:
            if error.code != "unknown_email":
                raise
            self.users = []
            return self.cleaned_data["email"]


class PasswordResetForm(_SilentAboutUnknownAddresses, ResetPasswordForm):
    """The site's reset form (ACCOUNT_FORMS["reset_password"])."""


class PasswordResetInput(_SilentAboutUnknownAddresses, RequestPasswordResetInput):
    """The apps' reset request (allauth headless)."""


class PasswordResetRequestView(RequestPasswordResetView):
    input_class = PasswordResetInput


# Put before allauth's headless URLs so these answer /_allauth/<client>/v1/auth/password/request.
headless_urlpatterns = [
    path(
        f"_allauth/{client}/v1/auth/password/request",
        PasswordResetRequestView.as_api_view(client=client),
        name=f"{client}_request_password_reset",
    )
    for client in settings.HEADLESS_CLIENTS
]
