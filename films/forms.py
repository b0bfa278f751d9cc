from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class FundingProjectPageForm(WagtailAdminPageForm):
    """Checks donation tiers against the project's minimum, with the error on the tier itself."""

    def clean(self):
        cleaned = super().clean()
        minimum = cleaned.get("minimum_donation")
        target = cleaned.get("target_amount")
        if minimum and target is not None and target < minimum:
            self.add_error(
                "target_amount",
                _("The target (%(target)s KRW) is below the minimum donation (%(minimum)s KRW).")
                % {"target": f"{target:,}", "minimum": f"{minimum:,}"},
            )
        tiers = self.formsets.get("tiers")
        if minimum and tiers is not None:
            for form in tiers.forms:
                if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                    continue
                amount = form.cleaned_data.get("amount")
                if amount is not None and amount < minimum:
                    form.add_error(
                        "amount",
                        _("This tier (%(amount)s KRW) is below the minimum donation (%(minimum)s KRW).")
                        % {"amount": f"{amount:,}", "minimum": f"{minimum:,}"},
                    )
        return cleaned
