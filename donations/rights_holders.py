"""Rights holders in the page editor: the inline panel and the check that their shares add up.

`RightsHolderPanel` is an `InlinePanel` whose formset checks the rows together (a film or project
editor's `base_form_class` builds its formsets from the panels): each rights holder listed once, and
the shares adding up to exactly 100% whenever any are given. The message appears at the top of the
panel, and the page (draft, submission or publish) is not saved until it is fixed. That each row
names a member *or* a person is the row's own rule (a `RightsHolder` constraint, which the row's form
checks too).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel

from .splits import shares_problem
from .widgets import member_label


class RightsHolderFormSet(BaseChildFormSet):
    def clean(self):
        super().clean()
        shares, seen, errors = [], set(), []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue  # an untouched extra row, or one being removed
            if data.get("share") is not None:
                shares.append(data["share"])
            member, person = data.get("member"), data.get("person")
            if member is None and person is None:
                continue
            key = ("member", member.pk) if member else ("person", person.pk)
            if key in seen:
                name = member_label(member) if member else person.display_name
                errors.append(
                    _("%(name)s is listed twice. List each rights holder once, with their whole share.")
                    % {"name": name}
                )
            seen.add(key)
        problem = shares_problem(shares)
        if problem:
            errors.append(problem)
        if errors:
            raise ValidationError(errors)


class RightsHolderPanel(InlinePanel):
    """`InlinePanel("rights_holders")` with the shares checked together."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = RightsHolderFormSet
        return options
