from django.urls import path

from . import api, views

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
    # My page for apps (JWT or session), in the OpenAPI schema.
    path("api/v2/me/", api.ProfileAPIView.as_view(), name="api_me"),
    path("api/v2/me/library/", api.LibraryAPIView.as_view(), name="api_me_library"),
    path("api/v2/me/orders/", api.OrdersAPIView.as_view(), name="api_me_orders"),
    path("api/v2/me/badges/", api.BadgesAPIView.as_view(), name="api_me_badges"),
    path("api/v2/me/projects/", api.ProjectsAPIView.as_view(), name="api_me_projects"),
]
