"""The watch page and the player's progress reports. The playback API is in `watching.api`."""

from django.urls import path

import reelvision.url_converters  # noqa: F401 - registers <unicode_slug:>

from . import views

app_name = "watching"
urlpatterns = [
    path("watch/progress/", views.progress, name="video_progress"),
    path("watch/age-check/", views.age_check, name="age_check"),
    # Films are found by their page slug, which is Korean for most titles.
    path("watch/<unicode_slug:slug>/", views.watch_film, name="watch_film"),
]
