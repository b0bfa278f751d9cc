"""Signed streams and watch progress."""

from django.urls import path

from . import playback_views

urlpatterns = [
    path("stream/<int:video_id>/<path:path>", playback_views.stream, name="video_stream"),
    path("watch/progress/", playback_views.progress, name="video_progress"),
]
