"""The upload protocol's endpoints (JSON; the admin's upload page uses them)."""

from django.urls import path

from . import upload_views

urlpatterns = [
    path("videos/uploads/", upload_views.create, name="video_upload_create"),
    path("videos/uploads/<int:video_id>/", upload_views.resume, name="video_upload_resume"),
    path("videos/uploads/<int:video_id>/parts/", upload_views.parts, name="video_upload_parts"),
    path("videos/uploads/<int:video_id>/parts/<int:number>/", upload_views.put_part, name="video_upload_part"),
    path("videos/uploads/<int:video_id>/sign/", upload_views.sign, name="video_upload_sign"),
    path("videos/uploads/<int:video_id>/complete/", upload_views.complete, name="video_upload_complete"),
    path("videos/uploads/<int:video_id>/abort/", upload_views.abort, name="video_upload_abort"),
]
