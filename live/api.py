"""Premieres for apps: what the site's pages show, and "remind me".

GET    /api/v2/premieres/                        upcoming, live and past premieres (when, page_id; offset, limit)
GET    /api/v2/premieres/<premiere_id>/          one premiere
POST   /api/v2/premieres/<premiere_id>/reminder/ remind me (members)
DELETE /api/v2/premieres/<premiere_id>/reminder/ no longer remind me

Only premieres on live, public pages, never cancelled ones; never the stream key. `reminded` says
whether the requester (the session or an app's JWT) asked for a reminder, so answers are never
stored by a cache. (The page is `page_id`, not `page`: across the API `page` would read as
pagination, which is offset and limit everywhere.)
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.api.v2.utils import get_full_url

from films.models import FilmBasePage
from reelvision.api import MemberAPIView, PersonalAPIView
from reelvision.api_errors import BAD_QUERY, BAD_TOKEN, NOT_AUTHENTICATED, NOT_FOUND, InvalidQuery
from reelvision.api_pagination import listing_serializer, offset_and_limit, paging_parameters
from reelvision.bad_requests import MAX_API_INTEGER

from . import access, reminders, schedule, tickets
from .models import Premiere, PremiereStatus

API_DEFAULT_LIMIT, API_MAX_LIMIT = 20, 50
WHEN = {"upcoming": schedule.upcoming, "live": schedule.live_now, "past": schedule.past}


class PremierePageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text="The film or project page on the site.")


class PremiereSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    page = PremierePageSerializer(help_text="The film or project the premiere is on.")
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    status = serializers.ChoiceField(
        choices=[PremiereStatus.SCHEDULED, PremiereStatus.LIVE, PremiereStatus.ENDED],
        help_text="scheduled (upcoming), live (streaming now) or ended.",
    )
    ticket_price = serializers.IntegerField(help_text="KRW; 0 for a free premiere.")
    has_qa = serializers.BooleanField(help_text="The director answers questions in the chat.")
    replay_video_id = serializers.IntegerField(
        allow_null=True, help_text="The recording once it is ready to play; else null."
    )
    watch_url = serializers.URLField(
        allow_null=True, help_text="The premiere's watch page on the site (the stream, then the replay)."
    )
    live_url = serializers.URLField(
        allow_null=True,
        help_text="While live: the playback endpoint that gives the requester the stream's signed URLs; else null.",
    )
    reminded = serializers.BooleanField(
        allow_null=True, help_text="Whether the requester asked to be reminded; null without a token or session."
    )
    can_watch = serializers.BooleanField(
        help_text=(
            "Whether the requester may watch the stream, its chat and the replay: a free premiere, or a ticketed one "
            "with a ticket (its film's creator and staff too)."
        )
    )
    ticket_url = serializers.URLField(
        allow_null=True,
        help_text="A ticketed premiere's checkout on the site (for members who have no ticket); null when free.",
    )


class ReminderSerializer(serializers.Serializer):
    reminded = serializers.BooleanField()


PremiereListingSerializer = listing_serializer("Premiere", PremiereSerializer)


def premiere_item(request, premiere: Premiere, reminded: set[int] | None, watchable: set[int]) -> dict:
    page = premiere.page
    live = premiere.status == PremiereStatus.LIVE
    return {
        "id": premiere.pk,
        "page": {
            "id": page.pk,
            "title": page.title,
            "title_en": page.title_en,
            "url": get_full_url(request, page.url or "/"),
        },
        "title": premiere.title,
        "starts_at": premiere.starts_at,
        "status": premiere.status,
        "ticket_price": premiere.ticket_price,
        "has_qa": premiere.has_qa,
        "replay_video_id": premiere.replay_id if schedule.replay_ready(premiere) else None,
        "watch_url": get_full_url(request, reverse("live:watch", args=[premiere.pk])),
        "live_url": get_full_url(request, reverse("api_playback", args=[page.pk])) if live else None,
        "reminded": None if reminded is None else premiere.pk in reminded,
        "can_watch": premiere.pk in watchable,
        "ticket_url": (
            get_full_url(request, reverse("donations:buy_ticket", args=[tickets.item(premiere)]))
            if premiere.ticket_price
            else None
        ),
    }


def _reminded(request, premieres) -> set[int] | None:
    if not request.user.is_authenticated:
        return None
    return reminders.reminded_premiere_ids(request.user, [premiere.pk for premiere in premieres])


class PremiereQuerySerializer(serializers.Serializer):
    when = serializers.ChoiceField(choices=list(WHEN), required=False)
    page_id = serializers.IntegerField(min_value=1, max_value=MAX_API_INTEGER, required=False)


class PremiereListAPIView(PersonalAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="premieres",
        summary="Premieres",
        description=(
            "Premieres on live film and project pages, never cancelled ones. `when=upcoming` (soonest first), "
            "`live` (streaming now) or `past` (latest first); without `when`, all of them by start time."
        ),
        parameters=[
            OpenApiParameter("when", str, enum=list(WHEN), description="upcoming, live or past."),
            OpenApiParameter("page_id", int, description="Only the premieres of this film or project page."),
            *paging_parameters(API_DEFAULT_LIMIT, API_MAX_LIMIT),
        ],
        responses={200: PremiereListingSerializer, 400: BAD_QUERY, 401: BAD_TOKEN, 404: NOT_FOUND},
        tags=["premieres"],
    )
    def get(self, request):
        asked = PremiereQuerySerializer(data=request.query_params)
        if not asked.is_valid():
            raise InvalidQuery(_("when must be upcoming, live or past, and page_id the id of a film or project page."))
        premieres = schedule.shown()
        if "page_id" in asked.validated_data:
            page = get_object_or_404(FilmBasePage.objects.live().public(), pk=asked.validated_data["page_id"])
            premieres = premieres.filter(page=page)
        if when := asked.validated_data.get("when"):
            premieres = WHEN[when](premieres)
        offset, limit = offset_and_limit(request, API_DEFAULT_LIMIT, API_MAX_LIMIT)
        shown = list(premieres[offset : offset + limit])
        reminded, watchable = _reminded(request, shown), access.watchable(request.user, shown)
        items = [premiere_item(request, premiere, reminded, watchable) for premiere in shown]
        return Response({"meta": {"total_count": premieres.count()}, "items": items})


class PremiereDetailAPIView(PersonalAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="premiere",
        summary="A premiere",
        responses={200: PremiereSerializer, 400: BAD_QUERY, 401: BAD_TOKEN, 404: NOT_FOUND},
        tags=["premieres"],
    )
    def get(self, request, premiere_id: int):
        premiere = get_object_or_404(schedule.shown(), pk=premiere_id)
        reminded, watchable = _reminded(request, [premiere]), access.watchable(request.user, [premiere])
        return Response(premiere_item(request, premiere, reminded, watchable))


class PremiereReminderAPIView(MemberAPIView):
    @extend_schema(
        operation_id="premiere_remind",
        summary="Remind me of a premiere",
        description=(
            "The member is told (on the site and by e-mail, as their notification settings say) shortly before "
            "the premiere starts. Asking again changes nothing; a premiere that has started is refused."
        ),
        request=None,
        responses={200: ReminderSerializer, 400: BAD_QUERY, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
        tags=["premieres"],
    )
    def post(self, request, premiere_id: int):
        premiere = get_object_or_404(schedule.shown(), pk=premiere_id)
        if not reminders.remind(request.user, premiere):
            raise InvalidQuery(_("This premiere has already started."))
        return Response({"reminded": True})

    @extend_schema(
        operation_id="premiere_forget",
        summary="No longer remind me of a premiere",
        request=None,
        responses={200: ReminderSerializer, 400: BAD_QUERY, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
        tags=["premieres"],
    )
    def delete(self, request, premiere_id: int):
        premiere = get_object_or_404(schedule.shown(), pk=premiere_id)
        reminders.forget(request.user, premiere)
        return Response({"reminded": False})


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("premieres/", PremiereListAPIView.as_view(), name="api_premieres"),
    path("premieres/<int:premiere_id>/", PremiereDetailAPIView.as_view(), name="api_premiere"),
    path("premieres/<int:premiere_id>/reminder/", PremiereReminderAPIView.as_view(), name="api_premiere_reminder"),
]
