from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .sessions import session_token


@hooks.register("playback_config")
def session_reporting(request, film, video, trailer):
    """Where the player reports what a play watched, and the token that lets it (`sessions`); the
    catalogue's path, so a play opened from the catalogue or a film page counts as from there."""
    url = film.url or ""
    return {
        "catalogue_path": url[: url.rstrip("/").rfind("/") + 1],
        "session_url": reverse("analytics:playback_session"),
        "session_token": session_token(video, film, trailer=trailer, user=request.user),
    }


@hooks.register("register_admin_urls")
def register_audience_urls():
    return [
        path("audience/", admin_views.dashboard, name="analytics_dashboard"),
        path("audience/<int:film_id>/", admin_views.film_dashboard, name="analytics_film"),
    ]


@hooks.register("register_admin_menu_item")
def register_audience_menu_item():
    return MenuItem(_("Audience"), reverse("analytics_dashboard"), icon_name="view", order=250)
