"""Reviews, comments, reports and follows for apps, under the same rules as the site (the same
services: moderation, rate limits, blocks).

GET  /api/v2/reviews/?film=<id>            a film's public reviews (+ the requester's own), figures in `meta`
POST /api/v2/reviews/                      write or rewrite my review {film, rating, body}
GET  /api/v2/comments/?page_id=<id>[&post=]   a thread: top-level comments with their replies
POST /api/v2/comments/                     {page_id, post?, parent?, body}
POST /api/v2/reports/                      {review | comment, reason}
GET/POST/DELETE /api/v2/me/following/      whom I follow; follow / unfollow {person_id | member_id | page_id}

Reading takes a token or session when given (the requester's own posts waiting for approval are
listed, marked by `status`); writing needs one. A refusal answers in the shared error shape with
the status the rules give: 401, 403 (blocked, not allowed), 404, 429 (too fast, with Retry-After).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from films.models import FilmBasePage, Person
from reelvision.api import MemberAPIView, PersonalAPIView
from reelvision.api_errors import NOT_AUTHENTICATED, NOT_FOUND, ErrorSerializer, InvalidQuery
from reelvision.api_pagination import ListingMetaSerializer, listing_serializer, offset_and_limit, paging_parameters
from reelvision.row_ids import LARGEST_ID, row_id

from . import comments, follows, moderation, posts, reviews, text
from .models import COMMENT_MAX_LENGTH, REVIEW_MAX_LENGTH, Comment, Follow, Review, Status

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
RATE_WINDOW_SECONDS = int(moderation.RATE_WINDOW.total_seconds())


class Refused(exceptions.APIException):
    """`moderation.Refused` as an API answer, keeping its status."""

    CODES = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found"}

    def __init__(self, refused: moderation.Refused):
        self.status_code = refused.status
        super().__init__(detail=refused.message, code=self.CODES.get(refused.status, "throttled"))


def refusing(call):
    try:
        return call()
    except moderation.Refused as refused:
        if refused.status == 429:
            raise exceptions.Throttled(wait=RATE_WINDOW_SECONDS, detail=refused.message) from None
        raise Refused(refused) from None


def _id(request, name: str, *, required: bool = True) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        if required:
            raise InvalidQuery(_("%(name)s: give the id.") % {"name": name})
        return None
    try:
        int(value)
    except ValueError:
        raise InvalidQuery(_("%(name)s: a whole number.") % {"name": name}) from None
    number = row_id(value)
    if number is None:
        raise exceptions.NotFound()
    return number


def _live(page_id) -> FilmBasePage:
    if not isinstance(page_id, int):
        raise exceptions.NotFound()
    page = FilmBasePage.objects.live().public().filter(pk=page_id).specific().first()
    if page is None:
        raise exceptions.NotFound()
    return page


# --- serializers --------------------------------------------------------------------------------


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField(source="public_name", help_text="The display name (never the e-mail).")


class PostedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = AuthorSerializer()
    body = serializers.CharField(allow_blank=True, help_text="Plain text; show it as text, never as HTML.")
    body_html = serializers.SerializerMethodField(help_text="The text as safe HTML: escaped, links made clickable.")
    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text="`visible` for everyone; the requester's own may be `pending` (waiting for approval) "
        "or `reported` (hidden after reports).",
    )
    mine = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)

    def get_body_html(self, item) -> str:
        return str(text.render(item.body))

    def get_mine(self, item) -> bool:
        user = self.context["request"].user
        return user.is_authenticated and item.author_id == user.pk


class ReviewSerializer(PostedSerializer):
    film = serializers.IntegerField(source="film_id")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    watched = serializers.BooleanField(help_text="The author owned the film or had watched at least half of it.")


class ReviewsMetaSerializer(ListingMetaSerializer):
    average = serializers.FloatField(allow_null=True, help_text="Mean rating of the public reviews, one decimal.")
    count = serializers.IntegerField(help_text="Public reviews.")


class ReviewInputSerializer(serializers.Serializer):
    film = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    body = serializers.CharField(allow_blank=True, required=False, default="", max_length=REVIEW_MAX_LENGTH * 2)


class CommentSerializer(PostedSerializer):
    page_id = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    post = serializers.IntegerField(source="post_id", allow_null=True)
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    by_creator = serializers.BooleanField(help_text="Written by the page's creator.")
    pinned = serializers.SerializerMethodField()

    def get_pinned(self, item) -> bool:
        return item.pinned_at is not None


class ThreadCommentSerializer(CommentSerializer):
    replies = CommentSerializer(many=True, source="shown_replies", help_text="Oldest first.")


class CommentInputSerializer(serializers.Serializer):
    page_id = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    post = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=LARGEST_ID)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=LARGEST_ID)
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH * 2)


class ReportInputSerializer(serializers.Serializer):
    review = serializers.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)
    comment = serializers.IntegerField(required=False, min_value=1, max_value=LARGEST_ID)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def validate(self, data):
        if bool(data.get("review")) == bool(data.get("comment")):
            raise serializers.ValidationError(_("Give the id of one review or one comment."))
        return data


class ReportedSerializer(serializers.Serializer):
    reported = serializers.BooleanField(help_text="false: you had reported it already (counted once).")


FOLLOW_FIELDS = tuple(f"{target}_id" for target in follows.TARGETS)


class FollowTargetSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, help_text="A credited person (a director)."
    )
    member_id = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, help_text="A member (a creator)."
    )
    page_id = serializers.IntegerField(
        required=False, min_value=1, max_value=LARGEST_ID, help_text="A project or film page."
    )

    def validate(self, data):
        if sum(1 for name in FOLLOW_FIELDS if data.get(name)) != 1:
            raise serializers.ValidationError(_("Give exactly one of person_id, member_id or page_id."))
        return data


class FollowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(follows.TARGETS))
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="Its page on the site (a path).")
    followed_at = serializers.DateTimeField(source="created_at")


class FollowedSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    followers = serializers.IntegerField(help_text="How many follow it now.")


ReviewListingSerializer = listing_serializer("Review", ReviewSerializer, ReviewsMetaSerializer)
CommentListingSerializer = listing_serializer("Comment", ThreadCommentSerializer)
FollowListingSerializer = listing_serializer("Follow", FollowSerializer)

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid values, or text over the length limit."),
    401: NOT_AUTHENTICATED,
    403: OpenApiResponse(ErrorSerializer, description="Blocked from posting, or not allowed here."),
    404: NOT_FOUND,
    429: OpenApiResponse(ErrorSerializer, description="Too many posts in a minute (see Retry-After)."),
}
READ_ERRORS = {400: OpenApiResponse(ErrorSerializer, description="A missing or bad id."), 404: NOT_FOUND}


class _ReadOrWrite(PersonalAPIView):
    """Anyone reads; writing needs a member."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method != "GET" else [AllowAny()]


class ReviewsAPIView(_ReadOrWrite):
    @extend_schema(
        operation_id="reviews",
        summary="A film's reviews",
        description="Newest first; `meta` has the film's average rating and review count.",
        parameters=[
            OpenApiParameter("film", int, required=True, description="The film's page id."),
            *paging_parameters(DEFAULT_LIMIT, MAX_LIMIT),
        ],
        responses={200: ReviewListingSerializer, **READ_ERRORS},
        tags=["community"],
    )
    def get(self, request):
        film = _live(_id(request, "film"))
        shown = Review.objects.seen_by(request.user).filter(film_id=film.pk).select_related("author")
        offset, limit = offset_and_limit(request, DEFAULT_LIMIT, MAX_LIMIT)
        average, count = film.rating_figures
        items = ReviewSerializer(shown[offset : offset + limit], many=True, context={"request": request}).data
        return Response({"meta": {"total_count": shown.count(), "average": average, "count": count}, "items": items})

    @extend_schema(
        operation_id="review_write",
        summary="Write or rewrite my review",
        description="One review per member and film: posting again edits it. It may wait for approval "
        "(`status` pending): a new member's first posts, links, watched words.",
        request=ReviewInputSerializer,
        responses={200: ReviewSerializer, **REFUSED},
        tags=["community"],
    )
    def post(self, request):
        body = ReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        film = _live(data["film"])
        review = refusing(lambda: reviews.submit(request.user, film, data["rating"], data["body"]))
        return Response(ReviewSerializer(review, context={"request": request}).data)


class CommentsAPIView(_ReadOrWrite):
    @extend_schema(
        operation_id="comments",
        summary="A comment thread",
        description="A project's thread, or a post's with `post`: top-level comments (the pinned one "
        "first, then oldest first) with their replies.",
        parameters=[
            OpenApiParameter("page_id", int, required=True, description="The project's (or the post's) page id."),
            OpenApiParameter("post", int, description="A post's id: its thread instead of the page's."),
            *paging_parameters(DEFAULT_LIMIT, MAX_LIMIT),
        ],
        responses={200: CommentListingSerializer, **READ_ERRORS, 403: REFUSED[403]},
        tags=["community"],
    )
    def get(self, request):
        page = _live(_id(request, "page_id"))
        post = self._post(request, page, _id(request, "post", required=False))
        thread = comments.thread(page, request.user, post)
        offset, limit = offset_and_limit(request, DEFAULT_LIMIT, MAX_LIMIT)
        items = ThreadCommentSerializer(thread[offset : offset + limit], many=True, context={"request": request})
        return Response({"meta": {"total_count": len(thread)}, "items": items.data})

    @staticmethod
    def _post(request, page, post_id):
        if post_id is None:
            return None
        post = posts.published().filter(pk=post_id, page_id=page.pk).first()
        if post is None:
            raise exceptions.NotFound()
        if not posts.can_read(request.user, post):
            raise exceptions.PermissionDenied(_("Only those who can read this post can read its comments."))
        return post

    @extend_schema(
        operation_id="comment_write",
        summary="Comment, or reply",
        description="`parent`: the comment replied to (a reply to a reply joins its parent's replies). "
        "It may wait for approval (`status` pending).",
        request=CommentInputSerializer,
        responses={200: CommentSerializer, **REFUSED},
        tags=["community"],
    )
    def post(self, request):
        body = CommentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        page = _live(data["page_id"])
        post = self._post(request, page, data.get("post"))
        comment = refusing(
            lambda: comments.submit(request.user, page, data["body"], parent_id=data.get("parent"), post=post)
        )
        return Response(CommentSerializer(comment, context={"request": request}).data)


class ReportsAPIView(MemberAPIView):
    @extend_schema(
        operation_id="report",
        summary="Report a review or comment",
        description="Once per member and post; enough reports hide it until staff decide.",
        request=ReportInputSerializer,
        responses={200: ReportedSerializer, **REFUSED},
        tags=["community"],
    )
    def post(self, request):
        body = ReportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        model, pk = (Review, data["review"]) if data.get("review") else (Comment, data["comment"])
        target = model.objects.public().filter(pk=pk).first()
        if target is None:
            raise exceptions.NotFound()
        reported = refusing(lambda: moderation.report(request.user, target, data["reason"]))
        return Response({"reported": reported})


def _follow_target(data: dict):
    if data.get("person_id"):
        target = Person.objects.filter(pk=data["person_id"]).first()
    elif data.get("member_id"):
        members = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)
        target = members.filter(pk=data["member_id"]).first()
    else:
        target = FilmBasePage.objects.live().public().filter(pk=data["page_id"]).specific().first()
    if target is None:
        raise exceptions.NotFound()
    return target


def _described(follow: Follow) -> dict:
    if follow.person_id:
        person = follow.person
        return {"kind": "person", "id": person.pk, "name": person.display_name, "url": person.get_absolute_url()}
    if follow.member_id:
        member = follow.member
        return {
            "kind": "member",
            "id": member.pk,
            "name": str(member.public_name),
            "url": reverse("members:member_profile", args=[member.pk]),
        }
    page = follow.page  # a FilmBasePage: its title and address need no specific page (no query per row)
    return {"kind": "page", "id": page.pk, "name": page.display_title, "url": page.url or ""}


class FollowingAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_following",
        summary="Whom I follow",
        parameters=paging_parameters(DEFAULT_LIMIT, MAX_LIMIT),
        responses={200: FollowListingSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        rows = Follow.objects.filter(follower=request.user).select_related("person", "member", "page")
        rows = rows.order_by("-created_at", "-pk")
        offset, limit = offset_and_limit(request, DEFAULT_LIMIT, MAX_LIMIT)
        items = [{**_described(follow), "created_at": follow.created_at} for follow in rows[offset : offset + limit]]
        return Response({"meta": {"total_count": rows.count()}, "items": FollowSerializer(items, many=True).data})

    @extend_schema(
        operation_id="me_follow",
        summary="Follow a director, a member or a page",
        request=FollowTargetSerializer,
        responses={200: FollowedSerializer, **{k: v for k, v in REFUSED.items() if k != 429}},
        tags=["me"],
    )
    def post(self, request):
        target = self._target(request.data)
        refusing(lambda: follows.follow(request.user, target))
        return Response({"following": True, "followers": follows.follower_count(target)})

    @extend_schema(
        operation_id="me_unfollow",
        summary="Stop following",
        description="The target as a query parameter (`?page_id=12`) or in the body.",
        parameters=[OpenApiParameter(name, int) for name in FOLLOW_FIELDS],
        responses={200: FollowedSerializer, 400: REFUSED[400], 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
        tags=["me"],
    )
    def delete(self, request):
        target = self._target(request.data or request.query_params)
        follows.unfollow(request.user, target)
        return Response({"following": False, "followers": follows.follower_count(target)})

    @staticmethod
    def _target(data):
        if not hasattr(data, "get"):
            raise exceptions.ValidationError(_('Send an object: {"page_id": 12}.'))
        body = FollowTargetSerializer(data={name: data.get(name) for name in FOLLOW_FIELDS if data.get(name)})
        body.is_valid(raise_exception=True)
        return _follow_target(body.validated_data)


# Under /api/v2/ (reelvision.api_urls).
urlpatterns = [
    path("reviews/", ReviewsAPIView.as_view(), name="api_reviews"),
    path("comments/", CommentsAPIView.as_view(), name="api_comments"),
    path("reports/", ReportsAPIView.as_view(), name="api_reports"),
    path("me/following/", FollowingAPIView.as_view(), name="api_me_following"),
]
