"""`/api/v2/me/videos/<id>/analysis/`: a video's analysis for its owner and staff, as the Videos
admin shows it: progress and result (cuts, suggested and saved chapters, poster candidates), the
sensitive-content scan's flags and the privacy mosaic's people, pictures as signed links; POST
queues the analysis again.

Members only (JWT or session); a video the requester may not edit is a 404, as in the admin.
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from reelvision.api import MemberAPIView
from reelvision.api_errors import NOT_AUTHENTICATED, NOT_FOUND, ErrorSerializer, error_response

from .admin import visible_videos
from .models import AnalysisStatus, Chapter, ContentFlag, FlagStatus, MosaicStatus, VideoAnalysis, VideoMosaic
from .models import VideoStatus as Status
from .playback import file_url
from .tasks import start_analysis


class TimeSerializer(serializers.Serializer):
    start = serializers.FloatField(help_text="Seconds from the start.")


class PictureSerializer(serializers.Serializer):
    time = serializers.FloatField(help_text="Seconds from the start.")
    url = serializers.URLField(help_text="Signed for the requester; valid for hours.")


class SavedChapterSerializer(serializers.Serializer):
    start = serializers.FloatField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    start = serializers.FloatField()
    end = serializers.FloatField()
    labels = serializers.ListField(child=serializers.CharField(), help_text="The detector's classes.")
    score = serializers.FloatField(help_text="The detector's confidence, 0–1.")
    status = serializers.ChoiceField(choices=FlagStatus.values, help_text="Staff confirm or dismiss each flag.")
    picture_url = serializers.URLField(allow_null=True)


class PersonSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    start = serializers.FloatField()
    end = serializers.FloatField()
    consented = serializers.BooleanField(help_text="Agreed to be seen: not pixelated.")
    picture_url = serializers.URLField(allow_null=True)


class MosaicSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MosaicStatus.values)
    progress = serializers.FloatField(help_text="0–1 while finding the people or making the mosaic version.")
    failure_reason = serializers.CharField(allow_blank=True)
    people = PersonSerializer(many=True)


class AnalysisSerializer(serializers.Serializer):
    video_id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=AnalysisStatus.values, allow_null=True, help_text="Null before the first analysis is queued."
    )
    progress = serializers.FloatField(help_text="0–1 while it runs.")
    failure_reason = serializers.CharField(allow_blank=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    cuts = serializers.ListField(child=serializers.FloatField(), help_text="Scene cuts, seconds from the start.")
    suggested_chapters = TimeSerializer(many=True)
    chapters = SavedChapterSerializer(many=True, help_text="The saved chapters viewers see.")
    poster_candidates = PictureSerializer(many=True)
    flags = FlagSerializer(
        many=True, help_text="The sensitive-content scan's moments; only the owner and staff see them."
    )
    mosaic = MosaicSerializer(
        allow_null=True, help_text="The privacy mosaic of behind-the-scenes footage; null without."
    )


def analysis_answer(request, video) -> dict:
    found = VideoAnalysis.objects.filter(video=video).first()
    ready = video.status == Status.READY

    def signed(key: str) -> str | None:
        return file_url(request, video, key) if key and ready else None

    mosaic = VideoMosaic.objects.filter(video=video).first()
    return {
        "video_id": video.pk,
        "status": found.status if found else None,
        "progress": found.progress if found else 0.0,
        "failure_reason": found.failure_reason if found else "",
        "finished_at": found.finished_at if found else None,
        "cuts": found.cuts if found else [],
        "suggested_chapters": [{"start": chapter["start"]} for chapter in found.chapters] if found else [],
        "chapters": list(Chapter.objects.filter(video=video).values("start", "title", "title_en")),
        "poster_candidates": [
            {"time": poster["time"], "url": signed(poster["key"])}
            for poster in (found.poster_candidates if found else [])
        ],
        "flags": [
            {
                "id": flag.pk,
                "kind": flag.kind,
                "start": flag.start,
                "end": flag.end,
                "labels": flag.labels,
                "score": flag.score,
                "status": flag.status,
                "picture_url": signed(flag.thumbnail_key),
            }
            for flag in ContentFlag.objects.filter(video=video)
        ],
        "mosaic": {
            "status": mosaic.status,
            "progress": mosaic.progress,
            "failure_reason": mosaic.failure_reason,
            "people": [
                {
                    "number": person.number,
                    "start": person.start,
                    "end": person.end,
                    "consented": person.consented,
                    "picture_url": signed(person.thumbnail_key),
                }
                for person in mosaic.people.all()
            ],
        }
        if mosaic
        else None,
    }


class VideoAnalysisAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_video_analysis",
        summary="A video's analysis",
        description=(
            "For the video's owner and staff: the analysis after processing (status, progress, scene cuts, "
            "suggested and saved chapters, poster candidates), the sensitive-content scan's flags and the "
            "privacy mosaic's people, with signed links to their pictures."
        ),
        responses={200: AnalysisSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
        tags=["me"],
    )
    def get(self, request, video_id: int):
        video = get_object_or_404(visible_videos(request.user), pk=video_id)
        return Response(AnalysisSerializer(analysis_answer(request, video)).data)

    @extend_schema(
        operation_id="me_video_analysis_again",
        summary="Analyse a video again",
        description="Queues the analysis again (a run under way is superseded); the answer is its new state.",
        request=None,
        responses={
            200: AnalysisSerializer,
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorSerializer, description="The video is not ready yet."),
        },
        tags=["me"],
    )
    def post(self, request, video_id: int):
        video = get_object_or_404(visible_videos(request.user), pk=video_id)
        if video.status != Status.READY:
            return error_response("The video is not ready yet: analysis starts once it is.", 409)
        with transaction.atomic():
            start_analysis(video)
        return Response(AnalysisSerializer(analysis_answer(request, video)).data)


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("me/videos/<int:video_id>/analysis/", VideoAnalysisAPIView.as_view(), name="api_video_analysis"),
]
