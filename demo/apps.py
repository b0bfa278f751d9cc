from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content (`manage.py load_demo_content`, `load_demo_videos`): it touches every other app,
    and no other app imports it."""

    name = "demo"
    verbose_name = _("Demo content")
