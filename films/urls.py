"""The films app's own addresses beside its pages (which Wagtail serves): people and "notify me"."""

from django.urls import path

from .views import people

app_name = "films"
urlpatterns = [
    path("people/<str:slug>/", people.person_detail, name="person_detail"),
    path("notify/<int:film_id>/", people.notify_when_available, name="notify_when_available"),
]
