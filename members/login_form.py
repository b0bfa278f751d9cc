"""The log-in form: allauth's, with the "remember me" box saying what it does.

The box keeps the member logged in after the browser closes (ACCOUNT_SESSION_REMEMBER = None), so
it reads "Keep me logged in" ("로그인 상태 유지"), not allauth's Korean "아이디 저장" ("save my ID").
A module of its own: allauth's forms module imports our sign-up form (members.forms) when loaded.
"""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in")
