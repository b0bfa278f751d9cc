"""`/api/v2/me/genres/` and `/api/v2/me/recommendations/`: the genre picker and the home page's
rows for apps.

Members only, like the rest of `/api/v2/me/` (`members.api`): an app's JWT access token or the
site's session (with DRF's CSRF check on PUT); anonymous requests get a JSON 401. Answers are
about the requester and never cached. The rows are the site's (`rows.rows_for`), so an app and the
home page show the same films for the same reasons.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from wagtail.api.v2.utils import get_full_url

from films.renditions import CARD_POSTER_FILTER
from reelvision.api import MemberAPIView
from reelvision.api_errors import NOT_AUTHENTICATED, ErrorSerializer

from .picked_genres import UnknownGenres, picked_genres_of, set_picked_genres
from .rows import ROW_KEYS, rows_for


class GenreRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="/api/v2/genres/<id>/ has the genre.")
    name = serializers.CharField(help_text="Korean.")
    name_en = serializers.CharField(allow_blank=True)
    slug = serializers.CharField(help_text="The catalogue's `genre=` filter.")


class PickedGenresSerializer(serializers.Serializer):
    genres = GenreRefSerializer(many=True, help_text="In the catalogue's order.")


class PickedGenresUpdateSerializer(serializers.Serializer):
    genre_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        help_text=(
            "Every genre the member likes (ids from /api/v2/genres/); replaces the picks. Any number: the "
            "site asks for at least three, an app may ask differently; an empty list clears them."
        ),
    )

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return attrs


def genre_data(genre) -> dict:
    return {"id": genre.pk, "name": genre.name, "name_en": genre.name_en, "slug": genre.slug}


class PickedGenresAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_genres",
        summary="The genres I picked",
        description="The genres the member said they like (at sign-up, on my page or through this API).",
        responses={200: PickedGenresSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        return Response({"genres": [genre_data(genre) for genre in picked_genres_of(request.user)]})

    @extend_schema(
        operation_id="me_genres_update",
        summary="Pick my genres",
        description=(
            "Replace the member's picked genres. New members' first recommendations come from them. Any number "
            "of genres is taken (the site's page asks for three); unknown ids are a 400 and change nothing. With "
            "a session, send the CSRF token (X-CSRFToken)."
        ),
        request=PickedGenresUpdateSerializer,
        responses={
            200: PickedGenresSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Not a list of ids, or ids no genre has: `code` is `invalid`."
            ),
            401: NOT_AUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="A session without its CSRF token."),
        },
        tags=["me"],
    )
    def put(self, request):
        body = PickedGenresUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            genres = set_picked_genres(request.user, body.validated_data["genre_ids"])
        except UnknownGenres as refused:
            ids = ", ".join(str(pk) for pk in refused.ids)
            raise ValidationError({"genre_ids": [_("No genre has the id %(ids)s.") % {"ids": ids}]}) from None
        return Response({"genres": [genre_data(genre) for genre in genres]})


# --- rows -----------------------------------------------------------------------------------------


class ResumePointSerializer(serializers.Serializer):
    video_id = serializers.IntegerField()
    position = serializers.FloatField(help_text="Seconds: where to resume.")
    duration = serializers.FloatField(help_text="Seconds.")
    percent = serializers.IntegerField(help_text="0–100.")


class RecommendedFilmSerializer(serializers.Serializer):
    """A film in a row: what its card shows, and where to resume for `continue_watching`."""

    id = serializers.IntegerField(help_text="Page id.")
    detail_url = serializers.URLField(help_text="/api/v2/pages/<id>/: the film's details.")
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    slug = serializers.CharField()
    price = serializers.IntegerField(help_text="KRW; 0 is free.")
    catalogue_status = serializers.CharField(help_text="free, paid, coming_soon or funding.")
    poster = serializers.URLField(allow_null=True, help_text="360×540 WebP; null without a poster.")
    genres = GenreRefSerializer(many=True)
    html_url = serializers.URLField(allow_null=True, help_text="The film's page on the site.")
    playback_url = serializers.URLField(help_text="GET: signed stream URLs for the requester.")
    resume = ResumePointSerializer(allow_null=True, help_text="Only in `continue_watching`: where the member stopped.")


class ReasonFilmSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the request's language.")


class RecommendationRowSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=ROW_KEYS, help_text="Which kind of row.")
    title = serializers.CharField(help_text="The row's heading in the request's language, as the home page shows it.")
    reason_film = ReasonFilmSerializer(allow_null=True, help_text="`because_watched`: the film the member watched.")
    reason_genre = GenreRefSerializer(allow_null=True)
    films = RecommendedFilmSerializer(many=True)


class RecommendationsSerializer(serializers.Serializer):
    rows = RecommendationRowSerializer(many=True, help_text="In the home page's order; empty rows are left out.")


def card_data(request, film) -> dict:
    url = film.get_url(request)
    resume = getattr(film, "resume", None)
    return {
        "id": film.pk,
        "detail_url": get_full_url(request, reverse("wagtailapi:pages:detail", args=[film.pk])),
        "title": film.title,
        "title_en": film.title_en,
        "slug": film.slug,
        "price": film.price,
        "catalogue_status": film.catalogue_status,
        "poster": get_full_url(request, film.poster.get_rendition(CARD_POSTER_FILTER).url) if film.poster else None,
        "genres": [genre_data(genre) for genre in film.genres.all()],
        "html_url": get_full_url(request, url) if url else None,
        "playback_url": get_full_url(request, reverse("api_playback", args=[film.pk])),
        "resume": (
            {
                "video_id": resume.video_id,
                "position": resume.position,
                "duration": resume.duration,
                "percent": resume.percent,
            }
            if resume
            else None
        ),
    }


class RecommendationsAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_recommendations",
        summary="My recommendations",
        description=(
            "The home page's rows for the member, each with its reason: continue watching (with where to resume), "
            "because you watched a film, recommended for you, new in your genres, popular this week. Films they own "
            "or finished are never recommended. Recomputed every hour or so; a change of genres shows at once."
        ),
        responses={200: RecommendationsSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        rows = []
        for row in rows_for(request.user):
            rows.append(
                {
                    "key": row.key,
                    "title": row.title,
                    "reason_film": {"id": row.reason_film.pk, "title": row.reason_film.display_title}
                    if row.reason_film
                    else None,
                    "reason_genre": genre_data(row.reason_genre) if row.reason_genre else None,
                    "films": [card_data(request, film) for film in row.films],
                }
            )
        return Response(RecommendationsSerializer({"rows": rows}).data)


# Under /api/v2/ (reelvision.api_urls), beside members' /me/ routes.
urlpatterns = [
    path("me/genres/", PickedGenresAPIView.as_view(), name="api_me_genres"),
    path("me/recommendations/", RecommendationsAPIView.as_view(), name="api_me_recommendations"),
]
