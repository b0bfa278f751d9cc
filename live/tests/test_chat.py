"""The premiere chat over WebSockets (live/consumers.py, live/chat.py) and its history API.

Each test drives the consumer with Channels' WebsocketCommunicator inside `async_to_sync`, so the
consumer's database calls run on the test's own thread and connection, inside the test's
transaction. Channels closes "old" connections around each of those calls, which on PostgreSQL
would close the test's connection in the middle of its transaction; like Django's test client
(which disconnects the same clean-up from its request signals), the tests leave it out.
"""

import json
from datetime import timedelta

import channels.db
import pytest
from asgiref.sync import async_to_sync
from bs4 import BeautifulSoup
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from community.models import ModerationAction, PostingBlock, WatchedWord
from films.tests.factories import FilmPageFactory, film_index
from live.chat import group_name
from live.models import ChatMessage, ChatTimeout, Premiere, PremiereStatus
from live.routing import websocket_urlpatterns
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from reelvision.asgi import application

pytestmark = pytest.mark.django_db

ROUTER = URLRouter(websocket_urlpatterns)


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)


@pytest.fixture
def owner():
    return CreatorFactory()


@pytest.fixture
def premiere(owner):
    page = FilmPageFactory(parent=film_index(), owner=owner)
    return Premiere.objects.create(
        page=page, title="Premiere", starts_at=timezone.now() - timedelta(minutes=5), has_qa=True
    )


def socket(premiere, user=None, *, after=None, lang="en") -> WebsocketCommunicator:
    query = f"lang={lang}" + (f"&after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(ROUTER, f"/ws/live/{premiere.pk}/chat/?{query}")
    communicator.scope["user"] = user or AnonymousUser()
    return communicator


async def opened(communicator) -> tuple[dict, list[dict]]:
    """Connect, and read the hello frame and the history that follows it."""
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    hello = await communicator.receive_json_from(timeout=10)
    assert hello["type"] == "hello"
    history = []
    while not await communicator.receive_nothing(timeout=0.2):
        history.append((await communicator.receive_json_from())["message"])
    return hello, history


async def send(communicator, **frame) -> dict:
    await communicator.send_json_to(frame)
    return await communicator.receive_json_from(timeout=10)


def run(scenario):
    async_to_sync(scenario)()


def test_a_visitor_reads_the_chat_but_cannot_write(premiere):
    """A visitor connects, is told they cannot write, and a message they send anyway is refused."""

    async def scenario():
        visitor = socket(premiere)
        hello, _ = await opened(visitor)
        assert hello["can_write"] is False and hello["can_moderate"] is False
        answer = await send(visitor, action="send", body="hello", kind="message")
        assert answer == {"type": "error", "code": "not_authenticated", "message": "Log in to join the chat."}
        await visitor.disconnect()

    run(scenario)
    assert not ChatMessage.objects.exists()


def test_a_member_message_reaches_every_connection(premiere):
    """A member's message is saved and sent to the writer and to a visitor alike."""
    member = UserFactory()

    async def scenario():
        writer, reader = socket(premiere, member), socket(premiere)
        hello, _ = await opened(writer)
        assert hello["can_write"] is True
        await opened(reader)
        sent = await send(writer, action="send", body="  반가워요  ", kind="message")
        received = await reader.receive_json_from(timeout=10)
        assert sent == received
        assert received["message"]["body"] == "반가워요"
        assert received["message"]["author"]["name"] == member.display_name
        await writer.disconnect()
        await reader.disconnect()

    run(scenario)
    assert ChatMessage.objects.get().author == member


def test_slow_mode_refuses_a_second_message_with_the_wait(premiere):
    """With a 30-second slow mode, a member's second message is refused, saying how long to wait."""
    premiere.chat_slow_mode_seconds = 30
    premiere.save()
    member = UserFactory()

    async def scenario():
        writer = socket(premiere, member)
        await opened(writer)
        assert (await send(writer, action="send", body="first", kind="message"))["type"] == "message"
        refused = await send(writer, action="send", body="second", kind="message")
        assert refused["code"] == "throttled"
        assert refused["message"].startswith("Slow mode is on: wait ")
        await writer.disconnect()

    run(scenario)
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["first"]


def test_refusals_speak_the_pages_language(premiere):
    """A refusal comes in the language the page asked for (Korean here)."""
    member = UserFactory()
    PostingBlock.objects.create(member=member, reason="spam")

    async def scenario():
        writer = socket(premiere, member, lang="ko")
        await opened(writer)
        refused = await send(writer, action="send", body="hello", kind="message")
        assert refused["message"] == "더 이상 글을 쓸 수 없습니다."
        await writer.disconnect()

    run(scenario)


def test_the_owner_is_not_slowed(premiere, owner):
    """The page's owner writes as often as they like."""
    premiere.chat_slow_mode_seconds = 30
    premiere.save()

    async def scenario():
        writer = socket(premiere, owner)
        await opened(writer)
        for body in ("one", "two"):
            assert (await send(writer, action="send", body=body, kind="message"))["type"] == "message"
        await writer.disconnect()

    run(scenario)


def test_a_watched_word_is_refused_as_the_community_would_hold_it(premiere, owner):
    """A member's message with a watched word is refused (the community would hold it); the owner's is not."""
    WatchedWord.objects.create(word="스포일러")
    member = UserFactory()

    async def scenario():
        writer, creator = socket(premiere, member), socket(premiere, owner)
        await opened(writer)
        await opened(creator)
        refused = await send(writer, action="send", body="결말 스포일러 있음", kind="message")
        assert refused == {
            "type": "error",
            "code": "permission_denied",
            "message": "Your message contains a word that is not allowed here.",
        }
        link = await send(writer, action="send", body="see https://example.com", kind="message")
        assert link["code"] == "permission_denied"
        assert (await send(creator, action="send", body="스포일러 금지!", kind="message"))["type"] == "message"
        await writer.disconnect()
        await creator.disconnect()

    run(scenario)
    assert list(ChatMessage.objects.values_list("author", flat=True)) == [owner.pk]


def test_a_member_blocked_from_posting_cannot_chat(premiere):
    """A community posting block keeps a member out of the chat with the community's words."""
    member = UserFactory()
    PostingBlock.objects.create(member=member, reason="spam")

    async def scenario():
        writer = socket(premiere, member)
        hello, _ = await opened(writer)
        refused = await send(writer, action="send", body="hello", kind="message")
        assert refused == {"type": "error", "code": "permission_denied", "message": "You can no longer post here."}
        await writer.disconnect()

    run(scenario)


def test_the_owner_pins_answers_and_deletes_for_everyone(premiere, owner):
    """Pins, answers and deletions reach every connection; a late connection is told of them in its hello."""
    member = UserFactory()

    async def scenario():
        asker, creator = socket(premiere, member), socket(premiere, owner)
        await opened(asker)
        hello, _ = await opened(creator)
        assert hello["can_moderate"] is True and hello["can_block"] is False
        question = (await send(asker, action="send", body="어디서 찍었나요?", kind="question"))["message"]
        assert (await creator.receive_json_from(timeout=10))["message"] == question
        other = (await send(creator, action="send", body="welcome", kind="message"))["message"]
        assert (await asker.receive_json_from(timeout=10))["message"] == other
        for action, expected in (
            ("pin", {"type": "update", "id": question["id"], "pinned": True, "answered": False}),
            ("answer", {"type": "update", "id": question["id"], "pinned": True, "answered": True}),
            ("delete", {"type": "delete", "id": other["id"]}),
        ):
            target = other["id"] if action == "delete" else question["id"]
            assert await send(creator, action=action, id=target) == expected
            assert await asker.receive_json_from(timeout=10) == expected
        late = socket(premiere)
        hello, history = await opened(late)
        assert [message["id"] for message in hello["pinned"]] == [question["id"]]
        assert hello["answered"] == [question["id"]] and hello["deleted"] == [other["id"]]
        assert [message["id"] for message in history] == [question["id"]]
        for communicator in (asker, creator, late):
            await communicator.disconnect()

    run(scenario)
    deleted = ModerationAction.objects.get(action="chat_delete")
    assert (deleted.by, deleted.reason.count(premiere.title)) == (owner, 1)


def test_other_members_cannot_moderate(premiere):
    """A member who is neither the owner nor staff may not pin, answer, delete or time out."""
    author, other = UserFactory(), UserFactory()
    message = ChatMessage.objects.create(premiere=premiere, author=author, body="hi", kind="question")

    async def scenario():
        meddler = socket(premiere, other)
        hello, _ = await opened(meddler)
        assert hello["can_moderate"] is False
        for frame in (
            {"action": "pin", "id": message.pk},
            {"action": "answer", "id": message.pk},
            {"action": "delete", "id": message.pk},
            {"action": "timeout", "id": message.pk, "minutes": 5},
            {"action": "slow_mode", "seconds": 60},
        ):
            assert await send(meddler, **frame) == {
                "type": "error",
                "code": "permission_denied",
                "message": "You may not do that.",
            }
        await meddler.disconnect()

    run(scenario)
    message.refresh_from_db()
    assert (message.pinned, message.answered, message.deleted_at) == (False, False, None)
    assert premiere.chat_slow_mode_seconds == 0 and not ChatTimeout.objects.exists()


def test_a_timed_out_member_waits_and_staff_can_block(premiere):
    """The owner's time-out silences a member in this chat; staff's block is the community's block."""
    member, staff = UserFactory(), StaffUserFactory()

    async def scenario():
        writer, moderator = socket(premiere, member), socket(premiere, staff)
        await opened(writer)
        hello, _ = await opened(moderator)
        assert hello["can_block"] is True
        message = (await send(writer, action="send", body="spam", kind="message"))["message"]
        await moderator.receive_json_from(timeout=10)
        assert await send(moderator, action="timeout", id=message["id"], minutes=10) == {
            "type": "delete",
            "id": message["id"],
        }
        await writer.receive_json_from(timeout=10)  # the deletion
        refused = await send(writer, action="send", body="again", kind="message")
        assert refused["message"].startswith("You were timed out of this chat until ")
        await writer.disconnect()
        await moderator.disconnect()

    run(scenario)
    assert ChatTimeout.objects.get().member == member
    spam = ChatMessage.objects.create(premiere=premiere, author=member, body="more", kind="message")

    async def blocking():
        moderator = socket(premiere, staff)
        await opened(moderator)
        assert (await send(moderator, action="block", id=spam.pk, reason="spam"))["type"] == "delete"
        await moderator.disconnect()

    run(blocking)
    assert PostingBlock.objects.in_force().filter(member=member).exists()
    # Every step is in the community's moderation log, with the message's words.
    logged = [(a.action, a.member_id, a.by_id, a.excerpt) for a in ModerationAction.objects.order_by("pk")]
    assert logged == [
        ("chat_timeout", member.pk, staff.pk, "spam"),
        ("block", member.pk, staff.pk, ""),
    ]
    assert "10" in ModerationAction.objects.get(action="chat_timeout").reason


def test_reconnecting_with_after_gets_exactly_the_missed_messages(premiere):
    """A client that had messages up to id N and reconnects with after=N gets the ones after N, once
    each, in order, and then live ones."""
    writer_member, a_minute_ago = UserFactory(), timezone.now() - timedelta(minutes=1)
    earlier, missed = (
        [
            ChatMessage.objects.create(premiere=premiere, author=writer_member, body=body, created_at=a_minute_ago)
            for body in bodies
        ]
        for bodies in (["early 1", "early 2", "early 3"], ["missed 1", "missed 2", "missed 3", "missed 4"])
    )

    async def scenario():
        reader = socket(premiere, after=earlier[-1].pk)
        hello, history = await opened(reader)
        assert [message["id"] for message in history] == [message.pk for message in missed]
        assert hello["gap"] is False
        writer = socket(premiere, writer_member)
        await opened(writer)
        live = await send(writer, action="send", body="live", kind="message")
        assert await reader.receive_json_from(timeout=10) == live
        assert await reader.receive_nothing(timeout=0.3)
        await reader.disconnect()
        await writer.disconnect()

    run(scenario)


def test_a_broadcast_the_history_already_covered_is_not_sent_twice(premiere):
    """A message committed while a client connected is both in its history and in the group's
    buffer: it is sent once, and the next one still comes."""
    member = UserFactory()
    covered = ChatMessage.objects.create(premiere=premiere, author=member, body="during")

    async def scenario():
        reader = socket(premiere)
        _, history = await opened(reader)
        assert [message["id"] for message in history] == [covered.pk]
        layer = get_channel_layer()
        for message_id, body in ((covered.pk, "during"), (covered.pk + 1, "next")):
            event = {"type": "message", "message": {"id": message_id, "body": body}}
            text = json.dumps(event)
            await layer.group_send(
                group_name(premiere.pk), {"type": "chat.event", "text": text, "message_id": message_id}
            )
        assert (await reader.receive_json_from(timeout=10))["message"]["body"] == "next"
        assert await reader.receive_nothing(timeout=0.3)
        await reader.disconnect()

    run(scenario)


def test_a_premiere_on_an_unpublished_page_refuses_the_connection(premiere):
    """No chat for a page that is not live."""
    premiere.page.unpublish()

    async def scenario():
        connected, code = await socket(premiere).connect(timeout=10)
        assert (connected, code) == (False, 4404)

    run(scenario)


def test_an_ended_premiere_chat_is_read_only(premiere):
    """After the premiere, its chat is the replay's history: members read it but write no more."""
    premiere.status = PremiereStatus.ENDED
    premiere.save()
    member = UserFactory()

    async def scenario():
        writer = socket(premiere, member)
        hello, _ = await opened(writer)
        assert hello["open"] is False and hello["can_write"] is False
        refused = await send(writer, action="send", body="late", kind="message")
        assert refused["message"] == "This premiere has ended: its chat is closed."
        await writer.disconnect()

    run(scenario)


def test_the_history_api_pages_by_after(client, premiere):
    """GET /api/v2/premieres/<id>/chat/?after= lists the shown messages after an id, oldest first,
    with seconds from the stream's start."""
    premiere.went_live_at = premiere.starts_at
    premiere.save()
    member = UserFactory()
    messages = [
        ChatMessage.objects.create(
            premiere=premiere, author=member, body=f"m{n}", created_at=premiere.starts_at + timedelta(seconds=10 * n)
        )
        for n in range(4)
    ]
    messages[2].deleted_at = timezone.now()
    messages[2].save()
    url = reverse("premiere_chat", args=[premiere.pk])
    answer = client.get(url, {"after": messages[0].pk, "limit": 1}).json()
    assert answer["meta"] == {"total_count": 2}
    assert [(item["body"], item["offset"]) for item in answer["items"]] == [("m1", 10)]
    assert client.get(url, {"after": messages[1].pk}).json()["items"][0]["body"] == "m3"
    assert client.get(url, {"after": "x"}).status_code == 400
    premiere.page.unpublish()
    assert client.get(url).status_code == 404


def test_the_site_routes_websockets_with_the_log_in_session(client, premiere):
    """Through the site's ASGI application, a logged-in browser's socket writes as its member."""
    member = UserFactory()
    client.force_login(member)
    headers = [
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()),
    ]

    async def scenario():
        browser = WebsocketCommunicator(application, f"/ws/live/{premiere.pk}/chat/?lang=en", headers=headers)
        hello, _ = await opened(browser)
        assert hello["can_write"] is True
        assert (await send(browser, action="send", body="hi", kind="message"))["type"] == "message"
        await browser.disconnect()

    run(scenario)
    assert ChatMessage.objects.get().author == member


@override_settings(ALLOWED_HOSTS=["reelvision.example"], DEBUG=False)
def test_another_sites_page_cannot_open_the_chat(premiere):
    """The Origin must be one of ALLOWED_HOSTS (the site's stack, checked as in production)."""
    checked = AllowedHostsOriginValidator(application.application_mapping["websocket"].application)
    path = f"/ws/live/{premiere.pk}/chat/"

    async def scenario():
        for origin, accepted in ((b"https://evil.example", False), (b"https://reelvision.example", True)):
            communicator = WebsocketCommunicator(checked, path, headers=[(b"origin", origin)])
            connected, _ = await communicator.connect(timeout=10)
            assert connected is accepted
            await communicator.disconnect()

    run(scenario)


def test_the_replay_shows_the_chat_with_times_from_the_stream_start(premiere):
    """The past premiere's chat history: shown messages only, each at its time into the stream."""
    premiere.went_live_at = premiere.starts_at
    premiere.status = PremiereStatus.ENDED
    premiere.save()
    member = UserFactory()
    for seconds, body in ((-30, "곧 시작!"), (65, "첫 장면 좋아요"), (3725, "수고하셨습니다")):
        ChatMessage.objects.create(
            premiere=premiere, author=member, body=body, created_at=premiere.starts_at + timedelta(seconds=seconds)
        )
    ChatMessage.objects.create(
        premiere=premiere, author=member, body="지워진 글", created_at=premiere.starts_at, deleted_at=timezone.now()
    )
    html = Template("{% load live_chat_tags %}{% chat_history premiere %}").render(Context({"premiere": premiere}))
    rows = [
        " ".join(row.get_text(" ", strip=True).split())
        for row in BeautifulSoup(html, "html.parser").select(".chat-history__message")
    ]
    assert rows == [
        f"-0:30 {member.display_name} 곧 시작!",
        f"1:05 {member.display_name} 첫 장면 좋아요",
        f"1:02:05 {member.display_name} 수고하셨습니다",
    ]


def test_a_ticketed_premieres_chat_is_written_by_ticket_holders(owner):
    """A member without a ticket reads a ticketed premiere's chat and is told why they cannot write;
    with a ticket they write; the page's owner writes without one."""
    from donations.models import Order, OrderStatus
    from live.tickets import item

    page = FilmPageFactory(parent=film_index(), owner=owner)
    ticketed = Premiere.objects.create(page=page, title="Ticketed", starts_at=timezone.now(), ticket_price=5000)
    member = UserFactory()

    async def scenario(expect_write: bool, user):
        connection = socket(ticketed, user)
        hello, _ = await opened(connection)
        assert hello["can_write"] is expect_write
        assert hello["needs_ticket"] is (not expect_write)
        answer = await send(connection, action="send", body="안녕하세요", kind="message")
        if expect_write:
            assert answer["type"] == "message"
        else:
            assert answer["type"] == "error"
            assert answer["message"] == "The chat of a ticketed premiere is for ticket holders."
        await connection.disconnect()

    async_to_sync(scenario)(False, member)
    assert not ChatMessage.objects.exists()
    Order.objects.create(
        member=member,
        kind="ticket",
        film=page,
        item=item(ticketed),
        provider="sandbox",
        amount=5000,
        client_token="chat-ticket-token-0",
        status=OrderStatus.PAID,
    )
    async_to_sync(scenario)(True, member)
    async_to_sync(scenario)(True, owner)
    assert ChatMessage.objects.filter(premiere=ticketed).count() == 2
