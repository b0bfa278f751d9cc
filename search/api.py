"""`GET /api/v2/search/`: the search page as JSON, for the apps.

Same matching as the page (`search.site_search`), one flat list, sliced with offset and limit
like every list in the API (`reelvision.api_pagination`):
films, then funding projects, then people, each best first; `type` narrows
it to one kind. URLs are absolute (`WAGTAILAPI_BASE_URL`), like the rest of
the v2 API.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.utils import get_full_url

from films.models import FilmBasePage, FilmIndexPage, Genre, Person
from films.renditions import CARD_POSTER_FILTER
from reelvision.api_errors import ErrorSerializer
from reelvision.api_pagination import ListingMetaSerializer, offset_and_limit, paging_parameters

from .models import MatchField
from .site_search import (
    MAX_QUERY_LENGTH,
    PER_PAGE,
    PERSON_PHOTO_FILTER,
    Match,
    ResultKind,
    clean_query,
    load_hits,
    run_search,
    watch_url,
)
from .suggest import MAX_QUERY as MAX_SUGGEST_QUERY
from .suggest import MAX_SUGGESTIONS, suggest


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


class MatchSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=MatchField.choices,
        help_text=_("Where the query matched: a title, a credited person, a genre, the synopsis, a line of dialogue…"),
    )
    text = serializers.CharField(help_text=_("The text that matched: the title, the sentence, the line."))
    language = serializers.CharField(allow_blank=True, help_text=_("Its language, e.g. ko or en."))
    start = serializers.FloatField(
        required=False,
        help_text=_(
            "Dialogue only: seconds into the film where the line is spoken; the watch page opens there "
            "with `?t=` and these seconds."
        ),
    )
    watch_url = serializers.URLField(required=False, help_text=_("Dialogue only: the watch page at that moment."))


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
    matches = MatchSerializer(many=True, help_text=_("What matched, best first (empty for a match inside a word)."))


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


def serialize_match(request, obj, match: Match) -> dict:
    data = {"kind": match.kind, "text": match.text, "language": match.language}
    if match.start is not None:
        data["start"] = match.start
        data["watch_url"] = get_full_url(request, watch_url(obj, match.start))
    return data


def serialize_hit(request, kind: str, obj, matches=()) -> dict:
    """One result as the API returns it."""
    found = [serialize_match(request, obj, match) for match in matches]
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
            "matches": found,
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
        "matches": found,
    }


class SearchAPIView(APIView):
    """Search films, funding projects and people."""

    permission_classes = [AllowAny]
    authentication_classes = ()  # public, the same for everyone

    @extend_schema(
        operation_id="search",
        summary="Search films, funding projects and people",
        description=(
            "The query is analysed into word roots (Korean with a morphological analyser), like everything "
            "indexed: spacing, particles and endings do not matter (`겨울정류장` finds `겨울 정류장`, "
            "`기다리다` finds a line `기다리는 중이에요`), and the beginning of a word finds it (`다큐` finds "
            "`다큐멘터리`). Titles, credited people, genres, loglines, synopses, production updates and the "
            "films' caption lines are searched; each hit lists what matched in `matches`, a line of dialogue "
            "with the second it is spoken (`start`) and a `watch_url` that opens the film there. A blank "
            "query returns no results. Drafts and private pages never appear."
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
                            "matches": [
                                {"kind": "title", "text": "졸업작품 오디세이", "language": "ko"},
                                {
                                    "kind": "dialogue",
                                    "text": "졸업하면 바다부터 가자.",
                                    "language": "ko",
                                    "start": 19.0,
                                    "watch_url": "https://reelvision.example/watch/graduation-odyssey/?t=19",
                                },
                            ],
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
        results = [
            serialize_hit(request, k, obj, outcome.matches.get((k, obj.pk), ()))
            for k, obj in load_hits(hits[offset : offset + limit])
        ]
        data = {
            "meta": {"total_count": len(hits), "query": query, "type": kind, "counts": counts},
            "items": results,
        }
        return Response(SearchResponseSerializer(data).data)


class SuggestParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=format_lazy(
            _("What has been typed so far; longer input is cut to {max} characters."), max=MAX_SUGGEST_QUERY
        ),
    )


class SuggestionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[*ResultKind.choices, ("genre", _("Genre"))])
    id = serializers.IntegerField(
        allow_null=True, help_text=_("Page id for films and projects, person id for people; null for genres.")
    )
    text = serializers.CharField(help_text=_("The title, name or genre, as written (Korean or English)."))
    url = serializers.URLField(help_text=_("Its page; for a genre, the catalogue filtered by it."))


class SuggestResponseSerializer(serializers.Serializer):
    items = SuggestionSerializer(many=True)


def _suggestion_urls(request, suggestions) -> dict:
    """(type, id or text) → absolute URL, with one query per type."""
    urls = {}
    page_ids = [s.id for s in suggestions if s.kind in (ResultKind.FILM, ResultKind.PROJECT)]
    for page in FilmBasePage.objects.filter(pk__in=page_ids):
        urls[("page", page.pk)] = page.get_url(request)
    person_ids = [s.id for s in suggestions if s.kind == ResultKind.PERSON]
    for person in Person.objects.filter(pk__in=person_ids):
        urls[("person", person.pk)] = person.get_absolute_url()
    names = [s.text for s in suggestions if s.kind == "genre"]
    if names:
        catalogue = FilmIndexPage.objects.live().public().first()
        base = catalogue.get_url(request) if catalogue else reverse("search:search")
        for genre in Genre.objects.filter(Q(name__in=names) | Q(name_en__in=names)):
            for name in (genre.name, genre.name_en):
                urls[("genre", name)] = f"{base}?genre={genre.slug}"
    return urls


def serialize_suggestions(request, suggestions) -> list[dict]:
    urls = _suggestion_urls(request, suggestions)
    items = []
    for suggestion in suggestions:
        if suggestion.kind == "genre":
            url = urls.get(("genre", suggestion.text))
        elif suggestion.kind == ResultKind.PERSON:
            url = urls.get(("person", suggestion.id))
        else:
            url = urls.get(("page", suggestion.id))
        if url:
            items.append(
                {
                    "type": suggestion.kind,
                    "id": suggestion.id,
                    "text": suggestion.text,
                    "url": get_full_url(request, url),
                }
            )
    return items


class SuggestAPIView(APIView):
    """Autocomplete for the search box."""

    permission_classes = [AllowAny]
    authentication_classes = ()

    @extend_schema(
        operation_id="search_suggest",
        summary="Suggestions as the visitor types",
        description=format_lazy(
            "Up to {max} titles, people and genres that start like `q` (or one of their words does), "
            "forgiving a typo (two in longer input), counted in Hangul letters so a syllable still being "
            "typed counts (`겨우` suggests `겨울 정류장`). Only what a search would find is suggested.",
            max=MAX_SUGGESTIONS,
        ),
        parameters=[SuggestParamsSerializer],
        responses={200: SuggestResponseSerializer},
        examples=[
            OpenApiExample(
                "A typo",
                value={
                    "items": [
                        {
                            "type": "film",
                            "id": 12,
                            "text": "겨울 정류장",
                            "url": "https://reelvision.example/films/winter-stop/",
                        }
                    ]
                },
                response_only=True,
            )
        ],
        tags=["search"],
    )
    def get(self, request):
        params = SuggestParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        suggestions = suggest(params.validated_data["q"])
        return Response(SuggestResponseSerializer({"items": serialize_suggestions(request, suggestions)}).data)


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("search/", SearchAPIView.as_view(), name="api_search"),
    path("search/suggest/", SuggestAPIView.as_view(), name="api_search_suggest"),
]
