"""Analytics for apps: the audience figures a creator sees in the admin, and playback session reports.

    GET  /api/v2/me/analytics/films/            every film the requester may see, with totals
    GET  /api/v2/me/analytics/films/<id>/       one film: totals, days, retention, sources, devices
    POST /api/v2/playback-sessions/             a player's report (the app's player, with the
                                                `session_token` of its playback configuration)

Who sees what is `figures.visible_films`; a film the requester may not see is a 404, as if it did
not exist.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from reelvision.api import MemberAPIView, PersonalAPIView
from reelvision.api_errors import BAD_QUERY, NOT_AUTHENTICATED, NOT_FOUND, ErrorSerializer, InvalidQuery, error_response

from . import figures
from .models import Device, Source
from .ranges import RETENTION_POINTS
from .sessions import SessionRefused, record

PERIOD_PARAMETERS = [
    OpenApiParameter("from", str, description="First day, YYYY-MM-DD (default: 27 days before `to`)."),
    OpenApiParameter("to", str, description="Last day, YYYY-MM-DD, included (default: today)."),
]


class FiguresSerializer(serializers.Serializer):
    plays = serializers.IntegerField(help_text="Plays of the film (not its trailer) with at least a second watched.")
    viewers = serializers.IntegerField(help_text="Each day's unique viewers, added up over the days.")
    watch_seconds = serializers.FloatField()
    watch_hours = serializers.FloatField()
    average_share = serializers.FloatField(help_text="Mean share of the film a play watched, 0–1.")
    completions = serializers.IntegerField(help_text="Plays that reached the last two seconds.")
    trailer_plays = serializers.IntegerField()
    page_views = serializers.IntegerField()
    conversion = serializers.FloatField(allow_null=True, help_text="Plays per page view; null without page views.")
    purchases = serializers.IntegerField()
    purchase_amount = serializers.IntegerField(help_text="KRW, less refunds.")
    donations = serializers.IntegerField()
    donation_amount = serializers.IntegerField(help_text="KRW, less refunds.")


class FilmFiguresSerializer(FiguresSerializer):
    film_id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the request's language.")


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="Included.")


class AudienceSerializer(serializers.Serializer):
    period = PeriodSerializer()
    everything = serializers.BooleanField(help_text="True for staff: every film, and `totals` is the department's.")
    films = FilmFiguresSerializer(many=True, help_text="Films with anything in the period, most played first.")
    totals = FiguresSerializer()


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    plays = serializers.IntegerField()
    viewers = serializers.IntegerField()
    watch_seconds = serializers.FloatField()
    completions = serializers.IntegerField()
    trailer_plays = serializers.IntegerField()
    page_views = serializers.IntegerField()
    purchases = serializers.IntegerField()
    purchase_amount = serializers.IntegerField()
    donations = serializers.IntegerField()
    donation_amount = serializers.IntegerField()


class FilmAudienceSerializer(serializers.Serializer):
    film_id = serializers.IntegerField()
    title = serializers.CharField()
    period = PeriodSerializer()
    totals = FiguresSerializer()
    days = DaySerializer(many=True, help_text="Every day of the period, oldest first; days without figures as zeros.")
    retention = serializers.ListField(
        child=serializers.FloatField(),
        help_text=f"{RETENTION_POINTS} shares (0–1): for each point of the film, the share of plays that watched it.",
    )
    sources = serializers.DictField(
        child=serializers.IntegerField(), help_text="Plays by where they came from: " + ", ".join(Source.values)
    )
    devices = serializers.DictField(child=serializers.IntegerField(), help_text="Plays by " + ", ".join(Device.values))


def _period(request) -> figures.Period:
    try:
        return figures.Period.from_params(request.query_params)
    except figures.BadPeriod as error:
        raise InvalidQuery(str(error)) from None


class AudienceAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_analytics_films",
        summary="My audience",
        description="Plays, viewers, watch time, completions, page views, purchases and donations of the films "
        "and projects the member owns (staff: every one) over a period, with totals.",
        parameters=PERIOD_PARAMETERS,
        responses={200: AudienceSerializer, 400: BAD_QUERY, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        period = _period(request)
        table = figures.film_table(figures.visible_films(request.user), period)
        data = {
            "period": {"start": period.start, "end": period.end},
            "everything": figures.sees_everything(request.user),
            "films": table,
            "totals": figures.totals(table),
        }
        return Response(AudienceSerializer(data).data)


class FilmAudienceAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_analytics_film",
        summary="One film's audience",
        description="A film's figures over a period: totals, every day, the retention curve, sources and devices.",
        parameters=PERIOD_PARAMETERS,
        responses={200: FilmAudienceSerializer, 400: BAD_QUERY, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
        tags=["me"],
    )
    def get(self, request, film_id: int):
        film = figures.visible_films(request.user).filter(pk=film_id).specific().first()
        if film is None:
            raise Http404
        period = _period(request)
        table = figures.film_table(figures.visible_films(request.user).filter(pk=film.pk), period)
        data = {
            "film_id": film.pk,
            "title": film.display_title,
            "period": {"start": period.start, "end": period.end},
            "totals": figures.totals(table),
            "days": figures.daily(film, period),
            **figures.breakdown(film, period),
        }
        return Response(FilmAudienceSerializer(data).data)


class SessionReportSerializer(serializers.Serializer):
    session = serializers.CharField(help_text="The player's random id for this play (8–64 letters, digits, -).")
    token = serializers.CharField(help_text="`session_token` from the film's playback configuration.")
    ranges = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        help_text="[start, end) pairs of seconds played since the last report (at most 50).",
    )
    source = serializers.ChoiceField(choices=Source.values, required=False)
    viewer = serializers.CharField(required=False, help_text="Anonymous players: their random viewer id.")


class SessionRecordedSerializer(serializers.Serializer):
    recorded = serializers.BooleanField(help_text="False when the report was ignored (a bot's).")


class PlaybackSessionAPIView(PersonalAPIView):
    permission_classes = [AllowAny]  # anonymous players report too; a member's token binds the report

    @extend_schema(
        operation_id="playback_session_report",
        summary="Report what a play watched",
        description="Send every ~10 seconds and when the player stops: the ranges played since the last report. "
        "Reports of one play are merged, so repeating a range does no harm.",
        request=SessionReportSerializer,
        responses={
            200: SessionRecordedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not a report: no session id, no token, not JSON."),
            403: OpenApiResponse(ErrorSerializer, description="A token that is not the requester's, or expired."),
            409: OpenApiResponse(ErrorSerializer, description="The session id belongs to another play."),
        },
        tags=["playback"],
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return error_response(_("Send JSON."), 400)
        try:
            recorded = record(request, request.data)
        except SessionRefused as refused:
            return error_response(refused.message, refused.status)
        return Response(SessionRecordedSerializer({"recorded": recorded}).data)


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("me/analytics/films/", AudienceAPIView.as_view(), name="api_me_analytics_films"),
    path("me/analytics/films/<int:film_id>/", FilmAudienceAPIView.as_view(), name="api_me_analytics_film"),
    path("playback-sessions/", PlaybackSessionAPIView.as_view(), name="api_playback_sessions"),
]
