from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("i18n/switch/<str:language>/", views.switch_language, name="switch_language"),
]
