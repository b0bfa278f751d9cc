"""Creators' posts on the site: writing them (on one's own project or film page), reading them, and
their pictures and videos.

    /community/pages/<page_id>/posts/             a page's posts, for everyone
    /community/pages/<page_id>/posts/manage/      the page's posts, for its creator and staff
    /community/pages/<page_id>/posts/new/         write one
    /community/posts/<post_id>/                   read one (title and teaser only, when locked)
    /community/posts/<post_id>/edit/              change it
    /community/posts/<post_id>/edit/delete/       delete it (asks first)
    /community/posts/images/<image_id>/           a picture, through a signed address (media.image_url)
    /community/posts/<post_id>/videos/<video_id>/playback/   fresh signed links for the player
    /community/posts/videos/progress/             where the player reports progress

Every id in an address is checked against the requester: a page that is not theirs, or a post
they may not edit, is a 404 and nothing changes. Pages with a reader's signed links are never
stored by any cache.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from films.models import FilmBasePage
from page_cache.cache import reads_query_params
from videos.models import VideoStatus
from watching.views import player_strings

from . import media, posts, text
from .models import Post, PostImage
from .post_forms import PostForm


def _own_page(request, page_id: int) -> FilmBasePage:
    page = get_object_or_404(FilmBasePage, pk=page_id)
    if not posts.may_write_on(request.user, page):
        raise Http404  # someone else's page: as if it did not exist
    return page.specific


def _editable_post(request, post_id: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("page", "minimum_tier"), pk=post_id)
    if not posts.may_edit(request.user, post):
        raise Http404
    return post


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


# --- for the creator ---------------------------------------------------------------------------


@never_cache
@login_required
def manage(request, page_id: int):
    page = _own_page(request, page_id)
    page_posts = Post.objects.filter(page=page).select_related("minimum_tier", "author").order_by("-created_at")
    return render(
        request,
        "community/posts/manage.html",
        {
            "section": "projects",
            "film": page,
            "posts": page_posts,
            "shown_ids": set(posts.shown().filter(page=page).values_list("pk", flat=True)),
        },
    )


@never_cache
@login_required
def create(request, page_id: int):
    page = _own_page(request, page_id)
    form = PostForm(request.POST or None, request.FILES or None, page=page, author=request.user)
    if request.method == "POST" and form.is_valid():
        post = form.save_post()
        messages.success(request, _("Your post is published.") if post.published_at else _("Your draft is saved."))
        return redirect("community:post", post.pk)
    return render(request, "community/posts/form.html", {"section": "projects", "film": page, "form": form})


@never_cache
@login_required
def edit(request, post_id: int):
    post = _editable_post(request, post_id)
    page = post.page.specific
    form = PostForm(
        request.POST or None, request.FILES or None, instance=post, page=page, author=post.author, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        was_draft = post.published_at is None
        post = form.save_post()
        published_now = was_draft and post.published_at is not None
        messages.success(request, _("Your post is published.") if published_now else _("Your changes are saved."))
        return redirect("community:post", post.pk)
    return render(
        request, "community/posts/form.html", {"section": "projects", "film": page, "form": form, "post": post}
    )


@never_cache
@login_required
def delete(request, post_id: int):
    """GET asks; POST deletes the post, its comments and pictures (the files once it is committed)."""
    post = _editable_post(request, post_id)
    if request.method == "POST":
        page_id = post.page_id
        media.delete_post(post)
        messages.success(request, _("The post is deleted."))
        return redirect("community:page_posts_manage", page_id)
    return render(request, "community/posts/delete.html", {"section": "projects", "film": post.page, "post": post})


# --- for readers -------------------------------------------------------------------------------

POSTS_PER_PAGE = 20


@require_safe
@reads_query_params("page")
def page_posts(request, page_id: int):
    """All of a page's published posts, newest first: titles, teasers and who each is for, the same
    for every visitor (so the page cache may keep it; publishing a post retires it)."""
    page = get_object_or_404(FilmBasePage.objects.live().public(), pk=page_id).specific
    shown = posts.shown().filter(page=page).select_related("minimum_tier").order_by("-published_at", "-pk")
    page_obj = Paginator(shown, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/posts/all.html", {"page": page, "film": page, "page_obj": page_obj})


@require_safe
def detail(request, post_id: int):
    """The post: its text, pictures, videos and comments for those who may read it; for everyone
    else its title, teaser, audience and what would open it (back the project, buy the film)."""
    post = get_object_or_404(Post.objects.select_related("page", "minimum_tier", "author"), pk=post_id)
    if not posts.may_open(request.user, post):
        raise Http404
    page = post.page.specific
    readable = posts.can_read(request.user, post)
    context = {
        "page": page,
        "film": page,
        "post": post,
        "readable": readable,
        "may_edit": posts.may_edit(request.user, post),
        "shown": posts.shown().filter(pk=post.pk).exists(),
    }
    if readable:
        context.update(_reading(request, post, page))
    else:
        unlock = posts.unlock_path(request.user, post)
        context["unlock"] = {"kind": unlock[0], "url": unlock[1]} if unlock else None
        context["login_url"] = reverse("account_login") + "?" + urlencode({"next": request.get_full_path()})
    return _no_store(render(request, "community/posts/detail.html", context))


def _reading(request, post: Post, page) -> dict:
    """What only those who may read the post get: the text, the pictures and the player."""
    videos = list(post.videos.filter(status=VideoStatus.READY).exclude(hls_master_key="").order_by("pk"))
    chosen = next((v for v in videos if str(v.pk) == request.GET.get("video", "")), videos[0] if videos else None)
    config = None
    if chosen is not None:
        config = media.player_config(request, post, chosen)
        config["strings"] = {**player_strings(), "ended": _("You can no longer watch this video.")}
        config["csrf_token"] = get_token(request)
        config["renew_url"] = reverse("community:post_video_playback", args=[post.pk, chosen.pk])
        config["progress_url"] = reverse("community:post_video_progress")
    return {
        "body_html": text.render(post.body),
        "images": [(image, media.image_url(image, request.user)) for image in post.images.all()],
        "videos": videos,
        "chosen_video": chosen,
        "player_config": config,
    }


@require_safe
def image(request, image_id: int):
    """A picture, for the viewer its address was signed for, while they may still read the post."""
    if not media.signature_ok(image_id, request.GET, request.user):
        return HttpResponseForbidden(_("This link has expired or is not yours. Reload the page to get a new one."))
    picture = get_object_or_404(PostImage.objects.select_related("post__page", "post__minimum_tier"), pk=image_id)
    if not posts.may_open(request.user, picture.post):
        raise Http404
    if not posts.can_read(request.user, picture.post):
        return HttpResponseForbidden(_("You can no longer see this post."))
    return media.image_response(picture)


@require_safe
def video_playback(request, post_id: int, video_id: int):
    """Fresh signed links for the player whose links were refused (in the shape it expects from the
    watch page's `api_playback`: the video under "film")."""
    post = get_object_or_404(Post.objects.select_related("page", "minimum_tier"), pk=post_id)
    if not posts.may_open(request.user, post):
        raise Http404
    video = post.videos.filter(pk=video_id, status=VideoStatus.READY).exclude(hls_master_key="").first()
    if video is None:
        raise Http404
    if not posts.can_read(request.user, post):
        return _no_store(JsonResponse({"detail": _("You can no longer see this post."), "film": None}, status=403))
    return _no_store(JsonResponse({"film": media.player_config(request, post, video)}))


@require_POST
def video_progress(request):
    """The player reports where it is every few seconds. A post's video is not a film: nothing is
    resumed from the server or counted as a view, so the report is acknowledged and not stored."""
    return HttpResponse(status=204)
