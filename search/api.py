"""`GET /api/v2/search/`: the search page as JSON, for the apps.

Same matching as the page (`search.site_search`), one flat list, sliced with offset and limit
like every list in the API (`reelvision.api_pagination`):
films, then funding projects, then people, each best first; `type` narrows
it to one kind. URLs are absolute (`WAGTAILAPI_BASE_URL`), like the rest of
the v2 API.
"""

from django.conf import settings
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.utils import get_full_url

from films.models import Person
from films.renditions import CARD_POSTER_FILTER
from reelvision.api_errors import ErrorSerializer
from reelvision.api_pagination import ListingMetaSerializer, offset_and_limit, paging_parameters

from .site_search import MAX_QUERY_LENGTH, PER_PAGE, PERSON_PHOTO_FILTER, ResultKind, clean_query, load_hits, run_search


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=format_lazy(
            _(
                "What to look for. Any word may be the start of a longer word (Korean compounds included); "
                "longer queries are cut to {max} characters."
            ),
            max=MAX_QUERY_LENGTH,
        ),
    )
    type = serializers.ChoiceField(
        choices=ResultKind.choices, required=False, help_text=_("Only this kind of result. All kinds when absent.")
    )


class GenreResultSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ResultKind.choices)
    id = serializers.IntegerField(help_text=_("Page id for films and projects, person id for people."))
    title = serializers.CharField(help_text=_("Korean title, or the person's name."))
    title_en = serializers.CharField(allow_blank=True, help_text=_("English title or name; empty when there is none."))
    url = serializers.URLField(help_text=_("The public page."))
    poster = serializers.URLField(
        allow_null=True, help_text=_("Poster (360×540 WebP) or the person's photo (160×160 WebP); null when none.")
    )
    year = serializers.IntegerField(allow_null=True, help_text=_("Graduation year; null for people."))
    genres = GenreResultSerializer(many=True)
    logline = serializers.CharField(allow_blank=True)
    logline_en = serializers.CharField(allow_blank=True)


class SearchCountsSerializer(serializers.Serializer):
    film = serializers.IntegerField()
    project = serializers.IntegerField()
    person = serializers.IntegerField()


class SearchMetaSerializer(ListingMetaSerializer):
    query = serializers.CharField(allow_blank=True, help_text=_("The query as searched (trimmed and shortened)."))
    type = serializers.ChoiceField(choices=ResultKind.choices, allow_null=True)
    counts = SearchCountsSerializer(help_text=_("Results per kind, whatever `type` says."))


class SearchResponseSerializer(serializers.Serializer):
    meta = SearchMetaSerializer()
    items = SearchResultSerializer(many=True)


DEFAULT_LIMIT = PER_PAGE
MAX_LIMIT = settings.WAGTAILAPI_LIMIT_MAX


def _rendition_url(request, image, filter_spec: str) -> str | None:
    if image is None:
        return None
    return get_full_url(request, image.get_rendition(filter_spec).url)


def serialize_hit(request, kind: str, obj) -> dict:
    """One result as the API returns it."""
    if isinstance(obj, Person):
        return {
            "type": kind,
            "id": obj.pk,
            "title": obj.name,
            "title_en": obj.name_en,
            "url": get_full_url(request, obj.get_absolute_url()),
            "poster": _rendition_url(request, obj.photo, PERSON_PHOTO_FILTER),
            "year": None,
            "genres": [],
            "logline": "",
            "logline_en": "",
        }
    return {
        "type": kind,
        "id": obj.pk,
        "title": obj.title,
        "title_en": obj.title_en,
        "url": get_full_url(request, obj.get_url(request)),
        "poster": _rendition_url(request, obj.poster, CARD_POSTER_FILTER),
        "year": obj.graduation_year,
        "genres": [{"slug": g.slug, "name": g.name, "name_en": g.name_en} for g in obj.genres.all()],
        "logline": obj.logline,
        "logline_en": obj.logline_en,
    }


class SearchAPIView(APIView):
    """Search films, funding projects and people."""

    permission_classes = [AllowAny]
    authentication_classes = ()  # public, the same for everyone

    @extend_schema(
        operation_id="search",
        summary="Search films, funding projects and people",
        description=(
            "Titles (Korean, English, original) and names match by word prefix, so a part of a Korean "
            "compound word finds it (`졸업` finds `졸업작품`). Whole words also match loglines, synopses, "
            "genres and credited people. A blank query returns no results. Drafts and private pages never "
            "appear."
        ),
        parameters=[SearchParamsSerializer, *paging_parameters(DEFAULT_LIMIT, MAX_LIMIT)],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="An unknown `type`, or a bad `offset` or `limit`."),
        },
        examples=[
            OpenApiExample(
                "A Korean prefix",
                value={
                    "meta": {
                        "total_count": 1,
                        "query": "졸업",
                        "type": None,
                        "counts": {"film": 1, "project": 0, "person": 0},
                    },
                    "items": [
                        {
                            "type": "film",
                            "id": 12,
                            "title": "졸업작품 오디세이",
                            "title_en": "Graduation Odyssey",
                            "url": "https://reelvision.example/films/graduation-odyssey/",
                            "poster": "https://reelvision.example/media/images/poster.fill-360x540.format-webp.webp",
                            "year": 2024,
                            "genres": [{"slug": "drama", "name": "드라마", "name_en": "Drama"}],
                            "logline": "바다로 떠나는 마지막 여름",
                            "logline_en": "One last summer, out to sea",
                        }
                    ],
                },
                response_only=True,
            )
        ],
        tags=["search"],
    )
    def get(self, request):
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        offset, limit = offset_and_limit(request, DEFAULT_LIMIT, MAX_LIMIT)
        query = clean_query(params.validated_data["q"])
        kind = params.validated_data.get("type")

        outcome = run_search(query) if query else None
        counts = outcome.counts if outcome else dict.fromkeys(ResultKind.values, 0)
        hits = outcome.hits(kind) if outcome else []
        results = [serialize_hit(request, k, obj) for k, obj in load_hits(hits[offset : offset + limit])]
        data = {
            "meta": {"total_count": len(hits), "query": query, "type": kind, "counts": counts},
            "items": results,
        }
        return Response(SearchResponseSerializer(data).data)


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("search/", SearchAPIView.as_view(), name="api_search"),
]
