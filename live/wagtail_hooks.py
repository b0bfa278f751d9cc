"""The live app in the Wagtail admin ("Premieres"), and what it answers other apps (they never import
it): who may stream a premiere's replay, and a film page's live stream for the playback API."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, schedule
from .access import may_stream_video
from .playback import live_playback_for_page


@hooks.register("register_admin_urls")
def register_premiere_admin_urls():
    return [path("premieres/", include(admin_urls))]


class PremieresMenuItem(MenuItem):
    """ "Premieres", for whoever may edit a film or project page (creators, staff)."""

    def is_shown(self, request):
        return schedule.editable_pages(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_premieres_menu_item():
    return PremieresMenuItem(
        gettext_lazy("Premieres"), reverse("live_admin:index"), name="premieres", icon_name="media", order=250
    )


hooks.register("may_stream_video", may_stream_video)
hooks.register("live_playback_for_page", live_playback_for_page)
