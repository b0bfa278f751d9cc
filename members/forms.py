"""Forms members fill in: sign-up, profile, payout account, university address, deletion."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from donations.banks import BANKS, account_number_digits
from legal.models import LegalPage, current

from .models import User

KOREAN_BANKS = list(BANKS.values())


def _agree_label(text, page):
    """The checkbox label, with the page's title linked when the page is online."""
    if page is None:
        return text % {"page": _("the page")}
    link = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', page.url, page.display_title)
    return format_html(conditional_escape(text).replace("%(page)s", "{}"), link)


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS), on the site's, the apps' and the
    Kakao/Naver/Google sign-up alike: the name others see, consent to the terms and the privacy policy,
    the age check, and marketing e-mail as a separate, optional choice (off unless ticked)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=50,
        required=False,
        help_text=_("Shown publicly instead of your e-mail. Up to 50 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    agree_terms = forms.BooleanField(
        error_messages={"required": _("To join, agree to the terms of service.")},
    )
    agree_privacy = forms.BooleanField(
        error_messages={"required": _("To join, agree to the collection and use of your personal data.")},
    )
    # Korean law (개인정보 보호법 제22조의2) requires a guardian's consent to process the data of a
    # child under 14; sign-up cannot collect that, so it is for members aged 14 or older only.
    age_14_or_older = forms.BooleanField(
        label=_("I am 14 or older."),
        error_messages={
            "required": _(
                "ReelVision is for members aged 14 or older. Under 14, the law requires a parent's or "
                "guardian's consent, which we cannot take online, so we cannot create your account."
            )
        },
    )
    marketing_email = forms.BooleanField(
        label=_("Send me news and events by e-mail (optional)."),
        required=False,
        help_text=_("You can change this on your profile at any time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.legal_pages = {kind: current(kind) for kind in LegalPage.Kind.values}
        self.fields["agree_terms"].label = _agree_label(
            _("I agree to the %(page)s (required)."), self.legal_pages["terms"]
        )
        self.fields["agree_privacy"].label = _agree_label(
            _("I agree to the collection and use of my personal data as the %(page)s says (required)."),
            self.legal_pages["privacy"],
        )

    def signup(self, request, user):
        pass  # the account adapter saves the name and the consent (members.adapters.record_consent)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "avatar",
            "department",
            "admission_year",
            "show_badges",
            "marketing_email",
            "language",
            "shipping_name",
            "shipping_phone",
            "shipping_postcode",
            "shipping_address",
            "shipping_address_detail",
        ]
        widgets = {"avatar": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False  # a form without it keeps the language as it is

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language

    def save(self, commit=True):
        user = super().save(commit=False)
        if "marketing_email" in self.changed_data:
            user.marketing_email_changed_at = timezone.now()  # consent to marketing must be provable
        if commit:
            user.save()
            self._save_m2m()
        return user

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
