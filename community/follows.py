"""Following a director (a credited person, or a member who creates) or a page (a project or a
film). Follows reach the notification system through the `notification_followers(page)` hook
(`followers_of`): a page's followers, its owner's, and those of the directors it credits."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from films.choices import CreditRole
from films.models import Credit, FilmBasePage, Person

from .models import Follow
from .moderation import Refused

TARGETS = ("person", "member", "page")
# A follower count is dropped whenever a follow starts or ends; the limit only bounds a missed one.
FOLLOWER_COUNT_SECONDS = 60 * 60


def target_filter(target) -> dict:
    if isinstance(target, Person):
        return {"person": target}
    if isinstance(target, FilmBasePage):
        return {"page_id": target.pk}
    if isinstance(target, get_user_model()):
        return {"member": target}
    raise TypeError(f"cannot follow {target!r}")


def follow(user, target) -> bool:
    """True when this started a follow (False: already following)."""
    if not user.is_authenticated:
        raise Refused(_("Log in to follow."), 401)
    if isinstance(target, get_user_model()):
        if target.pk == user.pk:
            raise Refused(_("You cannot follow yourself."))
        if not target.is_active or target.deleted_at:
            raise Refused(_("This member is not here any more."), 404)
    if isinstance(target, FilmBasePage) and not target.live:
        raise Refused(_("This page is not published."), 404)
    try:
        with transaction.atomic():
            Follow.objects.create(follower=user, **target_filter(target))
    except IntegrityError:
        return False
    return True


def unfollow(user, target) -> bool:
    if not user.is_authenticated:
        return False
    deleted, _rows = Follow.objects.filter(follower=user, **target_filter(target)).delete()
    return bool(deleted)


def is_following(user, target) -> bool:
    return user.is_authenticated and Follow.objects.filter(follower=user, **target_filter(target)).exists()


def _count_key(kind: str, pk) -> str:
    return f"community:followers:{kind}:{pk}"


def _target_key(target) -> str:
    ((field, value),) = target_filter(target).items()
    return _count_key(field.removesuffix("_id"), getattr(value, "pk", value))


def follower_count(target) -> int:
    """How many follow `target`, from the cache until a follow of it starts or ends (`forget_count`)."""
    key = _target_key(target)
    count = cache.get(key)
    if count is None:
        count = Follow.objects.filter(**target_filter(target)).count()
        cache.set(key, count, FOLLOWER_COUNT_SECONDS)
    return count


def forget_count(follow: Follow) -> None:
    """Drop the cached count of what `follow` follows, now and again when the transaction commits
    (a page rendered in between would otherwise keep the count from before it)."""
    keys = [
        _count_key(kind, pk)
        for kind, pk in (("person", follow.person_id), ("member", follow.member_id), ("page", follow.page_id))
        if pk is not None
    ]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def followers_of(page):
    """The members following `page`, its owner, or a director it credits."""
    # From the table, not `page.credits` (a page object's cluster may hold unsaved credits).
    directors = Credit.objects.filter(page_id=page.pk, role=CreditRole.DIRECTOR).values("person_id")
    condition = Q(page_id=page.pk) | Q(person_id__in=directors)
    if page.owner_id:
        condition |= Q(member_id=page.owner_id)
    return get_user_model().objects.filter(pk__in=Follow.objects.filter(condition).values("follower_id"))
