"""Notifications for apps: the same list, unread count and settings as the site's notification centre.

GET  /api/v2/me/notifications/              newest first, 30 a page, with the unread count
POST /api/v2/me/notifications/read/         {"ids": [...]} or {"all": true}
GET  /api/v2/me/notification-settings/      what the member receives, and how
PUT  /api/v2/me/notification-settings/      change it
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from reelvision.api import MemberAPIView
from reelvision.api_errors import BAD_QUERY, NOT_AUTHENTICATED, ErrorSerializer, InvalidQuery
from reelvision.api_pagination import ListingMetaSerializer, listing_serializer, offset_and_limit, paging_parameters

from . import delivery
from .forms import kinds_for
from .models import EmailFrequency, Kind, Notification, Preferences
from .views import worded

CSRF_403 = OpenApiResponse(ErrorSerializer, description="A session without its CSRF token.")


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="notification.pk")
    kind = serializers.ChoiceField(choices=Kind.choices, source="notification.kind")
    headline = serializers.CharField(help_text="In the request's language.")
    detail = serializers.CharField(allow_blank=True, help_text="More text (a message, a comment, a reason), or ''.")
    url = serializers.CharField(
        source="notification.url", allow_blank=True, help_text="Where it points: a path on the site."
    )
    created_at = serializers.DateTimeField(source="notification.created_at")
    read = serializers.SerializerMethodField()
    params = serializers.DictField(
        source="notification.params",
        help_text="The event's facts (titles, amounts, names) for apps that word it themselves.",
    )

    def get_read(self, item) -> bool:
        return item["notification"].read_at is not None


class NotificationsMetaSerializer(ListingMetaSerializer):
    unread_count = serializers.IntegerField(help_text="All the member's unread notifications (the bell's number).")


NotificationListingSerializer = listing_serializer("Notification", NotificationSerializer, NotificationsMetaSerializer)
API_DEFAULT_LIMIT, API_MAX_LIMIT = 30, 100


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=500)
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if not data.get("all") and not data.get("ids"):
            raise ValidationError(_("Send the ids to mark read, or all: true."))
        return data


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are read now (others' ids count 0).")
    unread_count = serializers.IntegerField()


class NotificationsAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_notifications",
        summary="My notifications",
        description="Newest first, worded in the request's language, with the unread count.",
        parameters=[
            OpenApiParameter("unread", bool, description="true: only the unread ones."),
            *paging_parameters(API_DEFAULT_LIMIT, API_MAX_LIMIT),
        ],
        responses={200: NotificationListingSerializer, 400: BAD_QUERY, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        notifications = Notification.objects.filter(recipient=request.user)
        unread = request.query_params.get("unread", "")
        if unread not in ("", "true", "false", "1", "0"):
            raise InvalidQuery(_("unread: true or false."))
        if unread in ("true", "1"):
            notifications = notifications.filter(read_at__isnull=True)
        offset, limit = offset_and_limit(request, API_DEFAULT_LIMIT, API_MAX_LIMIT)
        body = {
            "meta": {"total_count": notifications.count(), "unread_count": delivery.unread_count(request.user)},
            "items": NotificationSerializer(worded(notifications[offset : offset + limit]), many=True).data,
        }
        return Response(body)


class MarkReadAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_notifications_read",
        summary="Mark notifications read",
        description="Mark the given notifications (ids of others' are ignored), or all, read.",
        request=MarkReadSerializer,
        responses={
            200: MarkedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Neither ids nor all: `code` is `invalid`."),
            401: NOT_AUTHENTICATED,
            403: CSRF_403,
        },
        tags=["me"],
    )
    def post(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = None if body.validated_data.get("all") else body.validated_data["ids"]
        marked = delivery.mark_read(request.user, ids)
        return Response({"marked": marked, "unread_count": delivery.unread_count(request.user)})


class KindSettingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    label = serializers.CharField(read_only=True, help_text="In the request's language.")
    site = serializers.BooleanField(help_text="Notify me at all.")
    email = serializers.BooleanField(help_text="Also by e-mail (when e-mails are on).")


class SettingsSerializer(serializers.Serializer):
    email = serializers.ChoiceField(choices=EmailFrequency.values, help_text="each, daily (one digest) or never.")
    kinds = KindSettingSerializer(many=True, help_text="The kinds this member can receive.")


def _settings(user, preferences: Preferences) -> dict:
    return {
        "email": preferences.email,
        "kinds": [
            {
                "kind": kind.value,
                "label": str(kind.label),
                "site": kind.value not in preferences.muted,
                "email": kind.value not in preferences.no_email,
            }
            for kind in kinds_for(user)
        ],
    }


class NotificationSettingsAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_notification_settings",
        summary="My notification settings",
        responses={200: SettingsSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        preferences = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
        return Response(_settings(request.user, preferences))

    @extend_schema(
        operation_id="me_notification_settings_update",
        summary="Change my notification settings",
        description="Kinds left out keep their setting; kinds this member cannot receive are a 400.",
        request=SettingsSerializer,
        responses={
            200: SettingsSerializer,
            400: OpenApiResponse(ErrorSerializer, description="An unknown value: `code` is `invalid`."),
            401: NOT_AUTHENTICATED,
            403: CSRF_403,
        },
        tags=["me"],
    )
    def put(self, request):
        body = SettingsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        allowed = {kind.value for kind in kinds_for(request.user)}
        for row in body.validated_data["kinds"]:
            if row["kind"] not in allowed:
                raise ValidationError({"kinds": [f"{row['kind']}: not a kind this member receives."]})
        preferences = Preferences.objects.get_or_create(user=request.user)[0]
        muted, no_email = set(preferences.muted), set(preferences.no_email)
        for row in body.validated_data["kinds"]:
            (muted.discard if row["site"] else muted.add)(row["kind"])
            (no_email.discard if row["email"] else no_email.add)(row["kind"])
        preferences.email = body.validated_data["email"]
        preferences.muted, preferences.no_email = sorted(muted), sorted(no_email)
        preferences.save()
        return Response(_settings(request.user, preferences))


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("me/notifications/", NotificationsAPIView.as_view(), name="api_me_notifications"),
    path("me/notifications/read/", MarkReadAPIView.as_view(), name="api_me_notifications_read"),
    path("me/notification-settings/", NotificationSettingsAPIView.as_view(), name="api_me_notification_settings"),
]
