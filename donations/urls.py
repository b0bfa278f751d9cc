from django.urls import path

from .views import backers as backers_views
from .views import funding as funding_views
from .views import ledger as ledger_views
from .views import orders as views

app_name = "donations"

urlpatterns = [
    path("support/<int:project_id>/", views.donate, name="donate"),
    path("buy/<int:film_id>/", views.buy, name="buy"),
    path("tickets/<str:item>/", views.buy_ticket, name="buy_ticket"),
    path("pay/success/", views.payment_success, name="payment_success"),
    path("pay/fail/", views.payment_failure, name="payment_failure"),
    path("pay/sandbox/<str:public_id>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("pay/toss/<str:public_id>/", views.toss_checkout, name="toss_checkout"),
    path("pay/webhooks/toss/", views.provider_webhook, {"provider": "toss"}, name="toss_webhook"),
    path("pay/stripe/return/", views.stripe_return, name="stripe_return"),
    path("pay/webhooks/stripe/", views.provider_webhook, {"provider": "stripe"}, name="stripe_webhook"),
    path("orders/<str:public_id>/", views.order_detail, name="order_detail"),
    path("me/projects/<int:project_id>/backers/", backers_views.project_backers, name="project_backers"),
    path("me/projects/<int:project_id>/backers.csv", backers_views.project_backers_csv, name="project_backers_csv"),
    path("me/projects/<int:project_id>/backers/rewards/", backers_views.mark_rewards, name="mark_rewards"),
    path("projects/<int:project_id>/ledger/", ledger_views.project_ledger, name="project_ledger"),
    path("projects/live/", funding_views.live_funding, name="funding_live"),
]
