from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class FundingProjectPageForm(WagtailAdminPageForm):
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
