"""What film and project pages show of the community: reviews with the rating, comment threads,
follow buttons, and members' words as safe HTML (`community_text`)."""

from __future__ import annotations

from django import template

from community import comments, follows, shared_lists, text, viewer
from community.models import Review, Status
from page_cache.fragments import shared

register = template.Library()


@register.filter
def community_text(value):
    return text.render(value or "")


@register.simple_tag(takes_context=True)
def film_reviews(context, film):
    """The film's reviews as the viewer sees them (newest first, their own on top), the figures,
    and whether they may write one. The public ones come from the shared list
    (`community.shared_lists`); only a member's own review is read for them."""
    request = context["request"]
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = Review.objects.filter(film_id=film.pk, author=user).exclude(status=Status.DELETED).first()
    listed = [review for review in shared_lists.public_reviews(request, film) if mine is None or review.pk != mine.pk]
    # Kept per generation: a changed rating retires it (`films.FilmRating` retires cached pages).
    average, count = shared(request, f"community:rating:{film.pk}", lambda: film.rating_figures)
    return {
        "mine": mine,
        "reviews": listed[: shared_lists.REVIEWS_ON_PAGE],
        "more": len(listed) > shared_lists.REVIEWS_ON_PAGE,
        "average": average,
        "count": count,
        "stars": round(average) if average else 0,
        "may_review": user.is_authenticated and film.owner_id != user.pk,
        "draft": draft(context, f"review:{film.pk}"),
    }


@register.simple_tag(takes_context=True)
def comment_thread(context, page, post=None):
    """The thread as the viewer sees it: the shared public thread (`community.shared_lists`), or,
    for a member with comments of their own that are not public (waiting, hidden after reports),
    the thread rendered for them alone."""
    request = context["request"]
    user = request.user
    shown = shared_lists.public_thread(request, page, post)
    if user.is_authenticated:
        own = comments.thread_of(page, post).own_seen_by(user)
        public = {item.pk for top in shown for item in (top, *top.shown_replies)}
        if set(own.values_list("pk", flat=True)) - public:
            shown = shared_lists.comment_items(comments.thread(page, user, post))
    return {
        "comments": shown,
        "may_pin": viewer.may_write_on(request, page),
        "draft": draft(context, f"comment:{page.pk}:{post.pk if post else ''}:"),
    }


@register.simple_tag(takes_context=True)
def follow_state(context, target):
    user = context["request"].user
    return {
        "following": follows.is_following(user, target),
        "count": follows.follower_count(target),
    }


@register.simple_tag(takes_context=True)
def draft(context, key: str) -> str:
    """What the member wrote in a refused post (put back in the form once, then forgotten)."""
    request = context["request"]
    if not hasattr(request, "session") or not request.user.is_authenticated:
        return ""
    drafts = request.session.get("community_drafts") or {}
    if key not in drafts:
        return ""
    body = drafts.pop(key)
    request.session["community_drafts"] = drafts
    return body


@register.filter
def stars(value) -> str:
    value = int(value or 0)
    return "★" * value + "☆" * (5 - value)
