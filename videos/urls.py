"""The videos app's addresses: the upload protocol (the admin's upload page, Uppy, uses it), signed
streams, watch progress and the watch page. Its API routes are in `watching.api`."""

from django.urls import path

from .views import playback as playback_views
from .views import upload as upload_views

app_name = "videos"

urlpatterns = [
    path("videos/uploads/", upload_views.create, name="video_upload_create"),
    path("videos/uploads/<int:video_id>/", upload_views.status, name="video_upload_status"),
    path("videos/uploads/<int:video_id>/sign/", upload_views.sign, name="video_upload_sign"),
    path("videos/uploads/<int:video_id>/s3/", upload_views.s3_facade, name="video_upload_s3"),
    path("videos/uploads/<int:video_id>/complete/", upload_views.complete, name="video_upload_complete"),
    path("stream/<int:video_id>/<path:path>", playback_views.stream, name="video_stream"),
]
