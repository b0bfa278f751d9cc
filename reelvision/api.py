"""The API router (Wagtail API v2 and our endpoints) and the OpenAPI schema.

`/api/v2/` pages, films (the catalogue), people, genres, images, documents;
`/api/schema/` is the OpenAPI 3 schema, `/api/docs/` Swagger UI served from
our own static files (drf-spectacular-sidecar).
"""

from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.views import APIView
from wagtail.api.v2.router import WagtailAPIRouter

from films.api import (
    FilmsAPIViewSet,
    GenresAPIViewSet,
    PeopleAPIViewSet,
    ReelVisionDocumentsAPIViewSet,
    ReelVisionImagesAPIViewSet,
    ReelVisionPagesAPIViewSet,
)

API_PREFIX = "/api/"
# What `reelvision.bad_requests` answers on any API path: a NUL in the query string, an offset,
# limit or id that is not a whole number.
BAD_REQUEST_DESCRIPTION = (
    "A query the API cannot take: a NUL character, an `offset`, `limit` or `id` that is not a whole number, "
    "or a value the operation does not accept."
)


class PersonalAPIView(APIView):
    """An endpoint whose answers are about the requester (or signed for them): never stored by any
    cache, whatever the answer, DRF's own 400, 401 and 403 included."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response


api_router = WagtailAPIRouter("wagtailapi")
# "pages" first: the router links a page to the first endpoint whose model it
# subclasses, so every page's `detail_url` points at /api/v2/pages/<id>/.
api_router.register_endpoint("pages", ReelVisionPagesAPIViewSet)
api_router.register_endpoint("films", FilmsAPIViewSet)
api_router.register_endpoint("people", PeopleAPIViewSet)
api_router.register_endpoint("genres", GenresAPIViewSet)
api_router.register_endpoint("images", ReelVisionImagesAPIViewSet)
api_router.register_endpoint("documents", ReelVisionDocumentsAPIViewSet)


def exclude_wagtail_admin_api(endpoints, **kwargs):
    """Leave Wagtail's admin API (`/admin/api/`) out of the public schema.

    It is the editor's private API: it needs a logged-in editor, changes with
    Wagtail releases, and its views cannot be introspected anyway.
    """
    admin_prefix = reverse("wagtailadmin_home")
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(admin_prefix)]


def document_shared_answers(result, generator, request, public):
    """What every operation under /api/ shares, whatever its view declares.

    - A 400 in the shared error shape: `reelvision.bad_requests` answers it on any API path.
    - Public operations need no authentication: spectacular writes `[{}]` ("an empty requirement
      suffices") for views without authenticators; say it plainly with `[]`.
    """
    error = {"$ref": "#/components/schemas/Error"}
    for template, operations in result["paths"].items():
        if not template.startswith(API_PREFIX):
            continue
        for operation in operations.values():
            operation["responses"].setdefault(
                "400",
                {"description": BAD_REQUEST_DESCRIPTION, "content": {"application/json": {"schema": error}}},
            )
            if operation.get("security") == [{}]:
                operation["security"] = []
    return result


api_urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its start-up script as a file of its own: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]
