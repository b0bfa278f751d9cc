"""What film and project pages show of the community: reviews with the rating, comment threads,
follow buttons, and members' words as safe HTML (`community_text`)."""

from __future__ import annotations

from django import template

from community import comments, follows, text
from community.models import Follow, Review

register = template.Library()

REVIEWS_ON_PAGE = 20


@register.filter
def community_text(value):
    return text.render(value or "")


@register.simple_tag(takes_context=True)
def film_reviews(context, film):
    """The film's reviews as the viewer sees them (newest first, their own on top), the figures,
    and whether they may write one."""
    request = context["request"]
    user = request.user
    shown = list(Review.objects.seen_by(user).filter(film_id=film.pk).select_related("author")[: REVIEWS_ON_PAGE + 2])
    mine = next((r for r in shown if r.author_id == user.pk), None) if user.is_authenticated else None
    if mine is None and user.is_authenticated:
        mine = Review.objects.filter(film_id=film.pk, author=user).exclude(status="deleted").first()
    listed = [r for r in shown if mine is None or r.pk != mine.pk]
    average, count = film.rating_figures
    return {
        "mine": mine,
        "reviews": listed[:REVIEWS_ON_PAGE],
        "more": len(listed) > REVIEWS_ON_PAGE,
        "average": average,
        "count": count,
        "stars": round(average) if average else 0,
        "may_review": user.is_authenticated and film.owner_id != user.pk,
        "draft": draft(context, f"review:{film.pk}"),
    }


@register.simple_tag(takes_context=True)
def comment_thread(context, page, post=None):
    user = context["request"].user
    return {
        "comments": comments.thread(page, user, post),
        "may_pin": user.is_authenticated and (page.owner_id == user.pk or comments.is_staff(user)),
        "draft": draft(context, f"comment:{page.pk}:{post.pk if post else ''}:"),
    }


@register.simple_tag(takes_context=True)
def follow_state(context, target):
    user = context["request"].user
    return {
        "following": follows.is_following(user, target),
        "count": Follow.objects.filter(**follows.target_filter(target)).count(),
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
