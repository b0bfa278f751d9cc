"""Signed streams and watch progress."""

from django.urls import path

from . import playback_views
from .api import PlaybackAPIView, ProgressAPIView

urlpatterns = [
    path("stream/<int:video_id>/<path:path>", playback_views.stream, name="video_stream"),
    path("watch/progress/", playback_views.progress, name="video_progress"),
    path("api/v2/playback/<int:film_id>/", PlaybackAPIView.as_view(), name="api_playback"),
    path("api/v2/progress/", ProgressAPIView.as_view(), name="api_progress"),
]
