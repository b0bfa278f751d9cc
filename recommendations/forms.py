from django import forms
from django.utils.translation import gettext_lazy as _

from films.models import Genre

from .picked_genres import SITE_MINIMUM


class PickGenresForm(forms.Form):
    """The onboarding page's checkboxes: at least three genres (`picked_genres.SITE_MINIMUM`)."""

    genres = forms.ModelMultipleChoiceField(
        queryset=Genre.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Genres you like"),
    )

    def clean_genres(self):
        genres = self.cleaned_data["genres"]
        if len(genres) < SITE_MINIMUM:
            raise forms.ValidationError(_("Pick at least three genres, or skip this for now."))
        return genres
