"""The videos app's addresses: the upload protocol (the admin's upload page, Uppy, uses it), signed
streams, watch progress and the watch page. Its API routes are in `videos.api`."""

from django.urls import path

import reelvision.url_converters  # noqa: F401 - registers <unicode_slug:>

from .views import playback as playback_views
from .views import upload as upload_views
from .views import watch as watch_views

app_name = "videos"

urlpatterns = [
    path("videos/uploads/", upload_views.create, name="video_upload_create"),
    path("videos/uploads/<int:video_id>/", upload_views.status, name="video_upload_status"),
    path("videos/uploads/<int:video_id>/sign/", upload_views.sign, name="video_upload_sign"),
    path("videos/uploads/<int:video_id>/s3/", upload_views.s3_facade, name="video_upload_s3"),
    path("videos/uploads/<int:video_id>/complete/", upload_views.complete, name="video_upload_complete"),
    path("stream/<int:video_id>/<path:path>", playback_views.stream, name="video_stream"),
    path("watch/progress/", playback_views.progress, name="video_progress"),
    # Films are found by their page slug, which is Korean for most titles.
    path("watch/<unicode_slug:slug>/", watch_views.watch_film, name="watch_film"),
]
