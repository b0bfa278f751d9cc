"""Form fields of the Videos admin."""

from __future__ import annotations

import math
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from videos.models import timecode

# 75, 75.5, 1:15, 1:15.5, 1:01:15
TIMECODE = re.compile(r"^(?:(?:(?P<hours>\d+):)?(?P<minutes>\d+):)?(?P<seconds>\d+(?:[.,]\d+)?)$")


def parse_timecode(text: str) -> float | None:
    """Seconds from "1:05", "1:02:03" or "65.5"; None when ``text`` is none of these.

    Seconds after a colon must be below 60 (and minutes after hours): "1:75" is more likely a typo
    than a time, so it is refused rather than read as 2:15.
    """
    match = TIMECODE.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match["hours"] or 0), int(match["minutes"] or 0)
    seconds = float(match["seconds"].replace(",", "."))
    if match["minutes"] is not None and seconds >= 60:
        return None
    if match["hours"] is not None and minutes >= 60:
        return None
    return hours * 3600 + minutes * 60 + seconds


class TimecodeField(forms.FloatField):
    """A time in a video, typed as the player shows it (1:05) or in seconds; shown back as 1:05."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter a time such as 1:05 (minutes:seconds) or 65 (seconds).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "0:42", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float):
            return float(value)
        seconds = parse_timecode(str(value))
        if seconds is None or not math.isfinite(seconds):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return seconds

    def prepare_value(self, value):
        if isinstance(value, int | float):
            return timecode(value)
        return value
