from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self):
        # Imports in ready() and below: this module loads before any app's models.
        from . import (
            checks,  # noqa: F401 - registers the payment system checks
            tasks,  # noqa: F401 - connects the listeners that queue receipts and refunds
        )

        add_rights_holder_panels()


def add_rights_holder_panels():
    """Fill the film and funding pages' "Rights holders" tab (`FilmBasePage.rights_panels`, empty in
    films) before Wagtail first builds their editors: films shows the tab, donations owns what is in it."""
    from wagtail.admin.panels import HelpPanel  # imported once the apps are ready (see ready())

    from films.models import FilmBasePage

    from .rights_holders import RightsHolderPanel

    if FilmBasePage.rights_panels:
        return
    FilmBasePage.rights_panels += [
        HelpPanel(
            content=_(
                "Who is paid what this title earns, after refunds, payment fees and the platform fee. Each rights "
                "holder is a member (paid to the payout account on their page) or someone from People. The shares "
                "must add up to exactly 100%. With no rights holders, everything goes to the page's owner. Changes "
                "count once the page is published."
            )
        ),
        RightsHolderPanel("rights_holders", label=_("Rights holder"), heading=_("Rights holders")),
    ]
