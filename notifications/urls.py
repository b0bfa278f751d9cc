from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("me/notifications/", views.notification_list, name="list"),
    path("me/notifications/read/", views.mark_all_read, name="mark_all_read"),
    path("me/notifications/<int:notification_id>/open/", views.open_notification, name="open"),
    path("me/notifications/settings/", views.preferences, name="preferences"),
    path("me/projects/<int:project_id>/backers/write/", views.write_to_backers, name="write_to_backers"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
