"""The moderation queue in the Wagtail admin: who may open it and act (staff only), what each
action leaves in the database, how members' words are shown (escaped), and the watched words."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from community import comments, moderation, reviews
from community.admin_views import PER_PAGE
from community.models import Action, Comment, HoldReason, ModerationAction, PostingBlock, Status, WatchedWord
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("community_moderation:queue")
LOG = reverse("community_moderation:log")
LOGIN = reverse("wagtailadmin_login")
HOME = reverse("wagtailadmin_home")
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")

# Every Korean word the fixtures put on the page (names, posts, reasons); what is left of a page in
# English once these are taken out must hold no Korean.
KOREAN = {
    "creator": "박감독",
    "newcomer": "새내기",
    "veteran": "오래된회원",
    "staff": "운영자",
    "film": "우리들의 여름",
    "project": "바다로 가는 길",
    "first_review": "처음 남기는 후기입니다",
    "cheer": "끝까지 응원합니다",
    "report_reason": "광고 같아요",
    "reporter": "신고자",
}


def english(user):
    """The user reads the admin in English (Wagtail's profile setting)."""
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return user


def veteran(**kwargs):
    """A member whose account is old enough that their posts appear at once."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)


@pytest.fixture
def world():
    creator = english(CreatorFactory(display_name=KOREAN["creator"]))
    film = FilmPageFactory(title=KOREAN["film"], owner=creator)
    project = FundingProjectPageFactory(title=KOREAN["project"], owner=creator)
    newcomer = UserFactory(display_name=KOREAN["newcomer"])
    member = veteran(display_name=KOREAN["veteran"])
    pending = reviews.submit(newcomer, film, 4, KOREAN["first_review"])
    shown = comments.submit(member, project, KOREAN["cheer"])
    staff = english(StaffUserFactory(display_name=KOREAN["staff"]))
    assert (pending.status, pending.held_for, shown.status) == (Status.PENDING, HoldReason.NEW_MEMBER, Status.VISIBLE)
    return SimpleNamespace(
        creator=creator,
        film=film,
        project=project,
        newcomer=newcomer,
        member=member,
        pending=pending,
        shown=shown,
        staff=staff,
    )


def decide_url(target):
    kind = "review" if target._meta.model_name == "review" else "comment"
    return reverse("community_moderation:decide", args=[kind, target.pk])


def member_url(member):
    return reverse("community_moderation:member", args=[member.pk])


def signed_in(role, world) -> Client:
    """A client for `role`: nobody, a member (no admin access), the page's creator (admin access,
    not staff) or staff."""
    client = Client()
    user = {"anonymous": None, "member": world.member, "creator": world.creator, "staff": world.staff}[role]
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


# --- who may do what: (role) × (open, approve, hide, delete, warn, block, unblock) ---------------


def _open(client, world):
    return client.get(QUEUE)


def _approve(client, world):
    return client.post(decide_url(world.pending), {"action": "approve", "reason": "괜찮은 글", "next": QUEUE})


def _hide(client, world):
    return client.post(decide_url(world.shown), {"action": "hide", "reason": "주제와 무관", "next": QUEUE})


def _delete(client, world):
    return client.post(decide_url(world.pending), {"action": "delete", "reason": "스팸", "next": QUEUE})


def _warn(client, world):
    return client.post(member_url(world.member), {"action": "warn", "reason": "말조심 부탁드려요", "next": QUEUE})


def _block(client, world):
    return client.post(member_url(world.member), {"action": "block-7", "reason": "반복된 욕설", "next": QUEUE})


def _unblock(client, world):
    return client.post(member_url(world.member), {"action": "unblock", "reason": "기간 단축", "next": QUEUE})


def _state(world):
    world.pending.refresh_from_db()
    world.shown.refresh_from_db()
    return {
        "pending": world.pending.status,
        "shown": world.shown.status,
        "log": sorted(ModerationAction.objects.values_list("action", flat=True)),
        "blocks": list(PostingBlock.objects.values_list("member_id", "until", "lifted_at")),
    }


REQUESTS = {
    "open": _open,
    "approve": _approve,
    "hide": _hide,
    "delete": _delete,
    "warn": _warn,
    "block": _block,
    "unblock": _unblock,
}


@pytest.mark.parametrize("what", REQUESTS)
@pytest.mark.parametrize("role", ["anonymous", "member", "creator"])
def test_only_staff_may_open_the_queue_or_act(world, role, what):
    """Nobody, members and the page's creator are turned away and change nothing."""
    if what == "unblock":
        moderation.block(StaffUserFactory(), world.member, "도배", until=timezone.now() + timedelta(days=1))
    before = _state(world)
    response = REQUESTS[what](signed_in(role, world), world)
    assert response.status_code == 302
    if role == "creator":  # may use the admin, not this: Wagtail's "no permission" redirect
        assert response.url == HOME
        assert len(messages_of(response)) == 1
    else:
        assert response.url.startswith(LOGIN)
    assert _state(world) == before


def test_staff_open_the_queue(world):
    """Staff see what waits, with why it waits."""
    response = signed_in("staff", world).get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert KOREAN["first_review"] in page
    assert "A new member&#x27;s first post" in page
    assert KOREAN["cheer"] not in page  # shown, unreported: not waiting


def test_staff_approve(world):
    """Approving shows the post and logs it once, with who and why."""
    response = _approve(signed_in("staff", world), world)
    assert (response.status_code, response.url) == (302, QUEUE)
    assert _state(world)["pending"] == Status.VISIBLE
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.by, entry.member, entry.review, entry.reason) == (
        Action.APPROVE,
        world.staff,
        world.newcomer,
        world.pending,
        "괜찮은 글",
    )
    assert messages_of(response) == ["Approved: it is shown now."]


def test_staff_hide(world):
    """Hiding takes the post out of view and records who hid it, when and why."""
    response = _hide(signed_in("staff", world), world)
    assert (response.status_code, response.url) == (302, QUEUE)
    world.shown.refresh_from_db()
    assert (world.shown.status, world.shown.hidden_by, world.shown.hidden_reason) == (
        Status.HIDDEN,
        world.staff,
        "주제와 무관",
    )
    assert world.shown.hidden_at is not None
    assert list(ModerationAction.objects.values_list("action", "comment")) == [(Action.HIDE, world.shown.pk)]


def test_staff_delete(world):
    """Deleting marks the post deleted and keeps its words in the log."""
    response = _delete(signed_in("staff", world), world)
    assert response.status_code == 302
    assert _state(world)["pending"] == Status.DELETED
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.excerpt, entry.reason) == (Action.DELETE, KOREAN["first_review"], "스팸")


def test_staff_warn(world):
    """A warning is logged against the member and blocks nothing."""
    response = _warn(signed_in("staff", world), world)
    assert response.status_code == 302
    assert list(ModerationAction.objects.values_list("action", "member", "by")) == [
        (Action.WARN, world.member.pk, world.staff.pk)
    ]
    assert not PostingBlock.objects.exists()
    assert messages_of(response) == [f"{KOREAN['veteran']} was warned."]


@pytest.mark.parametrize(
    ("button", "days"), [("block-1", 1), ("block-7", 7), ("block-30", 30), ("block-forever", None)]
)
def test_staff_block_for_a_day_a_week_a_month_or_for_good(world, button, days):
    """Each block button blocks the author for its time (or with no end) and logs it."""
    before = timezone.now()
    response = signed_in("staff", world).post(
        member_url(world.member), {"action": button, "reason": "반복된 욕설", "next": QUEUE}
    )
    assert response.status_code == 302
    block = PostingBlock.objects.get()
    assert (block.member, block.by, block.reason, block.lifted_at) == (world.member, world.staff, "반복된 욕설", None)
    if days is None:
        assert block.until is None
    else:
        assert before + timedelta(days=days) <= block.until <= timezone.now() + timedelta(days=days)
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [Action.BLOCK]
    world.shown.refresh_from_db()
    assert not Comment.objects.public().filter(pk=world.shown.pk).exists()  # their posts leave view


def test_staff_unblock(world):
    """Lifting ends the block in force and logs it."""
    moderation.block(world.staff, world.member, "도배", until=timezone.now() + timedelta(days=7))
    response = _unblock(signed_in("staff", world), world)
    assert response.status_code == 302
    assert PostingBlock.objects.get().lifted_at is not None
    assert sorted(ModerationAction.objects.values_list("action", flat=True)) == [Action.BLOCK, Action.UNBLOCK]
    assert messages_of(response) == [f"{KOREAN['veteran']} may post again."]


# --- how requests are taken -------------------------------------------------------------


def test_a_double_post_of_the_same_approval_logs_one_action(world):
    """The second click finds it approved: nothing changes, nothing more is logged, staff are told."""
    client = signed_in("staff", world)
    first, second = _approve(client, world), _approve(client, world)
    assert (first.status_code, second.status_code) == (302, 302)
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [Action.APPROVE]
    assert _state(world)["pending"] == Status.VISIBLE
    assert messages_of(second)[-1:] == ["Nothing changed: the post was already so (someone may have decided first)."]


def test_actions_need_the_csrf_token(world):
    """A POST without the token is refused before anything happens."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = _approve(client, world)
    assert response.status_code == 403
    assert _state(world)["pending"] == Status.PENDING
    assert not ModerationAction.objects.exists()


def test_actions_are_post_only(world):
    """A GET on an action's address does nothing."""
    client = signed_in("staff", world)
    assert client.get(decide_url(world.pending), {"action": "approve"}).status_code == 405
    assert client.get(member_url(world.member), {"action": "block-forever"}).status_code == 405
    assert _state(world)["pending"] == Status.PENDING
    assert not PostingBlock.objects.exists()


def test_the_redirect_keeps_the_filter_but_never_leaves_the_site(world):
    """Back to the tab and page the form was on; an outside address falls back to the queue."""
    client = signed_in("staff", world)
    here = f"{QUEUE}?tab=reported&p=2"
    response = client.post(decide_url(world.shown), {"action": "dismiss", "next": here})
    assert response.url == here
    response = client.post(decide_url(world.shown), {"action": "hide", "next": "https://evil.example/"})
    assert response.url == QUEUE


def test_a_refused_action_shows_the_services_reason(world):
    """Blocking staff or warning without a reason is refused with the service's message; nothing is written."""
    client = signed_in("staff", world)
    response = client.post(member_url(StaffUserFactory()), {"action": "block-forever", "reason": "왜", "next": QUEUE})
    assert messages_of(response) == ["Staff cannot be blocked here."]
    response = client.post(member_url(world.member), {"action": "warn", "reason": "  ", "next": QUEUE})
    assert messages_of(response)[-1:] == ["Say why."]
    assert not PostingBlock.objects.exists()
    assert not ModerationAction.objects.exists()


def test_an_unknown_action_is_an_error_not_a_change(world):
    """A forged action value is refused by the form."""
    response = signed_in("staff", world).post(decide_url(world.pending), {"action": "creator_hide", "next": QUEUE})
    assert messages_of(response) == ["Choose what to do with the post."]
    assert _state(world)["pending"] == Status.PENDING
    assert not ModerationAction.objects.exists()


# --- what the queue shows ------------------------------------------------------------------


def report_three_times(target, reason=""):
    for _ in range(3):
        moderation.report(veteran(display_name=KOREAN["reporter"]), target, reason)
    target.refresh_from_db()


def test_reported_posts_show_the_reports_reasons_and_count(world, settings):
    """Under "Reported": the post hidden by reports, how many and why."""
    settings.COMMUNITY_REPORTS_TO_HIDE = 3
    report_three_times(world.shown, KOREAN["report_reason"])
    assert world.shown.status == Status.REPORTED
    page = signed_in("staff", world).get(QUEUE, {"tab": "reported"}).content.decode()
    assert KOREAN["cheer"] in page
    assert "Reports: 3" in page
    assert page.count(KOREAN["report_reason"]) == 3
    assert 'value="dismiss"' in page


def test_hidden_posts_say_who_hid_them_staff_or_the_pages_creator(world):
    """Under "Hidden": by whom (and in what role), when and why."""
    moderation.decide(world.creator, world.shown, Action.CREATOR_HIDE, "도배성 댓글")
    page = signed_in("staff", world).get(QUEUE, {"tab": "hidden"}).content.decode()
    assert KOREAN["creator"] in page
    assert "(the page's creator)" in page
    assert "도배성 댓글" in page


def test_hostile_text_is_shown_escaped(world, settings):
    """Script and event-handler markup in posts, reports and names is printed as text, never run."""
    settings.COMMUNITY_REPORTS_TO_HIDE = 3
    attacker = UserFactory(display_name='<svg onload="alert(3)">')
    review = reviews.submit(attacker, FilmPageFactory(owner=world.creator), 1, "<script>alert('xss')</script>")
    comment = comments.submit(veteran(), world.project, "<img src=x onerror=alert(1)>")
    report_three_times(comment, "<b onmouseover=alert(2)>신고</b>")
    client = signed_in("staff", world)
    pending = client.get(QUEUE, {"tab": "pending"}).content.decode()
    reported = client.get(QUEUE, {"tab": "reported"}).content.decode()
    assert review.status == Status.PENDING
    assert "<script>alert(" not in pending
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in pending
    assert "<svg onload" not in pending
    assert "&lt;svg onload=&quot;alert(3)&quot;&gt;" in pending
    assert "<img src=x onerror" not in reported
    assert "&lt;img src=x onerror=alert(1)&gt;" in reported
    assert "<b onmouseover" not in reported
    assert "&lt;b onmouseover=alert(2)&gt;" in reported


def test_the_watched_word_that_held_a_post_is_named(world):
    """A post held for a watched word says which word."""
    WatchedWord.objects.create(word="도박")
    comment = comments.submit(veteran(), world.project, "도박 사이트 홍보")
    assert comment.held_for == HoldReason.WATCHED_WORD
    page = signed_in("staff", world).get(QUEUE).content.decode()
    assert "Contains a watched word" in page
    assert "(“도박”)" in page


def test_the_queue_pages_through_reviews_and_comments_together(world):
    """Twenty to a page with Wagtail's pagination, reviews and comments in one list, newest first."""
    for n in range(PER_PAGE):
        Comment.objects.create(
            page=world.project,
            author=world.member,
            body=f"링크 있는 댓글 {n}",
            status=Status.PENDING,
            held_for=HoldReason.LINK,
            created_at=timezone.now() - timedelta(minutes=n + 1),
        )
    world.pending.created_at = timezone.now() - timedelta(days=1)
    world.pending.save(update_fields=["created_at"])
    client = signed_in("staff", world)
    first = client.get(QUEUE).content.decode()
    second = client.get(QUEUE, {"p": 2}).content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count('class="moderation-item"') == PER_PAGE
    assert "링크 있는 댓글 0" in first and KOREAN["first_review"] not in first
    assert second.count('class="moderation-item"') == 1 and KOREAN["first_review"] in second


def test_the_queue_filters_by_member(world):
    """?member= keeps one author's posts."""
    comments.submit(world.newcomer, world.project, "두 번째 글")
    page = signed_in("staff", world).get(QUEUE, {"tab": "all", "member": world.member.pk}).content.decode()
    assert KOREAN["cheer"] in page
    assert KOREAN["first_review"] not in page and "두 번째 글" not in page


# --- the menu, the log, the watched words ---------------------------------------------------


def test_the_menu_item_is_for_staff_with_the_number_waiting(world, settings):
    """Staff see "Moderation" with pending + reported as its badge; creators do not see it."""
    settings.COMMUNITY_REPORTS_TO_HIDE = 3
    report_three_times(world.shown)
    staff_home = signed_in("staff", world).get(HOME).content.decode()
    assert QUEUE in staff_home
    assert '"data-waiting": "2"' in staff_home  # the pending review and the reported comment
    assert "Moderation: 2 waiting" in staff_home
    creator_home = signed_in("creator", world).get(HOME)
    assert creator_home.status_code == 200
    assert QUEUE not in creator_home.content.decode()


def test_the_log_lists_actions_and_filters_by_member(world):
    """Who did what to whom, the post's words and why; ?member= keeps one member's."""
    client = signed_in("staff", world)
    _approve(client, world)
    _warn(client, world)
    everyone = client.get(LOG).content.decode()
    assert "<td>Approved</td>" in everyone and "<td>Warned</td>" in everyone
    assert KOREAN["first_review"] in everyone and "말조심 부탁드려요" in everyone
    one = client.get(LOG, {"member": world.member.pk}).content.decode()
    assert "<td>Warned</td>" in one and "<td>Approved</td>" not in one
    searched = client.get(LOG, {"q": world.newcomer.email}).content.decode()
    assert "<td>Approved</td>" in searched and "<td>Warned</td>" not in searched


def test_staff_manage_watched_words_and_creators_cannot(world):
    """The watched-word snippet is staff's: they add words; a creator is turned away."""
    add = reverse("wagtailsnippets_community_watchedword:add")
    creator = signed_in("creator", world)
    assert creator.get(add).url == HOME
    creator.post(add, {"word": "사기"})
    assert not WatchedWord.objects.exists()
    staff = signed_in("staff", world)
    assert staff.get(reverse("wagtailsnippets_community_watchedword:list")).status_code == 200
    response = staff.post(add, {"word": "사기"})
    print(
        response.status_code,
        getattr(response, "url", None),
        response.content.decode()[-3000:] if response.status_code == 200 else "",
    )
    assert list(WatchedWord.objects.values_list("word", flat=True)) == ["사기"]


def test_the_english_admin_has_no_korean_of_ours(world, settings):
    """With the admin in English, every page here is English but for the members' own words."""
    settings.COMMUNITY_REPORTS_TO_HIDE = 3
    report_three_times(world.shown, KOREAN["report_reason"])
    client = signed_in("staff", world)
    _approve(client, world)  # a log entry (its reason is the only other Korean)
    moderation.decide(world.creator, world.shown, Action.CREATOR_HIDE, "")
    words = [*KOREAN.values(), "괜찮은 글"]
    for url, params in [
        (QUEUE, {"tab": "pending"}),
        (QUEUE, {"tab": "reported"}),
        (QUEUE, {"tab": "hidden"}),
        (QUEUE, {"tab": "all"}),
        (LOG, {}),
    ]:
        page = client.get(url, params).content.decode()
        for word in words:
            page = page.replace(word, "")
        assert not HANGUL.findall(page), (url, params, set(HANGUL.findall(page)))
