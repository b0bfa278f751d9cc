from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class FilmBasePageForm(WagtailAdminPageForm):
    """Creators choose only their own videos; staff any. A forged id in the POST is "not a valid choice"."""

    VIDEO_FIELDS = ("main_video", "trailer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from films.video.access import is_staff_member

        user = self.for_user
        if user is None or is_staff_member(user):
            return
        for name in self.VIDEO_FIELDS:
            field = self.fields.get(name)
            if field is not None:
                current = getattr(self.instance, f"{name}_id", None)
                # Keep a video already on the page (a staff member may have set it) choosable.
                mine = field.queryset.filter(owner=user)
                field.queryset = (mine | field.queryset.filter(pk=current)) if current else mine


class FundingProjectPageForm(FilmBasePageForm):
    """Checks each donation tier against the project's minimum donation, with the error on the tier.

    The page model cannot check this in `clean()`: the tiers are a child
    formset that the model does not see until the form is saved. (The target
    below the minimum *is* a model rule: `FundingProjectPage.clean()`.)
    """

    def clean(self):
        cleaned = super().clean()
        minimum = cleaned.get("minimum_donation")
        tiers = self.formsets.get("tiers")
        if not minimum or tiers is None:
            return cleaned
        for form in tiers.forms:
            # modelcluster cleans the page form before its formsets, so the tier
            # forms have no cleaned_data yet: is_valid() cleans them now. The
            # error added below stays in the form's errors, so the formset (and
            # the whole page form) is then invalid.
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            amount = form.cleaned_data.get("amount")
            if amount is not None and amount < minimum:
                form.add_error(
                    "amount",
                    _("This tier (%(amount)s KRW) is below the project's minimum donation (%(minimum)s KRW).")
                    % {"amount": f"{amount:,}", "minimum": f"{minimum:,}"},
                )
        return cleaned
