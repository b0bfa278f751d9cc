"""One shape for every error the API answers (`/api/…`), whichever layer refuses the request.

    {"detail": "<a sentence for people>", "code": "<a word for programs>"}

plus `"fields": {"<name>": ["<message>", …]}` when values were refused one by one (a form's
errors). DRF views get it from `exception_handler` (settings `REST_FRAMEWORK`), Wagtail's
viewsets from `SharedErrorsMixin`, `reelvision.bad_requests` and views that answer an error
themselves from `error_response()`. The OpenAPI schema describes it once (`ErrorSerializer`,
the `Error` component).

A 404 never says what was looked for: Django's "No FilmBasePage matches the given query."
would name our models, so every 404 is a neutral "Not found.".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found as site_page_not_found
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from wagtail.api.v2.utils import BadRequestError

# The codes our answers use (DRF's, plus `bad_request` for a query or body that cannot be taken
# and `invalid` for values refused field by field).
ERROR_CODES = (
    "bad_request",
    "invalid",
    "parse_error",
    "not_authenticated",
    "authentication_failed",
    "permission_denied",
    "not_found",
    "conflict",
    "method_not_allowed",
    "not_acceptable",
    "unsupported_media_type",
    "throttled",
)
CODE_FOR_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    409: "conflict",
}


class ErrorSerializer(serializers.Serializer):
    """What went wrong. `detail` is for people (in the request's language), `code` for programs."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    code = serializers.CharField(help_text="What went wrong, for programs: " + ", ".join(ERROR_CODES) + ".")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only with `invalid`: the messages for each refused field.",
    )

    class Meta:
        ref_name = "Error"


def error_body(detail: str, code: str, fields: dict | None = None) -> dict:
    body = {"detail": str(detail), "code": code}
    if fields:
        body["fields"] = fields
    return body


def error_response(detail: str, status: int, code: str | None = None, fields: dict | None = None) -> JsonResponse:
    """An error answer in the shared shape, for code outside DRF's exception handling."""
    return JsonResponse(error_body(detail, code or CODE_FOR_STATUS.get(status, "bad_request"), fields), status=status)


class InvalidQuery(exceptions.APIException):
    """A query the endpoint cannot answer (a bad filter, a page type it does not list)."""

    status_code = 400
    default_code = "bad_request"


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [message for nested in value.values() for message in _messages(nested)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _validation_body(exc: exceptions.ValidationError) -> dict:
    if isinstance(exc.detail, dict):
        fields = {name: _messages(value) for name, value in exc.detail.items() if name != "non_field_errors"}
        general = _messages(exc.detail.get("non_field_errors", []))
        detail = " ".join(general) or _("Some values were not accepted: see fields.")
        return error_body(detail, "invalid", fields)
    return error_body(" ".join(_messages(exc.detail)), "invalid")


def exception_handler(exc, context):
    """DRF's handler (status, headers such as WWW-Authenticate), answering in the shared shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never Django's message, which names the model
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = error_body(exc.detail, code)
    return response


class SharedErrorsMixin:
    """For Wagtail's API viewsets: their `{"message": …}` errors in the shared shape instead."""

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            exc = InvalidQuery(str(exc))
        # Skip Wagtail's own handle_exception (its `message` shape); DRF's calls exception_handler.
        return APIView.handle_exception(self, exc)


def error_responses(**descriptions) -> dict:
    """`{400: OpenApiResponse(Error, …), …}` for extend_schema, from `r400="…", r404="…"`."""
    return {
        int(key.lstrip("r")): OpenApiResponse(ErrorSerializer, description=description)
        for key, description in descriptions.items()
    }


NOT_AUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No valid token or session.")
BAD_TOKEN = OpenApiResponse(ErrorSerializer, description="An access token that is invalid or has expired.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not found (or not public).")
BAD_QUERY = OpenApiResponse(ErrorSerializer, description="A query parameter that cannot be taken.")


def page_not_found(request, exception):
    """The site's 404 handler: an address under /api/ that no endpoint has is a 404 in the API's shape."""

    if request.path.startswith("/api/"):
        return error_response(_("Not found."), 404, "not_found")
    return site_page_not_found(request, exception)
