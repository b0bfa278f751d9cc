"""The premiere chat's WebSocket: /ws/live/<premiere_id>/chat/[?after=<id>&lang=<code>].

Anyone may connect to the chat of a published page's premiere and read it; members write, the
page's owner and staff moderate (live/chat.py holds the rules). Frames, all JSON:

from the server
    {"type": "hello", "can_write", "needs_ticket", "can_moderate", "can_block", "slow_mode", "has_qa", "open",
     "pinned": [message…], "answered": [id…], "deleted": [id…], "gap": bool}
    {"type": "message", "message": {id, author, body, kind, created_at, offset, pinned, answered}}
    {"type": "update", "id", "pinned", "answered"}   {"type": "delete", "id"}
    {"type": "slow_mode", "seconds"}
    {"type": "error", "code", "message"}            (a refused action, in the client's language)
from the client
    {"action": "send", "body", "kind": "message"|"question"}
    {"action": "pin"|"unpin"|"answer"|"unanswer"|"delete", "id"}
    {"action": "timeout", "id", "minutes"}   {"action": "block", "id", "reason"}
    {"action": "slow_mode", "seconds"}

Resuming without loss or repeats: the connection joins the premiere's group first, then reads the
messages after `after` under the premiere's lock (so no message can be sent to the group before
the join yet committed after the read), and sends them. Group events that arrived meanwhile wait
in the channel until `connect` returns; messages among them with an id the history already
covered are dropped. Ids reach each connection in increasing order (live/chat.py sends them under
the same lock), so the client's largest id is a complete cursor.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from community.moderation import Refused

from . import chat
from .access import may_watch_premiere
from .models import Premiere

CODE_FOR_STATUS = {401: "not_authenticated", 403: "permission_denied", 404: "not_found", 429: "throttled"}
# Close codes in the application range (4000–4999): the premiere does not exist or is not public.
CLOSE_NOT_FOUND = 4404


def language_for(scope: dict, requested: str) -> str:
    """The client's language: the page's (sent as `lang`), else the language cookie, else Accept-Language."""
    supported = {code for code, _name in settings.LANGUAGES}
    if requested in supported:
        return requested
    headers = dict(scope.get("headers", []))
    cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin1"))
    if settings.LANGUAGE_COOKIE_NAME in cookie and cookie[settings.LANGUAGE_COOKIE_NAME].value in supported:
        return cookie[settings.LANGUAGE_COOKIE_NAME].value
    accept = headers.get(b"accept-language", b"").decode("latin1")
    for code, _quality in translation.trans_real.parse_accept_lang_header(accept):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def whole_number(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode("latin1"))
        self.premiere_id = self.scope["url_route"]["kwargs"]["premiere_id"]
        self.language = language_for(self.scope, query.get("lang", [""])[0])
        self.user = self.scope["user"]
        self.group = chat.group_name(self.premiere_id)
        # Live messages up to this id were in the history sent on connecting: they are dropped.
        self.covered_through = 0
        if not await database_sync_to_async(self._premiere_is_public)():
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        after = whole_number(query.get("after", [None])[0])
        hello, messages = await database_sync_to_async(self._opening)(after)
        await self.send_json(hello)
        for message in messages:
            await self.send_json({"type": "message", "message": message})
        self.covered_through = max([after or 0, *(message["id"] for message in messages)])

    def _premiere_is_public(self) -> bool:
        return Premiere.objects.filter(pk=self.premiere_id, page__live=True).exists()

    def _opening(self, after: int | None) -> tuple[dict, list[dict]]:
        with transaction.atomic(), translation.override(self.language):
            # The premiere's lock: a message being written now is either committed before this read
            # or sent to the group after it, which this connection has already joined.
            premiere = Premiere.objects.select_for_update().select_related("page").get(pk=self.premiere_id)
            messages, gap = chat.history(premiere, after, settings.LIVE_CHAT_HISTORY)
            state = chat.moderation_state(premiere)
            can_moderate = chat.may_moderate(self.user, premiere)
            # A ticketed premiere's chat is for those who may watch it; a member without a ticket reads.
            needs_ticket = self.user.is_authenticated and not may_watch_premiere(self.user, premiere)
            hello = {
                "type": "hello",
                "can_write": self.user.is_authenticated and chat.is_open(premiere) and not needs_ticket,
                "needs_ticket": needs_ticket and chat.is_open(premiere),
                "can_moderate": can_moderate,
                "can_block": can_moderate and chat.moderation.is_staff(self.user),
                "slow_mode": premiere.chat_slow_mode_seconds,
                "has_qa": premiere.has_qa,
                "open": chat.is_open(premiere),
                "gap": gap,
                **state,
            }
        return hello, messages

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def chat_event(self, event):
        """A change in the premiere's chat, sent by live/chat.py to the group, already encoded."""
        if event["message_id"] is not None and event["message_id"] <= self.covered_through:
            return
        await self.send(text_data=event["text"])

    async def receive_json(self, content, **kwargs):
        with translation.override(self.language):
            if not isinstance(content, dict):
                await self._refuse(Refused(_("That is not something the chat understands.")))
                return
            if not self.user.is_authenticated:
                await self._refuse(Refused(_("Log in to join the chat."), 401))
                return
            try:
                await database_sync_to_async(self._act)(content)
            except Refused as refusal:
                await self._refuse(refusal)

    def _act(self, content: dict) -> None:
        action, user, premiere_id = content.get("action"), self.user, self.premiere_id
        with translation.override(self.language):
            if action == "send":
                chat.post(user, premiere_id, str(content.get("body", "")), str(content.get("kind", "message")))
            elif action == "slow_mode":
                chat.set_slow_mode(user, premiere_id, self._number(content, "seconds"))
            elif action in {"pin", "unpin"}:
                chat.mark(user, premiere_id, self._number(content, "id"), pinned=action == "pin")
            elif action in {"answer", "unanswer"}:
                chat.mark(user, premiere_id, self._number(content, "id"), answered=action == "answer")
            elif action == "delete":
                chat.delete(user, premiere_id, self._number(content, "id"))
            elif action == "timeout":
                chat.time_out(user, premiere_id, self._number(content, "id"), self._number(content, "minutes"))
            elif action == "block":
                chat.block(user, premiere_id, self._number(content, "id"), str(content.get("reason", "")))
            else:
                raise Refused(_("That is not something the chat understands."))

    @staticmethod
    def _number(content: dict, key: str) -> int:
        value = content.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(_("That is not something the chat understands."))
        return value

    async def _refuse(self, refusal: Refused) -> None:
        code = CODE_FOR_STATUS.get(refusal.status, "bad_request")
        await self.send_json({"type": "error", "code": code, "message": str(refusal.message)})
