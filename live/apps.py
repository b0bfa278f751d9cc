from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live premieres: screenings scheduled on a film or project page, streamed from OBS or ffmpeg
    over RTMP into nginx (which asks this app whether a stream key may publish), played as HLS by the
    site's player, with a chat over WebSockets (Channels) and the recording kept as a replay video.

    It reads films (the page a premiere belongs to, its owner), videos (the replay goes through the
    normal processing), community (the moderation rules the chat shares), watching (the site
    player's strings) and donations (tickets are sold as orders; this app tells donations what a
    "premiere:<id>" ticket is). Nothing of ours imports this app except the URL configuration and the ASGI
    routing.
    """

    name = "live"
    verbose_name = _("Live premieres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()

        from donations import tickets

        from . import tickets as premiere_tickets

        tickets.register(premiere_tickets.PREFIX, premiere_tickets.find_many)
