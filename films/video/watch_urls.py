"""The watch page."""

from django.urls import path

import reelvision.url_converters  # noqa: F401 - registers <unicode_slug:>

from . import watch_views

urlpatterns = [
    # Films are found by their page slug, which is Korean for most titles.
    path("watch/<unicode_slug:slug>/", watch_views.watch_film, name="watch_film"),
]
