from django.urls import path

from .views import pages as views

app_name = "members"

urlpatterns = [
    path("me/", views.library, name="my_library"),
    path("me/donations/", views.donations, name="my_donations"),
    path("me/projects/", views.projects, name="my_projects"),
    path("me/badges/", views.badge_list, name="my_badges"),
    path("me/profile/", views.profile, name="my_profile"),
    path("me/profile/payout/", views.payout, name="my_payout"),
    path("me/university/", views.university_view, name="my_university"),
    path("me/university/<int:pk>/resend/", views.resend_university_code, name="my_university_resend"),
    path("me/account/", views.account_view, name="my_account"),
    path("me/account/export.json", views.export, name="my_export"),
    path("me/account/delete/", views.delete_account, name="my_delete"),
    path("members/<int:pk>/", views.public_profile, name="member_profile"),
]
