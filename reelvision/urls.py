from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as document_serve

from films.views import media as media_views
from members import password_reset
from members.views import pages as member_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/login/", member_views.admin_login),  # before Wagtail's own log-in form
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view (our before_serve_document hook decides who gets a file), answered
    # "private": what it sends may depend on who asks.
    re_path(r"^documents/(\d+)/(.*)$", cache_control(private=True)(document_serve.serve), name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    *password_reset.headless_urlpatterns,  # the same answer for known and unknown addresses
    path("_allauth/", include("allauth.headless.urls")),
    # The API before the apps' pages, so /api/ addresses never fall through to a page.
    path("", include("reelvision.api_urls")),
    path("", include("members.urls")),
    path("", include("recommendations.urls")),
    path("", include("analytics.urls")),
    path("", include("notifications.urls")),
    path("", include("community.urls")),
    path("", include("live.urls")),
    path("", include("donations.urls")),
    path("", include("search.urls")),
    path("", include("videos.urls")),
    path("", include("watching.urls")),
    path("", include("films.urls")),
    path("", include("home.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Local media: only what may be shown (films.views.media), in development and production alike.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns += [path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media_views.serve_media, name="media")]

urlpatterns += [path("", include(wagtail_urls))]

# Unknown addresses under /api/ answer JSON in the API's error shape; pages get 404.html.
handler404 = "reelvision.api_errors.page_not_found"
