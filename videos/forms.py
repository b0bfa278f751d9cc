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


class ChapterForm(forms.Form):
    """One chapter in the Videos admin: where it starts and its name (a row left empty is dropped)."""

    start = TimecodeField(label=_("Starts at"), required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    title_en = forms.CharField(label=_("English title"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") is None and (data.get("title") or data.get("title_en")):
            self.add_error("start", _("Say where this chapter starts."))
        if data.get("start") is not None and not data.get("title"):
            self.add_error("title", _("Give this chapter a title."))
        return data


class BaseChapterFormSet(forms.BaseFormSet):
    """The video's chapters: each within the video, no two at the same time."""

    def __init__(self, *args, duration: float = 0.0, **kwargs):
        self.duration = duration
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            start = form.cleaned_data.get("start")
            if start is None:
                continue
            if self.duration and start >= self.duration:
                form.add_error(
                    "start", _("This is after the end of the video (%(end)s).") % {"end": timecode(self.duration)}
                )
            if round(start, 1) in seen:
                form.add_error("start", _("Another chapter starts at the same time."))
            seen.add(round(start, 1))

    def chapters(self) -> list[dict]:
        """The filled rows, in time order."""
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data.get("start") is not None]
        return sorted(
            ({"start": row["start"], "title": row["title"], "title_en": row["title_en"]} for row in rows),
            key=lambda row: row["start"],
        )


# Up to this many chapters; the analysis suggests at most 12.
MAX_CHAPTERS = 30
ChapterFormSet = forms.formset_factory(
    ChapterForm, formset=BaseChapterFormSet, extra=2, max_num=MAX_CHAPTERS, validate_max=True
)
