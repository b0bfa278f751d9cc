"""What every API endpoint shares: the personal-answer view base and the OpenAPI schema hooks.

The routes themselves are in `reelvision.api_urls`.
"""

from django.urls import reverse
from django.utils.cache import patch_cache_control
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

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


class MemberAPIView(PersonalAPIView):
    """An endpoint about the requester, for members only (anonymous requests get a 401): never stored
    by any cache, whatever the answer."""

    permission_classes = [IsAuthenticated]


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
