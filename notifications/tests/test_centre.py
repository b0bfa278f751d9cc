"""The notification centre as members meet it: the bell, the list, settings, unsubscribe links, the
API, a creator's message to all backers, and the language their e-mails come in."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations import payments
from donations.tests.factories import paid_donation
from films.tests.factories import FundingProjectPageFactory
from films.tests.openapi import assert_matches_schema
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from notifications import delivery, unsubscribe
from notifications.models import EmailStatus, FanOut, Kind, Notification, Preferences

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
HEADLINE = re.compile(r'<span class="notification__headline">(.*?)</span>', re.S)
ENGLISH_HEADLINE = "Jisoo backed “Night Bus” with 5,000 KRW"

API_LIST = "/api/v2/me/notifications/"
API_READ = "/api/v2/me/notifications/read/"
API_SETTINGS = "/api/v2/me/notification-settings/"


# --- data -----------------------------------------------------------------------------------------


@pytest.fixture
def donate(django_capture_on_commit_callbacks):
    """Pay a donation and run what follows it on commit (the `order_paid` signal, its notification)."""

    def donate(project, member=None, amount=5000, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return paid_donation(project, member or UserFactory(), amount, **fields)

    return donate


@pytest.fixture
def refund(django_capture_on_commit_callbacks):
    def refund(order, amount=None):
        with django_capture_on_commit_callbacks(execute=True):
            return payments.refund(order, amount or order.amount, by=StaffUserFactory(), reason="Changed my mind")

    return refund


@pytest.fixture
def creator():
    return CreatorFactory(display_name="Director Han")


@pytest.fixture
def project(creator):
    return FundingProjectPageFactory(title="밤버스", title_en="Night Bus", owner=creator)


@pytest.fixture
def public_base(settings):
    """E-mailed links on an https public address, as in production."""
    settings.WAGTAILADMIN_BASE_URL = "https://reelvision.example"


def in_english(client):
    """The client asks for English pages (Accept-Language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def headlines(response) -> list[str]:
    return [" ".join(text.split()) for text in HEADLINE.findall(response.content.decode())]


def mails_to(mailoutbox, user) -> list:
    return [message for message in mailoutbox if message.to == [user.email]]


def scope_of(message) -> tuple[int, str] | None:
    """(member id, scope) of an e-mail's unsubscribe link."""
    path = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    return unsubscribe.read(path.rstrip("/").rsplit("/", 1)[1])


def notify_many(member, count: int):
    """`count` notifications of `member`'s, straight into the table (for paging: no e-mail, no cache),
    all at one time: newest first is then by id, whatever the clock did."""
    Notification.objects.bulk_create(
        Notification(recipient=member, kind=Kind.REFUND, key=f"many:{n}", params={"title": f"Film {n}", "amount": n})
        for n in range(count)
    )
    Notification.objects.filter(recipient=member).update(created_at=timezone.now())


def form_data(response) -> dict:
    """What the browser sends back from a form as shown: ticked boxes, chosen radios, filled-in values."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.widget.needs_multipart_form:
            continue  # no file chosen
        if getattr(field.widget, "input_type", None) == "checkbox":
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


# --- 1. the bell ----------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_to_eyes_and_screen_readers(client, donate, creator, project):
    """A new backer lights the bell on every member page: the number, and the words for screen readers."""
    in_english(client).force_login(creator)
    page = client.get(reverse("members:my_library")).content.decode()
    assert 'class="bell__count"' not in page and "unread" not in page
    donate(project, UserFactory(display_name="Jisoo"))
    assert Notification.objects.filter(recipient=creator, kind=Kind.NEW_BACKER, read_at__isnull=True).count() == 1
    page = client.get(reverse("members:my_library")).content.decode()
    assert '<span class="bell__count" aria-hidden="true">1</span>' in page
    assert '<span class="visually-hidden">Notifications: 1 unread</span>' in page


def test_the_bell_shows_99_plus_beyond_99_but_says_the_number(client):
    """The badge stops at 99+; screen readers still hear the real number."""
    member = UserFactory()
    notify_many(member, 100)
    in_english(client).force_login(member)
    page = client.get(reverse("members:my_library")).content.decode()
    assert '<span class="bell__count" aria-hidden="true">99+</span>' in page
    assert "Notifications: 100 unread" in page


def test_opening_a_notification_marks_it_read_and_goes_where_it_points(client, donate, creator, project):
    """POST to open: read from now on, and a redirect to the project's backers."""
    donate(project)
    notification = Notification.objects.get(recipient=creator)
    client.force_login(creator)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("donations:project_backers", args=[project.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert delivery.unread_count(creator) == 0


def test_a_notification_pointing_off_the_site_opens_the_list_instead(client, creator):
    """No open redirect: a url on another host sends the member to their notifications."""
    delivery.notify([creator], Kind.REFUND, "refund:x", {"amount": 1000}, "https://evil.example/")
    notification = Notification.objects.get(recipient=creator)
    client.force_login(creator)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_another_members_notification_is_a_404_and_changes_nothing(client, donate, creator, project):
    """Someone else's notification is not found, stays unread, and its owner's count stays."""
    donate(project)
    theirs = Notification.objects.get(recipient=creator)
    client.force_login(UserFactory())
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert delivery.unread_count(creator) == 1


def test_opening_by_get_is_refused(client, donate, creator, project):
    """Only a POST (the button) opens: a GET (a prefetch, a crawler) is a 405 and reads nothing."""
    donate(project)
    notification = Notification.objects.get(recipient=creator)
    client.force_login(creator)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_reads_the_members_own_notifications_only(client, donate, creator, project):
    """All of the member's notifications read, with a message saying how many; nobody else's."""
    for _ in range(2):
        donate(project)
    someone = UserFactory()
    delivery.notify([someone], Kind.REFUND, "refund:someone", {"amount": 1000})
    in_english(client).force_login(creator)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=creator, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=someone).read_at is None
    assert delivery.unread_count(creator) == 0 and delivery.unread_count(someone) == 1


def test_the_unread_count_is_cached_and_dropped_whenever_it_changes(client, donate, creator, project):
    """Read once and kept: a change behind the services' back is not seen, but every change they
    make (a new notification, one opened, all read) is counted again."""
    donate(project)
    assert delivery.unread_count(creator) == 1
    Notification.objects.filter(recipient=creator).update(read_at=timezone.now())
    assert delivery.unread_count(creator) == 1  # from the cache
    Notification.objects.filter(recipient=creator).update(read_at=None)

    donate(project)
    assert delivery.unread_count(creator) == 2
    client.force_login(creator)
    newest = Notification.objects.filter(recipient=creator).first()
    client.post(reverse("notifications:open", args=[newest.pk]))
    assert delivery.unread_count(creator) == 1
    in_english(client)
    assert "Notifications: 1 unread" in client.get(reverse("members:my_library")).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert delivery.unread_count(creator) == 0


def test_the_notification_pages_are_for_members_only(client):
    """Visitors are sent to log in."""
    for name in ("notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- 2. the list, in either language --------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "language"),
    [("cookie", "ko"), ("cookie", "en"), ("header", "ko"), ("header", "en")],
)
def test_the_list_words_a_notification_in_the_readers_language(client, donate, creator, project, how, language):
    """The same new backer reads all in Korean or all in English, whichever way the language is chosen."""
    donate(project, UserFactory(display_name="Jisoo"))
    client.force_login(creator)
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    else:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    [headline] = headlines(client.get(reverse("notifications:list")))
    if language == "en":
        assert headline == ENGLISH_HEADLINE
        assert not HANGUL.search(headline)
    else:
        assert "밤버스" in headline and "5,000" in headline and "Jisoo" in headline
        assert not LATIN.search(headline.replace("Jisoo", "")), headline


def test_the_list_pages_thirty_at_a_time(client):
    """31 notifications: 30 on the first page, the oldest alone on the second, none twice."""
    member = UserFactory()
    notify_many(member, 31)
    in_english(client).force_login(member)
    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert len(headlines(first)) == 30 and len(headlines(second)) == 1
    assert 'href="?page=2">Older</a>' in first.content.decode()
    assert 'href="?page=1">Newer</a>' in second.content.decode()
    assert headlines(second) == ["0 KRW was refunded for “Film 0”"]
    assert len(set(headlines(first) + headlines(second))) == 31


# --- 3. preferences -------------------------------------------------------------------------------


def save_preferences(client, **changes):
    """Submit the settings page as shown, with `changes` (a field name → a value, or None to untick)."""
    data = form_data(client.get(reverse("notifications:preferences")))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302 and response.url == reverse("notifications:preferences")


def test_a_kind_turned_off_is_not_notified_at_all(client, donate, creator, project, mailoutbox):
    """New backers unticked under "on the site": the donation is paid, the creator is told nothing."""
    client.force_login(creator)
    save_preferences(client, site_new_backer=None)
    assert Preferences.objects.get(user=creator).muted == [Kind.NEW_BACKER]
    order = donate(project)
    assert order.status == "paid"
    assert not Notification.objects.filter(recipient=creator).exists()
    assert not mails_to(mailoutbox, creator)


def test_a_kind_with_e_mail_off_is_notified_on_the_site_only(client, donate, creator, project, mailoutbox):
    """E-mail unticked: the notification is there, marked not e-mailed, and no e-mail goes."""
    client.force_login(creator)
    save_preferences(client, email_new_backer=None)
    donate(project)
    notification = Notification.objects.get(recipient=creator, kind=Kind.NEW_BACKER)
    assert notification.email_status == EmailStatus.NONE
    assert not mails_to(mailoutbox, creator)


def test_a_daily_digest_holds_the_e_mail_for_the_digest(client, donate, creator, project, mailoutbox):
    """Once a day: the notification waits for the digest instead of going at once."""
    client.force_login(creator)
    save_preferences(client, email="daily")
    donate(project)
    assert Notification.objects.get(recipient=creator).email_status == EmailStatus.DIGEST
    assert not mails_to(mailoutbox, creator)


def test_without_settings_a_new_backer_is_e_mailed_at_once(donate, creator, project, mailoutbox):
    """The defaults the three tests above change: on the site, and one e-mail at once."""
    donate(project)
    assert Notification.objects.get(recipient=creator).email_status == EmailStatus.SENT
    assert len(mails_to(mailoutbox, creator)) == 1


@pytest.mark.parametrize(
    ("make_member", "offered", "not_offered"),
    [
        (UserFactory, {"refund", "backers_message"}, {"new_backer", "video_processed", "submissions_waiting"}),
        (CreatorFactory, {"refund", "new_backer", "video_processed"}, {"submissions_waiting"}),
        (StaffUserFactory, {"refund", "new_backer", "submissions_waiting"}, set()),
    ],
    ids=["member", "creator", "staff"],
)
def test_the_settings_page_offers_the_kinds_a_member_can_receive(client, make_member, offered, not_offered):
    """Creators' kinds (new backers, reviews, videos) for creators and staff; the daily review digest for staff."""
    client.force_login(make_member())
    page = client.get(reverse("notifications:preferences")).content.decode()
    for kind in offered:
        assert f'name="site_{kind}"' in page and f'name="email_{kind}"' in page
    for kind in not_offered:
        assert f'name="site_{kind}"' not in page


def test_saving_the_page_keeps_the_kinds_it_did_not_show(client):
    """A member who stopped new-backer e-mails as a creator keeps that choice when saving as a plain member."""
    member = UserFactory()
    Preferences.objects.create(user=member, no_email=[Kind.NEW_BACKER])
    client.force_login(member)
    save_preferences(client, email_refund=None)
    assert Preferences.objects.get(user=member).no_email == [Kind.NEW_BACKER, Kind.REFUND]


# --- 4. unsubscribe links -------------------------------------------------------------------------


@pytest.fixture
def emailed(public_base, donate, creator, project, mailoutbox):
    """The creator's e-mail about a new backer, and its unsubscribe link's path."""
    donate(project)
    [message] = mails_to(mailoutbox, creator)
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    return message, urlsplit(link).path


def test_the_e_mail_carries_one_click_unsubscribe_headers_and_the_link(emailed):
    """RFC 8058 headers on the public https address, and the same link in the text."""
    message, path = emailed
    header = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https://reelvision\.example/notifications/unsubscribe/[^>\s]+/>", header)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in message.body


def test_opening_the_link_asks_first_and_changes_nothing(emailed, creator):
    """A GET (a visitor, or a mail scanner following links) only asks."""
    _message, path = emailed
    response = in_english(Client()).get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop e-mails about “Someone backs my project”?" in page and '<form method="post">' in page
    assert not Preferences.objects.filter(user=creator).exists()


def test_the_button_stops_that_kind_of_e_mail_only_without_logging_in(emailed, creator, donate, project, mailoutbox):
    """An anonymous POST without a CSRF token (the link is the authority): new-backer e-mails stop,
    the notifications and every other e-mail stay."""
    _message, path = emailed
    response = in_english(Client(enforce_csrf_checks=True)).post(path)
    assert response.status_code == 200 and "Done: no more e-mails about" in response.content.decode()
    preferences = Preferences.objects.get(user=creator)
    assert preferences.no_email == [Kind.NEW_BACKER] and preferences.muted == []
    assert preferences.email == "each"
    mailoutbox.clear()
    donate(project)
    assert Notification.objects.filter(recipient=creator).count() == 2
    assert Notification.objects.filter(recipient=creator).first().email_status == EmailStatus.NONE
    delivery.notify([creator], Kind.REFUND, "refund:after", {"amount": 1000})
    [refund_mail] = mails_to(mailoutbox, creator)
    assert scope_of(refund_mail) == (creator.pk, Kind.REFUND)


def test_a_mail_clients_one_click_post_is_answered_204(emailed, creator):
    """The body RFC 8058 mail clients send: done, with an empty answer."""
    _message, path = emailed
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204 and response.content == b""
    assert Preferences.objects.get(user=creator).no_email == [Kind.NEW_BACKER]


def forged_tokens(member, other) -> dict:
    genuine = unsubscribe.token(member, Kind.NEW_BACKER)
    payload, signature = genuine.rsplit(":", 1)
    others_payload = unsubscribe.token(other, Kind.NEW_BACKER).rsplit(":", 1)[0]
    return {
        "another member's id with this signature": f"{others_payload}:{signature}",
        "a tampered signature": f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        "signed with another salt": signing.Signer(salt="reelvision.other").sign_object([member.pk, Kind.NEW_BACKER]),
        "a scope that is no kind": signing.Signer(salt=unsubscribe.SALT).sign_object([member.pk, "marketing"]),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize(
    "forgery",
    [
        "another member's id with this signature",
        "a tampered signature",
        "signed with another salt",
        "a scope that is no kind",
        "garbage",
    ],
)
def test_a_forged_link_is_a_404_and_changes_nothing(creator, forgery):
    """Only a link signed for this member and this scope works, by GET or POST."""
    other = UserFactory()
    token = forged_tokens(creator, other)[forgery]
    url = reverse("notifications:unsubscribe", args=[token])
    client = in_english(Client(enforce_csrf_checks=True))
    assert client.get(url).status_code == 404
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert not Preferences.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_link_of_an_account_since_removed_is_a_404(creator):
    """Committed for real (no test transaction hiding the missing member): no error, nothing stored."""
    url = unsubscribe.url(creator, Kind.NEW_BACKER)
    creator.delete()
    response = Client(enforce_csrf_checks=True).post(urlsplit(url).path)
    assert response.status_code == 404 and not Preferences.objects.exists()


def test_the_digests_link_stops_every_notification_e_mail(public_base, client, donate, creator, project, mailoutbox):
    """The daily digest's link has the "all" scope: e-mails never, the notifications still on the site."""
    client.force_login(creator)
    save_preferences(client, email="daily")
    donate(project)
    assert delivery.send_digests() == 1
    [digest] = mails_to(mailoutbox, creator)
    assert scope_of(digest) == (creator.pk, unsubscribe.ALL)
    path = urlsplit(digest.extra_headers["List-Unsubscribe"].strip("<>")).path
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    preferences = Preferences.objects.get(user=creator)
    assert preferences.email == "never" and preferences.no_email == []
    mailoutbox.clear()
    donate(project)
    assert Notification.objects.filter(recipient=creator).first().email_status == EmailStatus.NONE
    assert not mails_to(mailoutbox, creator)


# --- 5. the API -----------------------------------------------------------------------------------


def test_the_api_lists_a_members_notifications_in_the_requests_language(client, openapi, donate, creator, project):
    """Newest first, the counts in `meta`, the headline worded for the request."""
    donate(project, UserFactory(display_name="Jisoo"))
    delivery.notify([creator], Kind.REFUND, "refund:api", {"title": "밤버스", "title_en": "Night Bus", "amount": 900})
    delivery.notify([UserFactory()], Kind.REFUND, "refund:someone-else", {"amount": 1})
    client.force_login(creator)
    response = client.get(API_LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert_matches_schema(openapi, API_LIST, response)
    body = response.json()
    assert body["meta"] == {"total_count": 2, "unread_count": 2}
    assert [item["kind"] for item in body["items"]] == ["refund", "new_backer"]
    backer = body["items"][1]
    assert backer["headline"] == ENGLISH_HEADLINE and backer["read"] is False
    assert backer["url"] == reverse("donations:project_backers", args=[project.pk])
    assert backer["params"]["title_en"] == "Night Bus"
    korean = client.get(API_LIST, HTTP_ACCEPT_LANGUAGE="ko").json()["items"][1]["headline"]
    assert "밤버스" in korean and "Night Bus" not in korean


def test_the_api_filters_unread_and_pages(client, openapi):
    """?unread=true keeps the unread ones; offset and limit page through all, none twice."""
    member = UserFactory()
    notify_many(member, 5)
    Notification.objects.filter(key__in=["many:0", "many:1"]).update(read_at=timezone.now())
    client.force_login(member)
    body = client.get(API_LIST, {"unread": "true"}).json()
    assert body["meta"] == {"total_count": 3, "unread_count": 3}
    assert {item["params"]["amount"] for item in body["items"]} == {2, 3, 4}
    assert all(not item["read"] for item in body["items"])
    everything = client.get(API_LIST, {"unread": "false"}).json()
    assert everything["meta"]["total_count"] == 5
    pages = [client.get(API_LIST, {"offset": offset, "limit": 2}).json() for offset in (0, 2, 4)]
    assert [len(page["items"]) for page in pages] == [2, 2, 1]
    assert all(page["meta"]["total_count"] == 5 for page in pages)
    ids = [item["id"] for page in pages for item in page["items"]]
    assert ids == [item["id"] for item in everything["items"]] and len(set(ids)) == 5


@pytest.mark.parametrize("query", [{"unread": "yes"}, {"limit": 101}, {"offset": -1}])
def test_the_api_refuses_a_query_it_cannot_answer(client, openapi, query):
    """A bad unread value, a limit above 100, a negative offset: 400 in the shared error shape."""
    client.force_login(UserFactory())
    response = in_english(client).get(API_LIST, query)
    assert_matches_schema(openapi, API_LIST, response, 400)


def test_the_api_marks_the_members_own_notifications_read_by_id(client, openapi):
    """Ids of others' notifications are ignored and not counted; a second call marks nothing."""
    member, other = UserFactory(), UserFactory()
    notify_many(member, 3)
    delivery.notify([other], Kind.REFUND, "refund:other", {"amount": 1})
    mine = list(Notification.objects.filter(recipient=member).values_list("pk", flat=True))
    theirs = Notification.objects.get(recipient=other)
    client.force_login(member)
    assert delivery.unread_count(member) == 3
    response = client.post(API_READ, {"ids": [mine[0], theirs.pk]}, content_type="application/json")
    assert_matches_schema(openapi, API_READ, response, 200, "post")
    assert response.json() == {"marked": 1, "unread_count": 2}
    assert Notification.objects.get(pk=mine[0]).read_at is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None and delivery.unread_count(other) == 1
    again = client.post(API_READ, {"ids": [mine[0]]}, content_type="application/json")
    assert again.json() == {"marked": 0, "unread_count": 2}


def test_the_api_marks_all_read(client):
    """{"all": true} reads every one of the member's, nobody else's."""
    member, other = UserFactory(), UserFactory()
    notify_many(member, 3)
    delivery.notify([other], Kind.REFUND, "refund:other", {"amount": 1})
    client.force_login(member)
    response = client.post(API_READ, {"all": True}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"marked": 3, "unread_count": 0}
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other).read_at is None


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"all": False}, {"ids": ["one"]}, {"ids": [0]}])
def test_the_api_needs_ids_or_all_to_mark_read(client, openapi, body):
    """Neither ids nor all (or ids that are no ids): 400, nothing read."""
    member = UserFactory()
    notify_many(member, 1)
    client.force_login(member)
    response = in_english(client).post(API_READ, body, content_type="application/json")
    assert_matches_schema(openapi, API_READ, response, 400, "post")
    assert response.json()["code"] == "invalid"
    assert Notification.objects.get(recipient=member).read_at is None


@pytest.mark.parametrize(
    ("method", "path"), [("get", API_LIST), ("post", API_READ), ("get", API_SETTINGS), ("put", API_SETTINGS)]
)
def test_the_api_answers_anonymous_requests_with_a_401(openapi, method, path):
    """No session and no token: 401, as the other /me/ endpoints."""
    response = getattr(in_english(Client()), method)(path, {"all": True}, content_type="application/json")
    assert_matches_schema(openapi, path, response, 401, method)
    assert not Preferences.objects.exists()


def test_the_api_settings_are_the_kinds_a_member_can_receive(client, openapi):
    """A plain member's settings list the five kinds plain members get, labelled in the request's language."""
    member = UserFactory()
    Preferences.objects.create(user=member, email="daily", muted=[Kind.REFUND])
    client.force_login(member)
    response = in_english(client).get(API_SETTINGS)
    assert_matches_schema(openapi, API_SETTINGS, response)
    body = response.json()
    kinds = {row["kind"]: row for row in body["kinds"]}
    assert body["email"] == "daily"
    assert set(kinds) == {"refund", "project_update", "backers_message", "followed_published", "premiere_starting"}
    assert kinds["refund"] == {"kind": "refund", "label": "I get a refund", "site": False, "email": True}


def test_the_api_changes_the_settings_and_they_take_effect(client, openapi, donate, creator, project, mailoutbox):
    """E-mail off for new backers through the API: the next one is not e-mailed."""
    client.force_login(creator)
    body = {"email": "each", "kinds": [{"kind": "new_backer", "site": True, "email": False}]}
    response = client.put(API_SETTINGS, body, content_type="application/json")
    assert_matches_schema(openapi, API_SETTINGS, response, 200, "put")
    assert {"kind": "new_backer", "site": True, "email": False}.items() <= next(
        row for row in response.json()["kinds"] if row["kind"] == "new_backer"
    ).items()
    preferences = Preferences.objects.get(user=creator)
    assert preferences.no_email == ["new_backer"] and preferences.muted == []
    donate(project)
    assert Notification.objects.get(recipient=creator).email_status == EmailStatus.NONE
    assert not mails_to(mailoutbox, creator)


def test_a_refused_settings_change_stores_no_settings_row(client):
    """A member without settings who sends a refused change still has none."""
    member = UserFactory()
    client.force_login(member)
    body = {"email": "never", "kinds": [{"kind": "new_backer", "site": False, "email": False}]}
    assert client.put(API_SETTINGS, body, content_type="application/json").status_code == 400
    assert not Preferences.objects.filter(user=member).exists()


@pytest.mark.parametrize("kind", ["new_backer", "submissions_waiting", "no_such_kind"])
def test_a_kind_the_member_cannot_receive_is_a_400_and_changes_nothing(client, openapi, kind):
    """A plain member's PUT naming a creators' or staff kind changes none of the rows sent with it."""
    member = UserFactory()
    Preferences.objects.create(user=member, email="each", muted=[Kind.PROJECT_UPDATE])
    client.force_login(member)
    body = {
        "email": "never",
        "kinds": [{"kind": "refund", "site": False, "email": False}, {"kind": kind, "site": False, "email": False}],
    }
    response = in_english(client).put(API_SETTINGS, body, content_type="application/json")
    assert_matches_schema(openapi, API_SETTINGS, response, 400, "put")
    preferences = Preferences.objects.get(user=member)
    assert (preferences.email, preferences.muted, preferences.no_email) == ("each", ["project_update"], [])


# --- 6. writing to all backers --------------------------------------------------------------------


def nonce_in(response) -> str:
    [nonce] = re.findall(r'name="nonce" value="([^"]+)"', response.content.decode())
    return nonce


def write(client, project, subject="Shooting wraps", body="Thank you all.", nonce=None):
    url = reverse("notifications:write_to_backers", args=[project.pk])
    nonce = nonce or nonce_in(client.get(url))
    return client.post(url, {"subject": subject, "body": body, "nonce": nonce}), nonce


@pytest.fixture
def backers(donate, refund, creator, project, mailoutbox):
    """Two current backers (one reading English, one Korean), one refunded in full, and the owner
    backing their own project; the e-mails of all that cleared."""
    english_backer = UserFactory(language="en")
    korean_backer = UserFactory(language="ko")
    donate(project, english_backer)
    donate(project, korean_backer, 3000)
    donate(project, korean_backer, 2000)  # backs twice: still one message
    refund(donate(project, UserFactory(language="en")))
    donate(project, creator)
    mailoutbox.clear()
    return english_backer, korean_backer


def message_notifications():
    return Notification.objects.filter(kind=Kind.BACKERS_MESSAGE)


def test_the_owner_writes_once_to_each_current_backer_in_their_language(client, creator, project, backers, mailoutbox):
    """Each backer still backing gets one message, e-mailed in their own language; not the refunded one, not the owner."""
    english_backer, korean_backer = backers
    in_english(client).force_login(creator)
    assert (
        "Goes to 2 backers" in client.get(reverse("notifications:write_to_backers", args=[project.pk])).content.decode()
    )
    response, _nonce = write(client, project)
    assert response.status_code == 302
    assert response.url == reverse("donations:project_backers", args=[project.pk])
    told = message_notifications()
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([english_backer.pk, korean_backer.pk])
    assert all(n.params["subject"] == "Shooting wraps" and n.params["body"] == "Thank you all." for n in told)
    assert FanOut.objects.get().delivered == 2
    assert {tuple(m.to) for m in mailoutbox} == {(english_backer.email,), (korean_backer.email,)}
    [to_english] = mails_to(mailoutbox, english_backer)
    [to_korean] = mails_to(mailoutbox, korean_backer)
    assert to_english.subject == "[ReelVision] Director Han wrote to the backers of “Night Bus”: Shooting wraps"
    assert "밤버스" not in to_english.body and "Thank you all." in to_english.body
    assert "밤버스" in to_korean.subject and "Night Bus" not in to_korean.subject + to_korean.body
    assert "Thank you all." in to_korean.body


def test_sending_the_same_form_again_sends_nothing_more(client, creator, project, backers, mailoutbox):
    """The same form twice (a double click, a resent POST): one message."""
    in_english(client).force_login(creator)
    _response, nonce = write(client, project)
    sent = len(mailoutbox)
    again, _nonce = write(client, project, nonce=nonce)
    assert again.status_code == 302
    assert "This message was already sent." in client.get(again.url).content.decode()
    assert message_notifications().count() == 2 and FanOut.objects.count() == 1
    assert len(mailoutbox) == sent == 2


def test_the_fourth_message_of_a_day_is_refused(client, creator, project, backers, settings):
    """Three messages a day per project; the fourth is refused with the reason, nothing sent."""
    assert settings.NOTIFICATIONS_BACKER_MESSAGES_PER_DAY == 3
    in_english(client).force_login(creator)
    for n in range(3):
        response, _nonce = write(client, project, subject=f"Update {n}")
        assert response.status_code == 302
    fourth, _nonce = write(client, project, subject="One more")
    assert fourth.status_code == 200
    assert "You can write to your backers 3 times a day; try again tomorrow." in fourth.content.decode()
    assert FanOut.objects.count() == 3 and message_notifications().count() == 6
    assert not message_notifications().filter(params__subject="One more").exists()


def test_a_project_without_backers_has_no_one_to_write_to(client, creator, project, mailoutbox):
    """A clear error instead of a message to nobody."""
    in_english(client).force_login(creator)
    response, _nonce = write(client, project)
    assert response.status_code == 200
    assert "This project has no backers to write to yet." in response.content.decode()
    assert not FanOut.objects.exists() and not message_notifications().exists() and not mailoutbox


def test_only_the_projects_owner_may_write_to_its_backers(client, project, backers):
    """Another creator, staff and a plain member get a 404; a visitor is sent to log in."""
    url = reverse("notifications:write_to_backers", args=[project.pk])
    for someone in (CreatorFactory(), StaffUserFactory(), UserFactory()):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        data = {"subject": "Hi", "body": "Hello", "nonce": "3f1c2a6e-1b8e-4f0e-9a53-7d4c1c0e2b11"}
        assert client.post(url, data).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not FanOut.objects.exists() and not message_notifications().exists()


# --- 7. the language of a member's e-mails --------------------------------------------------------


def test_logging_in_keeps_the_sites_language_for_the_members_e_mails(client):
    """Logging in with the site in English: the member's e-mails come in English from now on."""
    member = UserFactory()
    assert member.language == "ko"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("account_login"), {"login": member.email, "password": "password"})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(member.pk)
    member.refresh_from_db()
    assert member.language == "en"


def test_switching_the_sites_language_switches_the_members_e_mails(client):
    """The KO switch stores Korean for the member; a language the site has not changes nothing."""
    member = UserFactory(language="en")
    client.force_login(member)
    response = client.get(reverse("home:switch_language", args=["ko"]), {"next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    member.refresh_from_db()
    assert member.language == "ko"
    client.get(reverse("home:switch_language", args=["fr"]))
    member.refresh_from_db()
    assert member.language == "ko"


def test_a_backers_notification_e_mail_follows_the_language_they_switched_to(
    client, donate, creator, project, mailoutbox
):
    """The creator reads the site in English: the next new-backer e-mail comes in English."""
    client.force_login(creator)
    client.get(reverse("home:switch_language", args=["en"]))
    donate(project, UserFactory(display_name="Jisoo"))
    [message] = mails_to(mailoutbox, creator)
    assert message.subject == f"[ReelVision] {ENGLISH_HEADLINE}"


def test_the_profile_sets_the_language_of_the_members_e_mails(client):
    """The profile form's language is stored as the e-mails' language."""
    member = UserFactory()
    client.force_login(member)
    data = form_data(client.get(reverse("members:my_profile")))
    response = client.post(reverse("members:my_profile"), {**data, "language": "en"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "en"
