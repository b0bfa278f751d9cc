"""Who may post, what waits for approval, and what staff and creators do about what was posted.

Rules for a new review or comment (and for an edited one, whose new words are judged again):
- a member blocked from posting, or not signed in, is refused (`Refused`, HTTP 403);
- the (COMMUNITY_POSTS_PER_MINUTE + 1)th post within 60 seconds is refused (HTTP 429), counted
  in the database so every process agrees;
- staff, and the creator of the page written on, are trusted: their posts appear at once;
- otherwise a post waits for approval when it contains a watched word, or a link, or when its
  author's account is younger than COMMUNITY_NEW_MEMBER_DAYS and none of their posts has been
  approved yet (a new account's first posts);
- anything else appears at once.

A post reported by COMMUNITY_REPORTS_TO_HIDE members is hidden until staff decide. Every decision
(approve, hide, restore, delete, dismiss the reports, warn, block, lift a block; a creator hiding a
comment on their page) is written to `ModerationAction` with who took it and why, under a lock on
the post, so two moderators clicking at once log one change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from page_cache.cache import invalidate_all_pages
from videos.access import is_staff_member

from . import text
from .models import (
    Action,
    Comment,
    HoldReason,
    ModerationAction,
    PostingBlock,
    Report,
    Review,
    Status,
    WatchedWord,
)
from .ratings import recount
from .signals import member_warned

RATE_WINDOW = timedelta(seconds=60)


@dataclass
class Refused(Exception):
    """A post, report or decision that cannot be taken; `status` is the HTTP status that says why."""

    message: str
    status: int = 400

    def __str__(self):
        return str(self.message)


def is_staff(user) -> bool:
    return is_staff_member(user)


def block_in_force(user) -> PostingBlock | None:
    return PostingBlock.objects.in_force().filter(member=user).order_by("-created_at").first()


def check_can_post(user) -> None:
    if not user.is_authenticated:
        raise Refused(_("Log in to post."), 401)
    if not user.is_active or user.deleted_at:
        raise Refused(_("This account cannot post."), 403)
    block = block_in_force(user)
    if block is not None:
        if block.until is None:
            raise Refused(_("You can no longer post here."), 403)
        until = date_format(timezone.localtime(block.until), "DATETIME_FORMAT")
        raise Refused(_("You cannot post until %(until)s.") % {"until": until}, 403)
    since = timezone.now() - RATE_WINDOW
    recent = (
        Review.objects.filter(author=user, created_at__gte=since).count()
        + Review.objects.filter(author=user, edited_at__gte=since).count()
        + Comment.objects.filter(author=user, created_at__gte=since).count()
    )
    if recent >= settings.COMMUNITY_POSTS_PER_MINUTE:
        raise Refused(_("You are posting too fast. Wait a minute and try again."), 429)


def validate_body(body: str, max_length: int, *, required: bool = True) -> str:
    cleaned = text.clean(body)
    if required and not cleaned:
        raise Refused(_("Write something first."))
    if len(cleaned) > max_length:
        raise Refused(
            _("Keep it under %(limit)s characters (this is %(length)s).")
            % {"limit": f"{max_length:,}", "length": f"{len(cleaned):,}"}
        )
    return cleaned


def watched_word_in(body: str) -> str | None:
    haystack = text.comparable(body)
    for word in WatchedWord.objects.values_list("word", flat=True):
        needle = text.comparable(word)
        if needle and needle in haystack:
            return word
    return None


def hold_reason(user, body: str, page_owner_id: int | None) -> str:
    """Why a post by `user` on a page owned by `page_owner_id` must wait, or "" to show it at once."""
    if is_staff(user) or (page_owner_id is not None and user.pk == page_owner_id):
        return HoldReason.NONE
    if watched_word_in(body):
        return HoldReason.WATCHED_WORD
    if text.has_link(body):
        return HoldReason.LINK
    new_until = user.date_joined + timedelta(days=settings.COMMUNITY_NEW_MEMBER_DAYS)
    if timezone.now() < new_until and not _has_approved_post(user):
        return HoldReason.NEW_MEMBER
    return HoldReason.NONE


def _has_approved_post(user) -> bool:
    return (
        Review.objects.filter(author=user, status=Status.VISIBLE).exists()
        or Comment.objects.filter(author=user, status=Status.VISIBLE).exists()
    )


def status_for(hold: str) -> str:
    return Status.PENDING if hold else Status.VISIBLE


# --- what anyone does --------------------------------------------------------------


def report(user, target, reason: str = "") -> bool:
    """`user` reports a review or comment; True when this report was new. Hides the post once enough
    members have reported it."""
    if not user.is_authenticated:
        raise Refused(_("Log in to report."), 401)
    if target.author_id == user.pk:
        raise Refused(_("You cannot report your own post."), 403)
    if not target.is_public:
        raise Refused(_("This post is not shown."), 404)
    reason = text.clean(reason)[:200]
    field = "review" if isinstance(target, Review) else "comment"
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        try:
            with transaction.atomic():
                Report.objects.create(reporter=user, reason=reason, **{field: locked})
        except IntegrityError:
            return False  # reported before: counted once
        type(target).objects.filter(pk=locked.pk).update(report_count=F("report_count") + 1)
        locked.refresh_from_db(fields=["report_count", "status"])
        if locked.status == Status.VISIBLE and locked.report_count >= settings.COMMUNITY_REPORTS_TO_HIDE:
            locked.status = Status.REPORTED
            locked.save(update_fields=["status"])
            _changed(locked)
    target.refresh_from_db()
    return True


def delete_own(user, target) -> None:
    if target.author_id != user.pk:
        raise Refused(_("You can only delete your own posts."), 403)
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.status == Status.DELETED:
            return
        was_public = locked.is_public
        locked.status = Status.DELETED
        locked.save(update_fields=["status"])
        if was_public:
            _changed(locked)
    target.refresh_from_db()


# --- what staff and creators decide --------------------------------------------------

# action → (statuses it applies to, the status it leaves)
TRANSITIONS = {
    Action.APPROVE: ({Status.PENDING, Status.REPORTED, Status.HIDDEN}, Status.VISIBLE),
    Action.RESTORE: ({Status.HIDDEN, Status.REPORTED}, Status.VISIBLE),
    Action.DISMISS: ({Status.REPORTED, Status.VISIBLE}, Status.VISIBLE),
    Action.HIDE: ({Status.VISIBLE, Status.PENDING, Status.REPORTED}, Status.HIDDEN),
    Action.CREATOR_HIDE: ({Status.VISIBLE, Status.PENDING, Status.REPORTED}, Status.HIDDEN),
    Action.DELETE: ({Status.VISIBLE, Status.PENDING, Status.REPORTED, Status.HIDDEN}, Status.DELETED),
}


def page_owner_id(target) -> int | None:
    return target.film.owner_id if isinstance(target, Review) else target.page.owner_id


def may_decide(user, target, action: str) -> bool:
    if is_staff(user):
        return action != Action.CREATOR_HIDE
    # The creator of the page may hide comments on it; never reviews of their own film (ratings
    # the rated could remove would be worth nothing): those they report, like anyone.
    return (
        action == Action.CREATOR_HIDE
        and isinstance(target, Comment)
        and user.is_authenticated
        and page_owner_id(target) == user.pk
    )


def decide(user, target, action: str, reason: str = "") -> bool:
    """Apply a staff (or creator) decision to a review or comment; False when it was already so."""
    if not may_decide(user, target, action):
        raise Refused(_("You may not do that."), 403)
    allowed_from, to = TRANSITIONS[action]
    reason = text.clean(reason)[:500]
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.status not in allowed_from:
            return False
        was_public = locked.is_public
        locked.status = to
        fields = ["status"]
        if to == Status.HIDDEN:
            locked.hidden_by, locked.hidden_at, locked.hidden_reason = user, timezone.now(), reason
            fields += ["hidden_by", "hidden_at", "hidden_reason"]
        if action in (Action.APPROVE, Action.DISMISS, Action.RESTORE):
            locked.held_for = HoldReason.NONE
            fields.append("held_for")
            if locked.report_count:
                # Reports staff have looked at no longer count towards hiding it again.
                locked.reports.all().delete()
                locked.report_count = 0
                fields.append("report_count")
        locked.save(update_fields=fields)
        _log(action, locked.author_id, user, reason, locked)
        if was_public != locked.is_public:
            _changed(locked)
    target.refresh_from_db()
    return True


def warn(staff, member, reason: str) -> None:
    if not is_staff(staff):
        raise Refused(_("You may not do that."), 403)
    reason = text.clean(reason)[:500]
    if not reason:
        raise Refused(_("Say why."))
    with transaction.atomic():
        logged = _log(Action.WARN, member.pk, staff, reason)
        transaction.on_commit(
            lambda: member_warned.send_robust(sender=None, member=member, reason=reason, action_id=logged.pk)
        )


def block(staff, member, reason: str, until=None) -> PostingBlock:
    """Stop `member` posting until `until` (None: for good). Their posts leave public view meanwhile."""
    if not is_staff(staff):
        raise Refused(_("You may not do that."), 403)
    if is_staff(member):
        raise Refused(_("Staff cannot be blocked here."), 403)
    reason = text.clean(reason)[:500]
    if not reason:
        raise Refused(_("Say why."))
    if until is not None and until <= timezone.now():
        raise Refused(_("Choose a time in the future, or block for good."))
    with transaction.atomic():
        posting_block = PostingBlock.objects.create(member=member, until=until, reason=reason, by=staff)
        _log(Action.BLOCK, member.pk, staff, reason)
        _author_changed(member)
    return posting_block


def unblock(staff, member, reason: str = "") -> int:
    if not is_staff(staff):
        raise Refused(_("You may not do that."), 403)
    with transaction.atomic():
        lifted = PostingBlock.objects.filter(member=member, lifted_at__isnull=True).update(lifted_at=timezone.now())
        if lifted:
            _log(Action.UNBLOCK, member.pk, staff, text.clean(reason)[:500])
            _author_changed(member)
    return lifted


def log_chat(action: str, member_id: int, by, where: str, body: str) -> ModerationAction:
    """A moderation in a premiere's chat (`Action.CHAT_DELETE`, `Action.CHAT_TIMEOUT`), in the same
    log as the community's: `where` names the chat (and the time-out's length), `body` the message."""
    assert action in (Action.CHAT_DELETE, Action.CHAT_TIMEOUT)
    return ModerationAction.objects.create(
        action=action,
        member_id=member_id,
        by=by if by is not None and by.is_authenticated else None,
        reason=where[:500],
        excerpt=text.excerpt(body, 200),
    )


def _log(action, member_id, by, reason, target=None) -> ModerationAction:
    return ModerationAction.objects.create(
        action=action,
        member_id=member_id,
        by=by if by is not None and by.is_authenticated else None,
        reason=reason,
        review=target if isinstance(target, Review) else None,
        comment=target if isinstance(target, Comment) else None,
        excerpt=text.excerpt(target.body, 200) if target is not None else "",
    )


def _changed(target) -> None:
    """A post entered or left public view: recount its film's rating, retire cached pages."""
    if isinstance(target, Review):
        recount(target.film_id)
    transaction.on_commit(invalidate_all_pages)


def _author_changed(member) -> None:
    """A member's posts all entered or left public view (a block, a lifted block, a deletion)."""
    for film_id in Review.objects.filter(author=member).values_list("film_id", flat=True):
        recount(film_id)
    transaction.on_commit(invalidate_all_pages)
