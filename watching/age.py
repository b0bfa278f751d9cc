"""Films rated 청소년 관람불가 (adults only) play only for members who confirmed their age.

Korea's Youth Protection Act counts as a youth (청소년) anyone under 19, except those who have
reached 1 January of the year in which they turn 19: what matters is the year of birth, not the
day. A visitor is asked to log in, then for their date of birth once; only the confirmation is kept.
Who is stopped where is `watching.access.age_gate`.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AgeCheck

ADULT_AGE = 19


class AgeGate(StrEnum):
    """What stands between a viewer and an adults-only film."""

    LOG_IN = "log_in"
    CONFIRM_AGE = "confirm_age"


def is_adult(birth_date: datetime.date, today: datetime.date) -> bool:
    """Whether someone born on `birth_date` is no longer a youth on `today` (by the year, as above)."""
    return today.year - birth_date.year >= ADULT_AGE


def has_confirmed(user) -> bool:
    """Whether the logged-in `user` confirmed their age; asked once per user object (a request's)."""
    confirmed = getattr(user, "_age_confirmed", None)
    if confirmed is None:
        confirmed = user._age_confirmed = AgeCheck.objects.filter(user=user).exists()
    return confirmed


class TooYoung(Exception):
    """The date of birth given is that of a youth (or is not a date of birth at all)."""


def confirm(user, birth_date: datetime.date, today: datetime.date | None = None) -> AgeCheck:
    """Record that `user`, born on `birth_date`, may watch adults-only films; again: nothing changes.

    Raises TooYoung for a youth's date of birth, or one in the future or before 1900.
    """
    today = today or timezone.localdate()
    if birth_date > today or birth_date.year < 1900:
        raise TooYoung(_("Enter your real date of birth."))
    if not is_adult(birth_date, today):
        raise TooYoung(
            _("Films rated 19+ are for adults only: you can watch them from 1 January %(year)s.")
            % {"year": birth_date.year + ADULT_AGE}
        )
    check, _created = AgeCheck.objects.get_or_create(user=user)
    user._age_confirmed = True
    return check


class AgeCheckForm(forms.Form):
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=_("Only that you are an adult is kept, not the date."),
    )
