"""`GET /api/v2/playback/<film_id>/`: what the watch page's player gets, for other front ends.

Session auth (the site) or an app's JWT (allauth headless). The
response carries short-lived signed URLs bound to the requester, so it is never cached.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from films.models import FilmBasePage
from films.video.access import can_watch
from films.video.playback import playback_config


class CaptionSerializer(serializers.Serializer):
    language = serializers.CharField()
    label = serializers.CharField()
    url = serializers.URLField()


class PlaybackSerializer(serializers.Serializer):
    video_id = serializers.IntegerField()
    film_id = serializers.IntegerField()
    is_trailer = serializers.BooleanField()
    master_url = serializers.URLField(help_text="Signed HLS master playlist; expires after VIDEO_PLAYBACK_URL_TTL.")
    poster_url = serializers.CharField(allow_blank=True)
    storyboard_vtt_url = serializers.CharField(allow_blank=True, help_text="WebVTT of `sprite#xywh=` thumbnails.")
    captions = CaptionSerializer(many=True)
    duration = serializers.FloatField()
    resume_at = serializers.FloatField(help_text="Seconds; 0 for anonymous viewers or a finished film.")
    progress_url = serializers.CharField(help_text="POST JSON {video_id, film_id, position, duration, played, viewer}.")


class PlaybackResponseSerializer(serializers.Serializer):
    can_watch = serializers.BooleanField()
    price = serializers.IntegerField(help_text="KRW; 0 is free.")
    film = PlaybackSerializer(allow_null=True, help_text="Null when the viewer may not watch it or it is not ready.")
    trailer = PlaybackSerializer(allow_null=True)


class PlaybackAPIView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="playback",
        summary="Playback authorisation for a film",
        description=(
            "Signed, short-lived stream URLs for the film (when the requester may watch it: free films, "
            "buyers, the film's owners, staff) and its trailer (everyone)."
        ),
        responses={200: PlaybackResponseSerializer},
        tags=["playback"],
    )
    def get(self, request, film_id: int):
        film = get_object_or_404(
            FilmBasePage.objects.live().public().select_related("main_video", "trailer"), pk=film_id
        )
        allowed = can_watch(request.user, film)
        try:
            main = playback_config(request, film) if allowed else None
        except PermissionDenied:  # pragma: no cover - can_watch said yes a moment ago
            main = None
        body = {
            "can_watch": allowed,
            "price": film.price,
            "film": main,
            "trailer": playback_config(request, film, trailer=True),
        }
        return Response(body, headers={"Cache-Control": "private, no-store"})
