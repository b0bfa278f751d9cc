"""The department's notices in the API (this app's routes under /api/v2/).

GET /api/v2/notices/    the live notices, newest first, in the request's language, with the notice
                        pinned to the home page now in `meta.banner`

Each notice is also in Wagtail's pages endpoint with both languages' fields, declared by
`NoticePage.api_fields` (`/api/v2/pages/?type=home.NoticePage`); the home page's sections are
serialized by `home.api_fields`.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url

from films.api.fields import public_page_url
from films.models import localized
from reelvision.api_errors import BAD_QUERY
from reelvision.api_pagination import ListingMetaSerializer, listing_serializer, offset_and_limit, paging_parameters

from .models import NoticePage
from .notices import current_banner

NOTICES_DEFAULT_LIMIT, NOTICES_MAX_LIMIT = 20, 100


class NoticeSerializer(serializers.Serializer):
    """A notice from the department, in the request's language."""

    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In English when the request is and the notice has an English title.")
    body = serializers.CharField(help_text="Rendered HTML; in English when the request is and the notice has it.")
    date = serializers.DateField(help_text="The notice's date (notices are listed newest first by it).")
    banner = serializers.BooleanField(help_text="Pinned to the top of the home page now.")
    banner_until = serializers.DateTimeField(
        allow_null=True, help_text="Pinned until then (it may have passed); null for a notice that was never pinned."
    )
    html_url = serializers.URLField(help_text="The notice's page on the site.")
    detail_url = serializers.URLField(help_text="The notice in the pages endpoint, with both languages' fields.")


class NoticesMetaSerializer(ListingMetaSerializer):
    banner = NoticeSerializer(
        allow_null=True,
        help_text=(
            "The notice the home page shows as a banner now (the newest pinned one), whatever `offset` and "
            "`limit` are; null when none is pinned."
        ),
    )


NoticeListingSerializer = listing_serializer("Notice", NoticeSerializer, NoticesMetaSerializer)


def notice_data(notice, request, now) -> dict:
    return {
        "id": notice.pk,
        "title": localized(notice, "title"),
        "body": APIRichText.serialize(localized(notice, "body"), format="html"),
        "date": notice.date,
        "banner": notice.banner_until is not None and notice.banner_until > now,
        "banner_until": notice.banner_until,
        "html_url": public_page_url(request, notice),
        "detail_url": get_full_url(request, reverse("wagtailapi:pages:detail", args=[notice.pk])),
    }


class NoticesAPIView(APIView):
    """The department's notices."""

    permission_classes = [AllowAny]
    authentication_classes = ()  # public, the same for everyone

    @extend_schema(
        operation_id="notices",
        summary="Notices from the department",
        description=(
            "Live, public notices, newest first (by `date`), with their title and text in the request's "
            "language (`Accept-Language: en` for English where a notice has it; Korean otherwise). `banner` "
            "says whether a notice is pinned to the top of the home page now; `meta.banner` is the one the home "
            "page shows (the newest pinned notice), so an app asks `?limit=0` for the banner alone. The pages "
            "endpoint has each notice with both languages' fields: `/api/v2/pages/?type=home.NoticePage`."
        ),
        parameters=paging_parameters(NOTICES_DEFAULT_LIMIT, NOTICES_MAX_LIMIT),
        responses={200: NoticeListingSerializer, 400: BAD_QUERY},
        examples=[
            OpenApiExample(
                "A pinned notice",
                value={
                    "meta": {
                        "total_count": 1,
                        "banner": {
                            "id": 41,
                            "title": "2026 졸업영화제 상영 일정 안내",
                            "body": "<p>12월 12일부터 사흘 동안 학과 시사실에서 상영합니다.</p>",
                            "date": "2026-12-01",
                            "banner": True,
                            "banner_until": "2026-12-14T23:59:00+09:00",
                            "html_url": "https://reelvision.example/notices/2026-graduation-screenings/",
                            "detail_url": "https://reelvision.example/api/v2/pages/41/",
                        },
                    },
                    "items": [
                        {
                            "id": 41,
                            "title": "2026 졸업영화제 상영 일정 안내",
                            "body": "<p>12월 12일부터 사흘 동안 학과 시사실에서 상영합니다.</p>",
                            "date": "2026-12-01",
                            "banner": True,
                            "banner_until": "2026-12-14T23:59:00+09:00",
                            "html_url": "https://reelvision.example/notices/2026-graduation-screenings/",
                            "detail_url": "https://reelvision.example/api/v2/pages/41/",
                        }
                    ],
                },
                response_only=True,
            )
        ],
        tags=["notices"],
    )
    def get(self, request):
        offset, limit = offset_and_limit(request, NOTICES_DEFAULT_LIMIT, NOTICES_MAX_LIMIT)
        now = timezone.now()
        notices = NoticePage.objects.live().public().newest_first()
        banner = current_banner(now)
        body = {
            "meta": {
                "total_count": notices.count(),
                "banner": notice_data(banner, request, now) if banner else None,
            },
            "items": [notice_data(notice, request, now) for notice in notices[offset : offset + limit]],
        }
        return Response(NoticeListingSerializer(body).data)


urlpatterns = [
    path("notices/", NoticesAPIView.as_view(), name="api_notices"),
]
