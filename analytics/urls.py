from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("analytics/session/", views.playback_session, name="playback_session"),
    path("analytics/page-view/", views.page_view, name="page_view"),
]
