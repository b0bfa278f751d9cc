from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchingConfig(AppConfig):
    name = "watching"
    verbose_name = _("Watching")
    default_auto_field = "django.db.models.BigAutoField"
