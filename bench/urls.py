"""The site's URLs plus the bare view. Used by `bench.settings` only, never by the site."""

from django.urls import path

from reelvision.urls import urlpatterns as site_urlpatterns

from .views import bare_page, bare_session_report

urlpatterns = [
    path("api/bench/bare/<slug:name>/", bare_page, name="bench_bare_page"),
    path("api/bench/bare-session/", bare_session_report, name="bench_bare_session_report"),
    *site_urlpatterns,
]
