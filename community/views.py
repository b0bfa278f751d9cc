"""The site's forms for reviews, comments, reports, a creator's hide and pin, and follows; the
member's "Following" page.

Every action is a POST that goes back to the page it came from with a message. When a post is
refused (too fast, blocked, too long), what the member wrote is kept in their session and put back
in the form (`templatetags.community_tags.draft`), so nothing typed is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from films.models import FilmBasePage, Person
from reelvision.redirects import local_url
from reelvision.row_ids import row_id

from . import comments, follows, moderation, posts, reviews
from .models import Action, Comment, Follow, Review, Status

DRAFTS_KEY = "community_drafts"


def _row_id(value) -> int:
    """A posted or routed id as a number a database can hold, or a 404."""
    number = row_id(value)
    if number is None:
        raise Http404
    return number


def _back(request, fallback: str, anchor: str = "") -> HttpResponseRedirect:
    target = local_url(request, request.POST.get("next"), fallback).split("#")[0]
    return HttpResponseRedirect(f"{target}#{anchor}" if anchor else target)


def _live_page(page_id) -> FilmBasePage:
    page = FilmBasePage.objects.live().public().filter(pk=_row_id(page_id)).specific().first()
    if page is None:
        raise Http404
    return page


def keep_draft(request, key: str, body: str) -> None:
    drafts = request.session.get(DRAFTS_KEY, {})
    drafts[key] = body[:20_000]
    request.session[DRAFTS_KEY] = drafts


def _said(request, post, held_message: str, shown_message: str) -> None:
    if post.status == Status.PENDING:
        messages.info(request, held_message)
    else:
        messages.success(request, shown_message)


@login_required
@require_POST
def review(request, film_id: int):
    film = _live_page(film_id)
    body = request.POST.get("body", "")
    try:
        written = reviews.submit(request.user, film, request.POST.get("rating"), body)
    except moderation.Refused as refused:
        keep_draft(request, f"review:{film.pk}", body)
        messages.error(request, refused.message)
        return _back(request, film.url, "reviews")
    _said(
        request,
        written,
        _("Thank you. Your review will appear once a moderator has looked at it."),
        _("Your review is up."),
    )
    return _back(request, film.url, "reviews")


@login_required
@require_POST
def comment(request):
    page = _live_page(request.POST.get("page"))
    post = None
    if request.POST.get("post"):
        post = posts.published().filter(pk=_row_id(request.POST["post"]), page_id=page.pk).first()
        if post is None:
            raise Http404
    fallback = reverse("community:post", args=[post.pk]) if post is not None else page.url
    body = request.POST.get("body", "")
    try:
        written = comments.submit(request.user, page, body, parent_id=request.POST.get("parent"), post=post)
    except moderation.Refused as refused:
        keep_draft(request, _draft_key(page.pk, post, request.POST.get("parent")), body)
        messages.error(request, refused.message)
        return _back(request, fallback, "comments")
    _said(
        request,
        written,
        _("Thank you. Your comment will appear once a moderator has looked at it."),
        _("Your comment is up."),
    )
    return _back(request, fallback, f"comment-{written.pk}")


def _draft_key(page_id, post, parent) -> str:
    return f"comment:{page_id}:{post.pk if post else ''}:{parent or ''}"


MODELS = {"review": Review, "comment": Comment}


def _target(kind: str, pk: int):
    model = MODELS.get(kind)
    if model is None:
        raise Http404
    related = "film" if model is Review else "page"
    return get_object_or_404(model.objects.select_related(related), pk=_row_id(pk))


def _page_url(target) -> str:
    page = target.film if isinstance(target, Review) else target.page
    if isinstance(target, Comment) and target.post_id:
        return reverse("community:post", args=[target.post_id])
    return page.specific.url or "/"


@login_required
@require_POST
def report(request, kind: str, pk: int):
    target = _target(kind, pk)
    if not target.is_public:
        raise Http404  # a post nobody can see cannot be reported (and its id is not confirmed)
    try:
        moderation.report(request.user, target, request.POST.get("reason", ""))
    except moderation.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Thank you. A moderator will look at it."))
    return _back(request, _page_url(target), "reviews" if kind == "review" else "comments")


@login_required
@require_POST
def delete(request, kind: str, pk: int):
    target = _target(kind, pk)
    if target.author_id != request.user.pk:
        raise Http404
    moderation.delete_own(request.user, target)
    messages.success(request, _("Deleted."))
    return _back(request, _page_url(target), "reviews" if kind == "review" else "comments")


@login_required
@require_POST
def hide(request, pk: int):
    """The page's creator hides a comment on their page (staff see who and why)."""
    target = _target("comment", pk)
    if not moderation.may_decide(request.user, target, Action.CREATOR_HIDE):
        raise Http404
    moderation.decide(request.user, target, Action.CREATOR_HIDE, request.POST.get("reason", ""))
    messages.success(request, _("The comment is hidden. Staff can see that you hid it."))
    return _back(request, _page_url(target), "comments")


@login_required
@require_POST
def pin(request, pk: int):
    target = _target("comment", pk)
    if not comments.may_pin(request.user, target):
        raise Http404
    pinned = request.POST.get("pinned", "1") == "1"
    try:
        comments.pin(request.user, target, pinned)
    except moderation.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Pinned.") if pinned else _("Unpinned."))
    return _back(request, _page_url(target), f"comment-{target.pk}")


def follow_target(kind: str, pk: int):
    if kind == "person":
        return get_object_or_404(Person, pk=_row_id(pk))
    if kind == "page":
        return _live_page(pk)
    if kind == "member":
        return get_object_or_404(get_user_model(), pk=_row_id(pk), is_active=True, deleted_at__isnull=True)
    raise Http404


@login_required
@require_POST
def follow(request, kind: str, pk: int):
    target = follow_target(kind, pk)
    try:
        if request.POST.get("follow", "1") == "1":
            follows.follow(request.user, target)
            messages.success(request, _("Following. You will hear when there is news."))
        else:
            follows.unfollow(request.user, target)
            messages.success(request, _("You no longer follow this."))
    except moderation.Refused as refused:
        messages.error(request, refused.message)
    return _back(request, "/", "follow")


@login_required
def following(request):
    rows = (
        Follow.objects.filter(follower=request.user)
        .select_related("person", "member", "page")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "community/following.html", {"section": "following", "page": page})
