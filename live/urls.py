"""The live app's addresses on the site (`live:`)."""

from django.urls import path

from . import ingest_views, views, watch_views

app_name = "live"

urlpatterns = [
    path("live/<int:premiere_id>/remind/", views.toggle_reminder, name="remind"),
    path("live/<int:premiere_id>/", watch_views.watch, name="watch"),
    path("live/<int:premiere_id>/status/", watch_views.status, name="status"),
    path("live/<int:premiere_id>/hls/<str:path>", watch_views.hls, name="hls"),
    # nginx's RTMP hooks (deploy/nginx/rtmp.conf).
    path("live/rtmp/publish/", ingest_views.publish, name="rtmp_publish"),
    path("live/rtmp/publish-done/", ingest_views.publish_done, name="rtmp_publish_done"),
    path("live/rtmp/record-done/", ingest_views.record_done, name="rtmp_record_done"),
]
