"""The moderation views' addresses under the Wagtail admin (/admin/moderation/), which first turns
away whoever may not use the admin; the views then turn away whoever is not staff."""

from django.urls import path

from . import admin_views

app_name = "community_moderation"

urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("log/", admin_views.log, name="log"),
    path("members/<int:member_id>/", admin_views.act_on_member, name="member"),
    path("<str:kind>/<int:post_id>/", admin_views.decide_on_post, name="decide"),
]
