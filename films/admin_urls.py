"""The age-rating views under the Wagtail admin (/admin/ratings/), which first turns away whoever
may not use the admin; the views then turn away whoever is not staff."""

from django.urls import path

from .views import ratings

app_name = "films_ratings"

urlpatterns = [
    path("", ratings.rating_list, name="list"),
    path("<int:film_id>/", ratings.confirm_rating, name="confirm"),
]
