"""The public reviews of a film and the public comments of a thread, rendered once and shared by
every viewer (`page_cache.fragments.shared`, per page-cache generation and language).

What everyone sees of a review or a comment (author, date, stars, text) is rendered into `html`
once; what differs per viewer (the "report", "delete", "pin" and "hide" controls, the reply form,
the viewer's own review in its form, their own comments still waiting for approval) is rendered
around these items on each request. Writing, approving, hiding or deleting a review or comment
retires the page-cache generation (`reviews.submit`, `comments.submit`, `moderation._changed`, and
the rating's `invalidates_pages`), so a shared list is never older than the page's public state:
the same rule that retires the visitor's whole cached copy of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from page_cache.fragments import shared

from . import comments
from .models import Review

REVIEWS_ON_PAGE = 20
# Two more than the page shows: whether there are more is still known once the viewer's own is left out.
REVIEWS_KEPT = REVIEWS_ON_PAGE + 2


@dataclass
class SharedItem:
    """A review or comment as the shared list keeps it: its public HTML and what the viewer's
    controls need to know."""

    pk: int
    author_id: int
    html: str
    status: str = "visible"
    pinned_at: datetime | None = None
    by_creator: bool = False
    shown_replies: list[SharedItem] = field(default_factory=list)


def review_items(reviews) -> list[SharedItem]:
    return [
        SharedItem(review.pk, review.author_id, render_to_string("community/review.html", {"review": review}))
        for review in reviews
    ]


def comment_items(thread) -> list[SharedItem]:
    """`comments.thread`'s top-level comments (with their `shown_replies`) as items."""

    def item(comment) -> SharedItem:
        return SharedItem(
            comment.pk,
            comment.author_id,
            render_to_string("community/comments/comment.html", {"comment": comment}),
            status=comment.status,
            pinned_at=comment.pinned_at,
            by_creator=comment.by_creator,
            shown_replies=[item(reply) for reply in getattr(comment, "shown_replies", [])],
        )

    return [item(comment) for comment in thread]


def public_reviews(request, film) -> list[SharedItem]:
    """The film's first public reviews, newest first, as every viewer sees them."""

    def compute():
        public = Review.objects.public().filter(film_id=film.pk).select_related("author")[:REVIEWS_KEPT]
        return review_items(public)

    return shared(request, f"reviews:{film.pk}", compute)


def public_thread(request, page, post=None) -> list[SharedItem]:
    """The thread's public comments (pinned first, then oldest first, with their replies)."""
    return shared(
        request,
        f"comments:{page.pk}:{post.pk if post else ''}",
        lambda: comment_items(comments.thread(page, AnonymousUser(), post)),
    )
