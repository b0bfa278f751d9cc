from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    # After sign-up (ACCOUNT_SIGNUP_REDIRECT_URL) and from my page.
    path("me/genres/", views.pick_genres, name="pick_genres"),
]
