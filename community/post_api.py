"""Creators' posts for apps: the same posts, locked and unlocked the same way, as on the site.

GET /api/v2/posts/?page_id=<id>     a page's published posts, newest first (offset, limit)
GET /api/v2/posts/<post_id>/        one post

Everyone gets each post's title, teaser and audience; `body`, `images` and `videos` only those who
may read it (`posts.can_read`: the session or an app's JWT says who asks). Their addresses are
signed for the requester and expire (`media.image_url`, `videos.playback.file_url`), so answers
are never stored by a cache. A locked post says how to unlock it (`unlock`).

(The page is `page_id`, not `page`: across the API `page` would read as pagination, which is
offset and limit everywhere.)
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.api.v2.utils import get_full_url

from films.models import FilmBasePage
from reelvision.api import PersonalAPIView
from reelvision.api_errors import BAD_QUERY, BAD_TOKEN, NOT_FOUND, InvalidQuery
from reelvision.api_pagination import listing_serializer, offset_and_limit, paging_parameters
from reelvision.bad_requests import MAX_API_INTEGER
from videos.models import Video, VideoStatus

from . import media, posts
from .models import Post, PostAudience

API_DEFAULT_LIMIT, API_MAX_LIMIT = 20, 50
# What an app's player needs of `media.player_config` (the site's player takes the rest).
VIDEO_KEYS = ("video_id", "duration", "master_url", "poster_url", "storyboard_vtt_url", "captions")


class TierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    amount = serializers.IntegerField(help_text="KRW: backers of this amount or more (in one donation, after refunds).")


class PostImageSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Signed for the requester; expires after a quarter of an hour.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)


class PostVideoCaptionSerializer(serializers.Serializer):
    language = serializers.CharField()
    label = serializers.CharField()
    url = serializers.URLField()


class PostVideoSerializer(serializers.Serializer):
    video_id = serializers.IntegerField()
    title = serializers.CharField()
    duration = serializers.FloatField()
    master_url = serializers.URLField(help_text="Signed HLS master playlist; expires after VIDEO_PLAYBACK_URL_TTL.")
    poster_url = serializers.CharField(allow_blank=True)
    storyboard_vtt_url = serializers.CharField(allow_blank=True)
    captions = PostVideoCaptionSerializer(many=True)


class UnlockSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["back", "buy"], help_text="back: donate to the project; buy: buy the film.")
    url = serializers.URLField(help_text="Where to do it on the site (through the log-in form for a visitor).")


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    page_id = serializers.IntegerField(help_text="The project or film the post is on.")
    url = serializers.URLField(help_text="The post on the site.")
    title = serializers.CharField()
    teaser = serializers.CharField(allow_blank=True, help_text="Shown to everyone.")
    audience = serializers.ChoiceField(choices=PostAudience.values, help_text="public, backers or buyers.")
    minimum_tier = TierSerializer(allow_null=True, help_text="Backers' posts from a tier up; else null.")
    published_at = serializers.DateTimeField()
    locked = serializers.BooleanField(help_text="True when the requester may not read it: no body, images or videos.")
    body = serializers.CharField(allow_null=True, help_text="Plain text; null when locked.")
    images = PostImageSerializer(many=True, help_text="Empty when locked.")
    videos = PostVideoSerializer(many=True, help_text="Empty when locked.")
    unlock = UnlockSerializer(allow_null=True, help_text="How to read a locked post; null when it is readable.")


PostListingSerializer = listing_serializer("Post", PostSerializer)


def _ready_videos():
    return Video.objects.filter(status=VideoStatus.READY).exclude(hls_master_key="").order_by("pk")


def _with_media(queryset):
    return queryset.select_related("page", "minimum_tier").prefetch_related(
        "images", Prefetch("videos", queryset=_ready_videos())
    )


def post_item(request, post: Post) -> dict:
    user = request.user
    readable = posts.can_read(user, post)
    tier = post.minimum_tier
    item = {
        "id": post.pk,
        "page_id": post.page_id,
        "url": get_full_url(request, reverse("community:post", args=[post.pk])),
        "title": post.title,
        "teaser": post.teaser,
        "audience": post.audience,
        "minimum_tier": {"id": tier.pk, "title": tier.title, "amount": tier.amount} if tier else None,
        "published_at": post.published_at,
        "locked": not readable,
        "body": None,
        "images": [],
        "videos": [],
        "unlock": None,
    }
    if readable:
        item["body"] = post.body
        item["images"] = [
            {
                "url": get_full_url(request, media.image_url(image, user)),
                "width": image.width,
                "height": image.height,
                "alt": image.alt,
            }
            for image in post.images.all()
        ]
        for video in post.videos.all():
            config = media.player_config(request, post, video)
            item["videos"].append({"title": video.title, **{key: config[key] for key in VIDEO_KEYS}})
    elif unlock := posts.unlock_path(user, post):
        item["unlock"] = {"kind": unlock[0], "url": get_full_url(request, unlock[1])}
    return item


class PageIdSerializer(serializers.Serializer):
    page_id = serializers.IntegerField(min_value=1, max_value=MAX_API_INTEGER)


class PostListAPIView(PersonalAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="posts",
        summary="A page's creator posts",
        description=(
            "The published posts on one project or film page, newest first. Title, teaser and audience for "
            "everyone; body, images and videos (signed for the requester) only for those who may read the post."
        ),
        parameters=[
            OpenApiParameter("page_id", int, required=True, description="The project or film page."),
            *paging_parameters(API_DEFAULT_LIMIT, API_MAX_LIMIT),
        ],
        responses={200: PostListingSerializer, 400: BAD_QUERY, 401: BAD_TOKEN, 404: NOT_FOUND},
        tags=["posts"],
    )
    def get(self, request):
        asked = PageIdSerializer(data=request.query_params)
        if not asked.is_valid():
            raise InvalidQuery(_("page_id must be the id of a project or film page."))
        page = get_object_or_404(FilmBasePage.objects.live().public(), pk=asked.validated_data["page_id"])
        offset, limit = offset_and_limit(request, API_DEFAULT_LIMIT, API_MAX_LIMIT)
        page_posts = posts.shown().filter(page=page).order_by("-published_at", "-pk")
        items = [post_item(request, post) for post in _with_media(page_posts)[offset : offset + limit]]
        return Response({"meta": {"total_count": page_posts.count()}, "items": items})


class PostDetailAPIView(PersonalAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="post",
        summary="A creator's post",
        description="One published post; body, images and videos only for those who may read it.",
        responses={200: PostSerializer, 400: BAD_QUERY, 401: BAD_TOKEN, 404: NOT_FOUND},
        tags=["posts"],
    )
    def get(self, request, post_id: int):
        post = get_object_or_404(_with_media(posts.shown()), pk=post_id)
        return Response(post_item(request, post))


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("posts/", PostListAPIView.as_view(), name="api_posts"),
    path("posts/<int:post_id>/", PostDetailAPIView.as_view(), name="api_post"),
]
