"""A premiere's chat history in the API (this app's routes under /api/v2/).

GET /api/v2/premieres/<id>/chat/?after=<message id>&limit=   the messages after `after`, oldest first

The same messages the chat's WebSocket sends (live/consumers.py), for an app's replay or to catch up
without a socket; deleted messages are left out.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from reelvision.api_errors import BAD_QUERY, NOT_FOUND, InvalidQuery
from reelvision.api_pagination import ListingMetaSerializer, listing_serializer

from . import chat
from .models import Premiere

CHAT_DEFAULT_LIMIT, CHAT_MAX_LIMIT = 100, 500


class ChatAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The member's display name (never their e-mail address).")


class ChatMessageSerializer(serializers.Serializer):
    """One chat message or question."""

    id = serializers.IntegerField(help_text="Increasing within a premiere: pass the last one as `after`.")
    author = ChatAuthorSerializer()
    body = serializers.CharField()
    kind = serializers.ChoiceField(choices=["message", "question"])
    created_at = serializers.DateTimeField()
    offset = serializers.IntegerField(
        help_text="Seconds from the stream's start (its planned start until it went live); negative before it."
    )
    pinned = serializers.BooleanField(help_text="Pinned by the page's owner or staff.")
    answered = serializers.BooleanField(help_text="A question the director has answered.")


class ChatMetaSerializer(ListingMetaSerializer):
    total_count = serializers.IntegerField(help_text="Messages after `after`, across all answers.")


ChatListingSerializer = listing_serializer("ChatMessage", ChatMessageSerializer, ChatMetaSerializer)


def whole_number_parameter(request, name: str, default: int) -> int:
    value = request.GET.get(name, str(default))
    if not value.isdigit():
        raise InvalidQuery(_("%(name)s must be a whole number.") % {"name": name})
    return int(value)


class PremiereChatAPIView(APIView):
    """A premiere's chat, as saved."""

    permission_classes = [AllowAny]
    authentication_classes = ()  # public, the same for everyone

    @extend_schema(
        operation_id="premiere_chat",
        summary="A premiere's chat history",
        description=(
            "The chat of a premiere on a published page, oldest first: the messages with an id above `after` "
            "(all of them by default), at most `limit` per answer. Ask again with the last id as `after` for "
            "more; an empty `items` means there is nothing newer. Live, the chat's WebSocket "
            "(`/ws/live/<id>/chat/?after=<id>`) sends the same messages as they are written."
        ),
        parameters=[
            OpenApiParameter("after", int, description="Only messages with a larger id (default 0: from the start)."),
            OpenApiParameter(
                "limit",
                int,
                description=f"Messages per answer (default {CHAT_DEFAULT_LIMIT}, at most {CHAT_MAX_LIMIT}).",
            ),
        ],
        responses={200: ChatListingSerializer, 400: BAD_QUERY, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "A question, answered",
                value={
                    "meta": {"total_count": 1},
                    "items": [
                        {
                            "id": 5012,
                            "author": {"id": 77, "name": "민지"},
                            "body": "마지막 장면은 어디서 찍으셨나요?",
                            "kind": "question",
                            "created_at": "2026-12-12T20:41:07+09:00",
                            "offset": 2467,
                            "pinned": True,
                            "answered": True,
                        }
                    ],
                },
                response_only=True,
            )
        ],
        tags=["premieres"],
    )
    def get(self, request, premiere_id: int):
        after = whole_number_parameter(request, "after", 0)
        limit = whole_number_parameter(request, "limit", CHAT_DEFAULT_LIMIT)
        if limit > CHAT_MAX_LIMIT:
            raise InvalidQuery(_("limit cannot be higher than %(max)s.") % {"max": CHAT_MAX_LIMIT})
        premiere = get_object_or_404(Premiere, pk=premiere_id, page__live=True)
        messages = chat.shown_messages(premiere).filter(pk__gt=after)
        start = chat.stream_start(premiere)
        body = {
            "meta": {"total_count": messages.count()},
            "items": [chat.message_data(message, start) for message in messages.order_by("pk")[:limit]],
        }
        return Response(ChatListingSerializer(body).data)


urlpatterns = [
    path("premieres/<int:premiere_id>/chat/", PremiereChatAPIView.as_view(), name="premiere_chat"),
]
