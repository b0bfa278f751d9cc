"""The upload protocol's endpoints (the admin's upload page, Uppy, uses them)."""

from django.urls import path

from . import upload_views

urlpatterns = [
    path("videos/uploads/", upload_views.create, name="video_upload_create"),
    path("videos/uploads/<int:video_id>/", upload_views.status, name="video_upload_status"),
    path("videos/uploads/<int:video_id>/sign/", upload_views.sign, name="video_upload_sign"),
    path("videos/uploads/<int:video_id>/s3/", upload_views.s3_facade, name="video_upload_s3"),
    path("videos/uploads/<int:video_id>/complete/", upload_views.complete, name="video_upload_complete"),
]
