from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "page_cache"
    verbose_name = _("Page cache")

    def ready(self):
        from .signal_handlers import register_signal_handlers  # it imports models: only once they are loaded

        register_signal_handlers()
