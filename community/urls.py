from django.urls import include, path

from . import views

app_name = "community"

urlpatterns = [
    path("community/films/<int:film_id>/review/", views.review, name="review"),
    path("community/comments/", views.comment, name="comment"),
    path("community/<str:kind>/<int:pk>/report/", views.report, name="report"),
    path("community/<str:kind>/<int:pk>/delete/", views.delete, name="delete"),
    path("community/comments/<int:pk>/hide/", views.hide, name="hide"),
    path("community/comments/<int:pk>/pin/", views.pin, name="pin"),
    path("community/follow/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("me/following/", views.following, name="following"),
    path("community/", include("community.post_urls")),
]
