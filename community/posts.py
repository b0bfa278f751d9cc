"""Who may read a creator's post: everyone for a public one; for the others the page's creator and
staff, and the backers (any amount, or from the post's tier up, counted after refunds) or the buyers
of the film the post is for. Everyone else gets the title and the teaser, never the body or media."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from donations.models import PAID_STATUSES, Order, OrderKind
from donations.payments import purchase_refusal
from films.models import FilmBasePage
from videos.access import is_staff_member
from watching.models import Entitlement

from .models import Post, PostAudience


def published():
    return Post.objects.filter(published_at__isnull=False, published_at__lte=timezone.now(), hidden_at__isnull=True)


def backed_amount_ok(user, post: Post) -> bool:
    orders = Order.objects.filter(
        member=user, project_id=post.page_id, kind=OrderKind.DONATION, status__in=PAID_STATUSES
    )
    if post.minimum_tier_id is None:
        return orders.filter(amount__gt=F("refunded_amount")).exists()
    threshold = post.minimum_tier.amount
    return orders.annotate(kept=F("amount") - F("refunded_amount")).filter(kept__gte=threshold).exists()


def can_read(user, post: Post) -> bool:
    if post.audience == PostAudience.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if user.pk in (post.author_id, post.page.owner_id) or is_staff_member(user):
        return True
    if post.audience == PostAudience.BACKERS:
        return backed_amount_ok(user, post)
    if post.audience == PostAudience.BUYERS:
        return Entitlement.objects.active().filter(user=user, film_id=post.page_id).exists()
    return False


# --- who writes, and where a post can be opened ---------------------------------------------------


def may_write_on(user, page) -> bool:
    """Creators post on their own project or film page; staff on any."""
    return user.is_authenticated and (page.owner_id == user.pk or is_staff_member(user))


def may_edit(user, post: Post) -> bool:
    """The author while the page is still theirs, and staff."""
    if not user.is_authenticated:
        return False
    return is_staff_member(user) or (post.author_id == user.pk and post.page.owner_id == user.pk)


def shown():
    """Published posts on pages everyone may open (live, without a view restriction)."""
    return published().filter(page__in=FilmBasePage.objects.live().public().values("pk"))


def may_open(user, post: Post) -> bool:
    """Whether `user` may open the post's page at all (title and teaser): a shown post, or a draft,
    hidden post or one on an unpublished page for those who may edit it."""
    return shown().filter(pk=post.pk).exists() or may_edit(user, post)


def unlock_path(user, post: Post) -> tuple[str, str] | None:
    """What would let `user` read `post`: ("back", the donation form, set to the post's tier) or
    ("buy", the film's purchase), through the log-in form for a visitor; None when nothing on
    sale would open it (a public post, a film not for sale yet)."""
    if post.audience == PostAudience.BACKERS:
        kind, path = "back", reverse("donations:donate", args=[post.page_id])
        if post.minimum_tier_id:
            path += "?" + urlencode({"tier": post.minimum_tier_id})
    elif post.audience == PostAudience.BUYERS and purchase_refusal(post.page) is None:
        kind, path = "buy", reverse("donations:buy", args=[post.page_id])
    else:
        return None
    if not user.is_authenticated:
        path = reverse("account_login") + "?" + urlencode({"next": path})
    return kind, path
