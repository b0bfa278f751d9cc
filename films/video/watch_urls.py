"""The watch page."""

from django.urls import path

from . import watch_views

urlpatterns = [
    path("watch/<slug:slug>/", watch_views.watch_film, name="watch_film"),
]
