"""Every route under /api/ in one place: Wagtail's API v2 router with the catalogue's endpoints, each
app's API module, and the OpenAPI schema.

`/api/v2/` pages, films (the catalogue), people, genres, images, documents (the router); search,
playback and progress, live funding figures and ledgers, my page, genres and recommendations, the
department's notices, premieres (the apps' `api` modules);
`/api/schema/` is the OpenAPI 3 schema, `/api/docs/` Swagger UI served from our own static files
(drf-spectacular-sidecar).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail.api.v2.router import WagtailAPIRouter

from films.api.endpoints import (
    FilmsAPIViewSet,
    GenresAPIViewSet,
    PeopleAPIViewSet,
    ReelVisionDocumentsAPIViewSet,
    ReelVisionImagesAPIViewSet,
    ReelVisionPagesAPIViewSet,
)

api_router = WagtailAPIRouter("wagtailapi")
# "pages" first: the router links a page to the first endpoint whose model it
# subclasses, so every page's `detail_url` points at /api/v2/pages/<id>/.
api_router.register_endpoint("pages", ReelVisionPagesAPIViewSet)
api_router.register_endpoint("films", FilmsAPIViewSet)
api_router.register_endpoint("people", PeopleAPIViewSet)
api_router.register_endpoint("genres", GenresAPIViewSet)
api_router.register_endpoint("images", ReelVisionImagesAPIViewSet)
api_router.register_endpoint("documents", ReelVisionDocumentsAPIViewSet)

# Each app's API module declares its routes relative to /api/v2/; none overlaps the router's.
APP_API_MODULES = [
    "search.api",
    "watching.api",
    "videos.api",
    "donations.api",
    "members.api",
    "recommendations.api",
    "analytics.api",
    "notifications.api",
    "community.api",
    "community.post_api",
    "home.api",
    "live.chat_api",
    "live.api",
]

urlpatterns = [
    *(path("api/v2/", include(module)) for module in APP_API_MODULES),
    path("api/v2/", api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its start-up script as a file of its own: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
