"""The premieres' addresses under the Wagtail admin (/admin/premieres/), which first turns away whoever
may not use the admin; the views then check the premiere's page."""

from django.urls import path

from . import admin_views

app_name = "live_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("add/", admin_views.create, name="add"),
    path("<int:premiere_id>/", admin_views.edit, name="edit"),
    path("<int:premiere_id>/new-key/", admin_views.regenerate_key, name="regenerate_key"),
    path("<int:premiere_id>/cancel/", admin_views.cancel, name="cancel"),
]
