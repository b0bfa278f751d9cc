from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = _("Films")

    def ready(self):
        # Imported here: this module loads before any app's models.
        from page_cache.signal_handlers import invalidates_pages

        from . import checks, signal_handlers  # noqa: F401

        # Genres and people show on many pages (credits, person pages, catalogue filters). A funding
        # total saved through the ORM changes the figures on project pages and funding rows (payments
        # update it with F() expressions, which send no signal: the live figures on cached pages come
        # from /projects/live/).
        invalidates_pages("films.Genre", "films.Person", "films.FundingTotal")
