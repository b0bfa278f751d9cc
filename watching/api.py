"""`GET /api/v2/playback/<film_id>/`: what the watch page's player gets, for other front ends;
`POST /api/v2/progress/`: where the member is, the apps' counterpart of the player's `/watch/progress/`.

Session auth (the site) or an app's JWT (allauth headless). The playback
response carries short-lived signed URLs bound to the requester, so it is never cached.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail import hooks
from wagtail.api.v2.utils import get_full_url

from films.api.fields import AdvisorySerializer, ChapterSerializer, age_rating_field
from films.models import FilmBasePage
from reelvision.api import MemberAPIView, PersonalAPIView
from reelvision.api_errors import BAD_TOKEN, NOT_AUTHENTICATED, NOT_FOUND, ErrorSerializer, error_response
from watching.access import age_gate, can_watch
from watching.age import AgeGate, TooYoung
from watching.age import confirm as confirm_age
from watching.playback import playback_config
from watching.progress import MAX_PLAYED_PER_REPORT, ProgressRefused, ProgressReport, record_progress
from watching.transcript import (
    MAX_PUBLIC_MATCHES,
    MAX_QUERY_LENGTH,
    full_transcript,
    pick_track,
    search_transcript,
    tracks,
)


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
    chapters = ChapterSerializer(many=True, help_text="Named points for the seek bar, in time order.")
    advisories = AdvisorySerializer(
        many=True, help_text="What staff confirmed of the sensitive-content scan of this video, by kind."
    )
    duration = serializers.FloatField()
    resume_at = serializers.FloatField(help_text="Seconds; 0 for anonymous viewers or a finished film.")
    progress_url = serializers.CharField(
        help_text=(
            "Where to POST progress (absolute): /api/v2/progress/ for a logged-in requester (JSON {video_id, film_id, "
            "position, duration, played}), else the site's /watch/progress/ (session and CSRF cookie, plus the "
            "player's random `viewer` id)."
        )
    )


class LivePlaybackSerializer(serializers.Serializer):
    premiere_id = serializers.IntegerField()
    title = serializers.CharField()
    can_watch = serializers.BooleanField(help_text="Free premieres: everyone; ticketed: ticket holders, owners, staff.")
    ticket_price = serializers.IntegerField(help_text="KRW; 0 is free.")
    master_url = serializers.URLField(
        allow_null=True,
        help_text="Signed live HLS playlist bound to the requester (reload it every few seconds); null without access.",
    )
    status_url = serializers.URLField(help_text="JSON {status, viewers}: how many watch now; poll every 10 s.")


class PlaybackResponseSerializer(serializers.Serializer):
    can_watch = serializers.BooleanField()
    age_rating = age_rating_field()
    age_gate = serializers.ChoiceField(
        choices=[gate.value for gate in AgeGate],
        allow_null=True,
        help_text=(
            "What stands before playing an adults-only film (age_rating 19) and its trailer: `log_in`, then "
            "`confirm_age` (POST /api/v2/me/age-check/ once); null when nothing does."
        ),
    )
    price = serializers.IntegerField(help_text="KRW; 0 is free.")
    film = PlaybackSerializer(allow_null=True, help_text="Null when the viewer may not watch it or it is not ready.")
    trailer = PlaybackSerializer(allow_null=True)
    live = LivePlaybackSerializer(allow_null=True, help_text="The film's premiere streaming now; null when none is.")


def live_playback(request, film) -> dict | None:
    """The film's live premiere for this requester, from whichever app streams one (`live_playback_for_page`)."""
    for answer in hooks.get_hooks("live_playback_for_page"):
        if (live := answer(request, film)) is not None:
            return live
    return None


class PlaybackAPIView(PersonalAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="playback",
        summary="Playback authorisation for a film",
        description=(
            "Signed, short-lived stream URLs for the film (when the requester may watch it: free films, "
            "buyers, the film's owners, staff), its trailer (everyone) and its premiere while one is live. "
            "A film rated 19 (청소년 관람불가) and its trailer play only for members who confirmed their age."
        ),
        responses={200: PlaybackResponseSerializer, 401: BAD_TOKEN, 404: NOT_FOUND},
        tags=["playback"],
    )
    def get(self, request, film_id: int):
        film = get_object_or_404(
            FilmBasePage.objects.live().public().select_related("main_video", "trailer", "age_rating_decision"),
            pk=film_id,
        )
        allowed = can_watch(request.user, film)
        # An app's token cannot pass the site's CSRF check: members report to the API's own endpoint.
        # Absolute, like every other URL in the answer (an app has no page to resolve it against).
        progress_url = get_full_url(
            request, reverse("api_progress" if request.user.is_authenticated else "watching:video_progress")
        )
        try:
            main = playback_config(request, film, progress_url=progress_url) if allowed else None
        except PermissionDenied:  # pragma: no cover - can_watch said yes a moment ago
            main = None
        try:
            trailer = playback_config(request, film, trailer=True, progress_url=progress_url)
        except PermissionDenied:  # an adults-only film's trailer, before the age gate
            trailer = None
        body = {
            "can_watch": allowed,
            "age_rating": film.applied_age_rating,
            "age_gate": age_gate(request.user, film),
            "price": film.price,
            "film": main,
            "trailer": trailer,
            "live": live_playback(request, film),
        }
        return Response(body)


class TranscriptParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_QUERY_LENGTH,
        help_text="Search within the film's dialogue (analysed like the site search). Blank: the whole transcript.",
    )
    language = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="A caption track's language; default: the request's."
    )


class TranscriptLineSerializer(serializers.Serializer):
    start = serializers.FloatField(help_text="Seconds into the film.")
    end = serializers.FloatField()
    text = serializers.CharField()
    language = serializers.CharField()


class TranscriptResponseSerializer(serializers.Serializer):
    film_id = serializers.IntegerField()
    can_watch = serializers.BooleanField()
    language = serializers.CharField(allow_blank=True, help_text="The caption track read; empty when there is none.")
    languages = serializers.ListField(child=serializers.CharField(), help_text="Every caption track of the film.")
    query = serializers.CharField(allow_blank=True)
    lines = TranscriptLineSerializer(many=True)


class TranscriptAPIView(PersonalAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="transcript",
        summary="A film's dialogue, with times",
        description=(
            "Without `q`: every line of one caption track with its time, for viewers who may watch the film "
            "(403 for the others: the transcript is part of the film). With `q`: the lines holding every word "
            f"of the query, by time; viewers who may not watch get at most {MAX_PUBLIC_MATCHES}, as the site "
            "search shows them. Open the watch page at a line with `/watch/<slug>/?t=<start>`."
        ),
        parameters=[TranscriptParamsSerializer],
        responses={
            200: TranscriptResponseSerializer,
            401: BAD_TOKEN,
            403: OpenApiResponse(
                ErrorSerializer, description="The whole transcript of a film the viewer may not watch."
            ),
            404: NOT_FOUND,
        },
        tags=["playback"],
    )
    def get(self, request, film_id: int):
        film = get_object_or_404(FilmBasePage.objects.live().public(), pk=film_id)
        params = TranscriptParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query, language = params.validated_data["q"].strip(), params.validated_data["language"]
        allowed = can_watch(request.user, film)
        captions = tracks(film)
        caption = pick_track(captions, language)
        if query:
            lines = search_transcript(film, query, caption)
            if not allowed:
                lines = lines[:MAX_PUBLIC_MATCHES]
        elif not allowed:
            raise exceptions.PermissionDenied(_("Buy the film to read its whole transcript."))
        else:
            lines = full_transcript(caption) if caption else []
        body = {
            "film_id": film.pk,
            "can_watch": allowed,
            "language": caption.language if caption else "",
            "languages": [c.language for c in captions],
            "query": query,
            "lines": [vars(line) for line in lines],
        }
        return Response(TranscriptResponseSerializer(body).data)


class ProgressRequestSerializer(serializers.Serializer):
    video_id = serializers.IntegerField(min_value=1, help_text="`video_id` from the playback configuration.")
    film_id = serializers.IntegerField(min_value=1, help_text="`film_id` from the playback configuration.")
    position = serializers.FloatField(min_value=0, help_text="Seconds from the start; not past the end.")
    duration = serializers.FloatField(
        min_value=0, required=False, default=0, help_text="Seconds, as the player sees it; the video's own wins."
    )
    played = serializers.FloatField(
        min_value=0,
        required=False,
        default=0,
        help_text=f"Seconds actually played since the last report; at most {MAX_PLAYED_PER_REPORT:.0f} count.",
    )


class ProgressResponseSerializer(serializers.Serializer):
    saved = serializers.BooleanField()
    new_view = serializers.BooleanField(help_text="This report started today's view of the video by this member.")


class ProgressAPIView(MemberAPIView):
    @extend_schema(
        operation_id="progress_report",
        summary="Report where the member is in a film",
        description=(
            "Saves the resume position and counts one view per member, video and day, as the site's player "
            "does. The main video only for members who may watch the film (free, bought, owner, staff); the "
            "trailer for any member (a view, no resume position). Send it every few seconds and on pause. With a "
            "session, send the CSRF token (X-CSRFToken); with a Bearer token none is needed."
        ),
        request=ProgressRequestSerializer,
        responses={
            200: ProgressResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not numbers, a video of another film, past the end."),
            401: NOT_AUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="The member may not watch this film (or no CSRF token)."),
            404: OpenApiResponse(ErrorSerializer, description="No such ready video or live film."),
        },
        tags=["playback"],
    )
    def post(self, request):
        params = ProgressRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            new_view = record_progress(request.user, ProgressReport.from_data(params.validated_data))
        except ProgressRefused as refused:
            return error_response(refused.message, refused.status)
        return Response(ProgressResponseSerializer({"saved": True, "new_view": new_view}).data)


class AgeCheckRequestSerializer(serializers.Serializer):
    birth_date = serializers.DateField(help_text="YYYY-MM-DD. Only the confirmation is kept, not the date.")


class AgeCheckResponseSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField()


class AgeCheckAPIView(MemberAPIView):
    @extend_schema(
        operation_id="age_check",
        summary="Confirm the member's age for films rated 19",
        description=(
            "Films rated 19 (청소년 관람불가) and their trailers play for members who confirmed they are no longer "
            "youths under Korea's Youth Protection Act: 19 or older in the current year (born in or before "
            "this year minus 19). Confirm once; `age_gate` in the playback answer is null afterwards."
        ),
        request=AgeCheckRequestSerializer,
        responses={
            200: AgeCheckResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not a date, or the date of birth of a youth."),
            401: NOT_AUTHENTICATED,
        },
        tags=["playback"],
    )
    def post(self, request):
        params = AgeCheckRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            confirm_age(request.user, params.validated_data["birth_date"])
        except TooYoung as refused:
            return error_response(str(refused), 400)
        return Response(AgeCheckResponseSerializer({"confirmed": True}).data)


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("playback/<int:film_id>/", PlaybackAPIView.as_view(), name="api_playback"),
    path("transcript/<int:film_id>/", TranscriptAPIView.as_view(), name="api_transcript"),
    path("progress/", ProgressAPIView.as_view(), name="api_progress"),
    path("me/age-check/", AgeCheckAPIView.as_view(), name="api_age_check"),
]
