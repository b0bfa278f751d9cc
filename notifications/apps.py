from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The notification centre, members' preferences and e-mail fan-out.

    It listens to what the other apps announce (their signals, Wagtail's workflow signals) and reads
    what it needs to address and word a notification (projects' backers, pages' owners); no app
    imports it. It sits last in INSTALLED_APPS so that it can take over Wagtail's own workflow
    e-mails (`signal_handlers.replace_wagtail_workflow_emails`).
    """

    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
