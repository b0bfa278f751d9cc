"""A premiere's chat: who may write and moderate, what is kept, and what every connection is told.

Writing follows the community's rules (community/moderation.py), not a copy of them:
- `check_can_post` refuses visitors, closed accounts and members blocked from posting (a site-wide
  `PostingBlock`, which staff can also set from the chat);
- `hold_reason` judges the words: staff and the page's owner are trusted; a watched word or a link
  would make a review or comment wait for approval. A live chat has no approval queue (a message
  approved minutes later would answer a moment that has passed), so here they are refused with the
  reason, and the member may rephrase. A new account's first posts also wait in the community; in
  the chat they are shown, because members often sign up to join a premiere, and the owner and
  staff moderate the chat as it happens (delete, time out, block).
A ticketed premiere's chat is written by those who may watch it (ticket holders, the page's owner,
staff); other members read it. On top of those, the chat's own pace: a member waits the premiere's slow mode (at least
LIVE_CHAT_MIN_INTERVAL seconds) between two messages, and a member timed out of this premiere's
chat waits until the time-out ends.

Every change is sent to the premiere's group while the premiere's row is locked, so each connection
receives new messages in the order of their ids; a connection (live/consumers.py) resumes from the
last id it has.
"""

from __future__ import annotations

import json
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community import moderation
from community.models import Action, HoldReason
from community.moderation import Refused

from .access import may_watch_premiere
from .models import ChatKind, ChatMessage, ChatTimeout, Premiere, PremiereStatus

MAX_TIMEOUT_MINUTES = 24 * 60
MAX_SLOW_MODE_SECONDS = 600


def group_name(premiere_id: int) -> str:
    return f"live-chat-{premiere_id}"


def may_moderate(user, premiere: Premiere) -> bool:
    """The page's owner and staff pin, answer, delete, time out and set the slow mode."""
    if not user.is_authenticated:
        return False
    return premiere.page.owner_id == user.pk or moderation.is_staff(user)


def is_open(premiere: Premiere) -> bool:
    """Members write before and during the premiere; afterwards its chat is the replay's history."""
    return premiere.status in (PremiereStatus.SCHEDULED, PremiereStatus.LIVE)


def stream_start(premiere: Premiere):
    """What chat times are counted from in the replay: when the stream went live, else its planned start."""
    return premiere.went_live_at or premiere.starts_at


def message_data(message: ChatMessage, start) -> dict:
    """A message as connections and the history API send it."""
    return {
        "id": message.pk,
        "author": {"id": message.author_id, "name": str(message.author.public_name)},
        "body": message.body,
        "kind": message.kind,
        "created_at": message.created_at.isoformat(),
        "offset": int((message.created_at - start).total_seconds()),
        "pinned": message.pinned,
        "answered": message.answered,
    }


def shown_messages(premiere: Premiere):
    return premiere.chat_messages.filter(deleted_at__isnull=True).select_related("author")


def history(premiere: Premiere, after: int | None, limit: int) -> tuple[list[dict], bool]:
    """Messages after id `after` (the latest ones when None), oldest first, at most `limit`.

    The flag says messages were left out: more than `limit` came after `after`, so the client shows
    a gap rather than pretending it has them all.
    """
    messages = shown_messages(premiere)
    if after is not None:
        messages = messages.filter(pk__gt=after)
    latest = list(messages.order_by("-pk")[: limit + 1])
    left_out = len(latest) > limit and after is not None
    start = stream_start(premiere)
    return [message_data(message, start) for message in reversed(latest[:limit])], left_out


def moderation_state(premiere: Premiere) -> dict:
    """What a connecting client may have missed on messages it already has, or never had: the pinned
    messages (whole), the ids of answered and deleted ones. Short lists (moderators mark few
    messages), sent on every connection."""
    shown = shown_messages(premiere)
    return {
        "pinned": [message_data(message, stream_start(premiere)) for message in shown.filter(pinned=True)],
        "answered": list(shown.filter(answered=True).values_list("pk", flat=True)),
        "deleted": list(premiere.chat_messages.filter(deleted_at__isnull=False).values_list("pk", flat=True)),
    }


def _broadcast(premiere_id: int, event: dict) -> None:
    """Send `event` to every connection of the premiere, encoded once here rather than by each of them
    (a message to 200 connections would otherwise be encoded 200 times)."""
    layer_event = {"type": "chat.event", "text": json.dumps(event), "message_id": event.get("message", {}).get("id")}
    async_to_sync(get_channel_layer().group_send)(group_name(premiere_id), layer_event)


def _locked(premiere_id: int) -> Premiere:
    return Premiere.objects.select_for_update().select_related("page").get(pk=premiere_id)


def _check_may_write(user, premiere: Premiere, now) -> None:
    moderation.check_can_post(user)
    if not is_open(premiere):
        raise Refused(_("This premiere has ended: its chat is closed."), 403)
    if not may_watch_premiere(user, premiere):
        raise Refused(_("The chat of a ticketed premiere is for ticket holders."), 403)
    timeout = ChatTimeout.objects.filter(premiere=premiere, member=user, until__gt=now).order_by("-until").first()
    if timeout is not None:
        until = date_format(timezone.localtime(timeout.until), "TIME_FORMAT")
        raise Refused(_("You were timed out of this chat until %(until)s.") % {"until": until}, 403)
    if may_moderate(user, premiere):
        return
    interval = max(float(premiere.chat_slow_mode_seconds), settings.LIVE_CHAT_MIN_INTERVAL)
    last = (
        ChatMessage.objects.filter(premiere=premiere, author=user, created_at__gt=now - timedelta(seconds=interval))
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None:
        wait = max(1, round(interval - (now - last).total_seconds()))
        message = ngettext(
            "Slow mode is on: wait %(seconds)s second before your next message.",
            "Slow mode is on: wait %(seconds)s seconds before your next message.",
            wait,
        )
        raise Refused(message % {"seconds": wait}, 429)


def post(user, premiere_id: int, body: str, kind: str) -> ChatMessage:
    """Write a message or question to the chat and send it to every connection."""
    if kind not in ChatKind.values:
        raise Refused(_("Choose a message or a question."))
    cleaned = moderation.validate_body(body, settings.LIVE_CHAT_MAX_LENGTH)
    with transaction.atomic():
        premiere = _locked(premiere_id)
        if kind == ChatKind.QUESTION and not premiere.has_qa:
            raise Refused(_("This premiere has no Q&A."))
        now = timezone.now()
        _check_may_write(user, premiere, now)
        hold = moderation.hold_reason(user, cleaned, premiere.page.owner_id)
        if hold == HoldReason.WATCHED_WORD:
            raise Refused(_("Your message contains a word that is not allowed here."), 403)
        if hold == HoldReason.LINK:
            raise Refused(_("Links cannot be posted in the chat."), 403)
        message = ChatMessage.objects.create(premiere=premiere, author=user, body=cleaned, kind=kind, created_at=now)
        _broadcast(premiere.pk, {"type": "message", "message": message_data(message, stream_start(premiere))})
    return message


def _moderated_message(user, premiere_id: int, message_id: int) -> tuple[Premiere, ChatMessage]:
    premiere = _locked(premiere_id)
    if not may_moderate(user, premiere):
        raise Refused(_("You may not do that."), 403)
    message = premiere.chat_messages.filter(pk=message_id, deleted_at__isnull=True).first()
    if message is None:
        raise Refused(_("This message is no longer in the chat."), 404)
    return premiere, message


def mark(user, premiere_id: int, message_id: int, *, pinned: bool | None = None, answered: bool | None = None) -> None:
    """Pin or unpin a message, mark a question answered or not: the owner's and staff's."""
    with transaction.atomic():
        premiere, message = _moderated_message(user, premiere_id, message_id)
        if answered is not None and message.kind != ChatKind.QUESTION:
            raise Refused(_("Only questions can be marked answered."))
        if pinned is not None:
            message.pinned = pinned
        if answered is not None:
            message.answered = answered
        message.save(update_fields=["pinned", "answered"])
        _broadcast(
            premiere.pk, {"type": "update", "id": message.pk, "pinned": message.pinned, "answered": message.answered}
        )


def delete(user, premiere_id: int, message_id: int) -> None:
    with transaction.atomic():
        premiere, message = _moderated_message(user, premiere_id, message_id)
        message.deleted_at, message.deleted_by = timezone.now(), user
        message.save(update_fields=["deleted_at", "deleted_by"])
        moderation.log_chat(Action.CHAT_DELETE, message.author_id, user, _where(premiere), message.body)
        _broadcast(premiere.pk, {"type": "delete", "id": message.pk})


def _where(premiere: Premiere, minutes: int | None = None) -> str:
    """The moderation log's note of the chat (in the site's language: staff read the log)."""
    with translation.override(settings.LANGUAGE_CODE):
        where = _("Chat of the premiere “%(title)s” (#%(id)s)") % {"title": premiere.title, "id": premiere.pk}
        if minutes is not None:
            where += " · " + ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}
    return where


def time_out(user, premiere_id: int, message_id: int, minutes: int) -> ChatTimeout:
    """Keep the author of a message out of this premiere's chat for `minutes`; their message goes."""
    if not 1 <= minutes <= MAX_TIMEOUT_MINUTES:
        raise Refused(_("Choose between 1 and %(most)s minutes.") % {"most": MAX_TIMEOUT_MINUTES})
    with transaction.atomic():
        premiere, message = _moderated_message(user, premiere_id, message_id)
        if may_moderate(message.author, premiere):
            raise Refused(_("The page's owner and staff cannot be timed out."), 403)
        now = timezone.now()
        timeout = ChatTimeout.objects.create(
            premiere=premiere, member=message.author, until=now + timedelta(minutes=minutes), by=user
        )
        message.deleted_at, message.deleted_by = now, user
        message.save(update_fields=["deleted_at", "deleted_by"])
        moderation.log_chat(Action.CHAT_TIMEOUT, message.author_id, user, _where(premiere, minutes), message.body)
        _broadcast(premiere.pk, {"type": "delete", "id": message.pk})
    return timeout


def block(user, premiere_id: int, message_id: int, reason: str) -> None:
    """Staff block the author of a message from posting anywhere (the community's block, logged
    there); their message goes."""
    with transaction.atomic():
        premiere, message = _moderated_message(user, premiere_id, message_id)
        moderation.block(user, message.author, reason)
        message.deleted_at, message.deleted_by = timezone.now(), user
        message.save(update_fields=["deleted_at", "deleted_by"])
        _broadcast(premiere.pk, {"type": "delete", "id": message.pk})


def set_slow_mode(user, premiere_id: int, seconds: int) -> None:
    if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
        raise Refused(_("Choose between 0 and %(most)s seconds.") % {"most": MAX_SLOW_MODE_SECONDS})
    with transaction.atomic():
        premiere = _locked(premiere_id)
        if not may_moderate(user, premiere):
            raise Refused(_("You may not do that."), 403)
        premiere.chat_slow_mode_seconds = seconds
        premiere.save(update_fields=["chat_slow_mode_seconds"])
        _broadcast(premiere.pk, {"type": "slow_mode", "seconds": seconds})
