"""Forms members fill in: sign-up, profile, payout account, university address, deletion."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .banks import BANKS, account_number_digits
from .models import User

KOREAN_BANKS = list(BANKS.values())


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): the name others see."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=50,
        required=False,
        help_text=_("Shown publicly instead of your e-mail. Up to 50 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user):
        pass  # the account adapter saves display_name


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "avatar",
            "department",
            "admission_year",
            "show_badges",
            "shipping_name",
            "shipping_phone",
            "shipping_postcode",
            "shipping_address",
            "shipping_address_detail",
        ]
        widgets = {"avatar": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "size") and avatar.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The picture is too large (at most 2 MB)."))
        return avatar


class ConfirmItIsThem:
    """Sensitive changes are confirmed by the password or, for members who log in only through
    Kakao, Naver or Google (no password), by a log-in with that provider in the last few minutes."""

    def confirm_it_is_them(self):
        if not self.user.has_usable_password() and not self.fresh_login:
            raise forms.ValidationError(
                _("To confirm it is you, log in again with your Kakao, Naver or Google account, then send this again."),
                code="log_in_again",
            )

    def clean(self):
        cleaned = super().clean()
        self.confirm_it_is_them()
        return cleaned


class PayoutAccountForm(ConfirmItIsThem, forms.Form):
    bank = forms.ChoiceField(label=_("Bank"), choices=[("", "—")] + [(b, b) for b in KOREAN_BANKS])
    number = forms.CharField(
        label=_("Account number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    holder = forms.CharField(label=_("Account holder"), max_length=50)
    password = forms.CharField(
        label=_("Your password"),
        help_text=_("To confirm it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, fresh_login=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fresh_login = fresh_login
        if not user.has_usable_password():  # logs in only through Kakao/Naver/Google: see confirm_it_is_them
            del self.fields["password"]

    def clean_number(self):
        return account_number_digits(self.cleaned_data["number"])

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class UniversityEmailForm(forms.Form):
    email = forms.EmailField(label=_("University e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class UniversityCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class DeleteAccountForm(ConfirmItIsThem, forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data are erased and cannot be restored.")
    )

    def __init__(self, *args, user, fresh_login=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fresh_login = fresh_login
        if not user.has_usable_password():  # logs in only through Kakao/Naver/Google: see confirm_it_is_them
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
