from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Reviews, comments and their moderation, follows, and creators' posts (public or for backers
    and buyers).

    It reads films (the pages talked about, their owners and tiers), members, donations and watching
    (who backed, bought or watched a film) and videos (what a post may show). It announces what others
    act on through its signals (`community.signals`): the notifications app tells followers and
    backers; nothing of ours imports this app except the URL configuration.
    """

    name = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers  # noqa: F401  (registers the followers hook and page signals)
