"""One pagination style for every list in the API: Wagtail's.

`?offset=` (default 0) and `?limit=` (each list has its default and maximum; a larger limit is a
400, as on Wagtail's endpoints), answered as `{"meta": {"total_count": n, …}, "items": […]}`.
Our own list endpoints (search, a project's ledger) use these helpers; Wagtail's endpoints
(`/api/v2/pages/`, `/films/`, `/people/`, …) do the same through its `WagtailPagination`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .api_errors import InvalidQuery


def offset_and_limit(request, default_limit: int, max_limit: int) -> tuple[int, int]:
    """The requested slice; `reelvision.bad_requests` has already refused what is not a whole number."""
    try:
        offset = int(request.GET.get("offset", 0))
        limit = int(request.GET.get("limit", default_limit))
    except ValueError:
        raise InvalidQuery(_("offset and limit must be whole numbers.")) from None
    if offset < 0 or limit < 0:
        raise InvalidQuery(_("offset and limit must be whole numbers."))
    if limit > max_limit:
        raise InvalidQuery(_("limit cannot be higher than %(max)s.") % {"max": max_limit})
    return offset, limit


def paging_parameters(default_limit: int, max_limit: int) -> list[OpenApiParameter]:
    return [
        OpenApiParameter("offset", int, description="Items to skip (default 0)."),
        OpenApiParameter("limit", int, description=f"Items per answer (default {default_limit}, at most {max_limit})."),
    ]


class ListingMetaSerializer(serializers.Serializer):
    total_count = serializers.IntegerField(help_text="Items matching the request, across all offsets.")


def listing_serializer(name: str, item, meta=ListingMetaSerializer, **extra):
    """`{"meta": {...}, "items": [...]}` (plus `extra` fields) as a serializer for the schema."""
    return type(
        f"{name}ListingSerializer",
        (serializers.Serializer,),
        {"meta": meta(), "items": item(many=True), **extra, "__doc__": f"A slice of {name} items."},
    )
