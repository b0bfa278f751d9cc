"""Comment threads on funding projects and on creators' posts: top-level comments and one level of
replies (a reply to a reply joins its parent's replies); the page's creator's comments are marked,
and the creator pins at most one comment per thread."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from films.models import FilmBasePage
from page_cache.cache import invalidate_all_pages
from reelvision.row_ids import row_id

from . import posts
from .models import COMMENT_MAX_LENGTH, Comment, Post
from .moderation import Refused, check_can_post, hold_reason, is_staff, status_for, validate_body


def thread_of(page: FilmBasePage, post: Post | None):
    return Comment.objects.filter(page_id=page.pk, post=post)


def submit(user, page: FilmBasePage, body: str, *, parent_id=None, post: Post | None = None) -> Comment:
    check_can_post(user)
    if not page.live:
        raise Refused(_("This page is not published."), 404)
    if post is None and not page.is_funding:
        raise Refused(_("Comments are open on funding projects and their posts."))
    if post is not None:
        if post.page_id != page.pk or not posts.published().filter(pk=post.pk).exists():
            raise Refused(_("This post does not exist."), 404)
        if not posts.can_read(user, post):
            raise Refused(_("Only those who can read this post can comment on it."), 403)
    parent = None
    if parent_id not in (None, ""):
        parent = thread_of(page, post).seen_by(user).filter(pk=row_id(parent_id) or 0).first()
        if parent is None:
            raise Refused(_("The comment you are replying to is gone."), 404)
        if parent.parent_id:
            parent = parent.parent  # one level of replies
    body = validate_body(body, COMMENT_MAX_LENGTH)
    hold = hold_reason(user, body, page.owner_id)
    comment = Comment.objects.create(
        page_id=page.pk,
        post=post,
        parent=parent,
        author=user,
        body=body,
        held_for=hold,
        status=status_for(hold),
        by_creator=user.pk == page.owner_id,
    )
    if comment.is_public:
        transaction.on_commit(invalidate_all_pages)
    return comment


def may_pin(user, comment: Comment) -> bool:
    return user.is_authenticated and (comment.page.owner_id == user.pk or is_staff(user))


def pin(user, comment: Comment, pinned: bool = True) -> None:
    """Pin `comment` at the top of its thread (unpinning the one pinned before), or unpin it."""
    if not may_pin(user, comment):
        raise Refused(_("Only the page's creator can pin comments."), 403)
    if pinned and (comment.parent_id or not comment.is_public):
        raise Refused(_("Only a shown comment, not a reply, can be pinned."))
    with transaction.atomic():
        # The page's row is the thread's lock: two pins at once leave one pinned comment.
        FilmBasePage.objects.select_for_update().filter(pk=comment.page_id).values_list("pk").first()
        thread_of(comment.page, comment.post).filter(pinned_at__isnull=False).update(pinned_at=None)
        if pinned:
            Comment.objects.filter(pk=comment.pk).update(pinned_at=timezone.now())
        transaction.on_commit(invalidate_all_pages)
    comment.refresh_from_db()


def thread(page: FilmBasePage, user, post: Post | None = None) -> list[Comment]:
    """The thread as `user` sees it: the pinned comment first, then oldest first, each top-level
    comment with its replies in `shown_replies`; two queries whatever its length."""
    shown = list(thread_of(page, post).seen_by(user).select_related("author").order_by("created_at", "pk"))
    top = [c for c in shown if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in shown:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    for c in top:
        c.shown_replies = replies.get(c.pk, [])
    top.sort(key=lambda c: (c.pinned_at is None, c.created_at, c.pk))
    return top
