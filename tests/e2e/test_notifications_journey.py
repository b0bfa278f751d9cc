"""A donation reaches its creator as a notification: the bell counts it, the list words it with the
backer's message, opening it marks it read and leads to the backers, and after the rollup the
Audience dashboard carries it. Then every notifications page on a 390 px phone, in Korean and in
English: nothing overlaps, nothing squeezed to a column, nothing wider than the screen, and no words
of the other language outside what members wrote (titles, names, messages)."""

import json
import re
import warnings
from itertools import pairwise
from pprint import pformat

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from analytics.rollup import roll_up
from donations.tests.factories import paid_donation
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, UserFactory
from notifications import unsubscribe
from notifications.delivery import notify
from notifications.models import Kind, Notification
from tests.readable import readable_text

from .conftest import PHONE
from .journeys import log_in
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The Korean translations of the notification strings are not in locale/ yet. Flip this once they
# are: until then the Korean pages' "no English left" assertion only warns (listing what is left).
KOREAN_DONE = True

MESSAGE = "끝까지 응원해요! 개봉하면 친구들이랑 꼭 보러 갈게요."

LONG_TITLE = "새벽 세 시 편의점에서 일어난 아주 길고도 이상한 이야기의 마지막 밤과 그다음 날 아침"
LONG_TITLE_EN = "The Long and Strange Story of the Last Night at the Convenience Store at Three in the Morning"
LONG_NAME = "김수한무거북이와두루미삼천갑자동방삭치치카포"
LONG_LATIN_NAME = "Maximilian Featherstonehaugh-Worthington"
LONG_MESSAGE = (
    "감독님 안녕하세요! 졸업작품 상영회에서 예고편을 보고 너무 좋아서 바로 후원했습니다. "
    "촬영 현장 사진도 기대할게요. 배우분들께도 응원 전해 주세요. "
    "혹시몰라서링크도남겨요https://example.com/아주아주긴주소가끝나지않고계속이어지는경우에도화면을넘지않아야해요"
)
BACKERS_SUBJECT = "촬영 일정이 확정되었습니다"

# Runs of words in one script (with the spaces, digits and punctuation between them), so what is left
# reads as the phrases a translator looks for.
_HANGUL = r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
HANGUL = re.compile(rf"[{_HANGUL}](?:[{_HANGUL}\d ,.:;!?()'-]*[{_HANGUL}])?")
LATIN = re.compile(r"[A-Za-z](?:[A-Za-z\d ,.:;!?()'’-]*[A-Za-z])?")
# Latin letters that belong on a Korean page: the brand (its logo is two spans) and the KO half of
# the language switch.
KOREAN_PAGE_LATIN = ("ReelVision", "Reel Vision", "KO")


def other_language_left(html: str, language: str, allowed: list[str]) -> list[str]:
    """The phrases of the other language a reader of `html` (a page in `language`) meets, once
    `allowed` (what members wrote: titles, names, messages) is taken out."""
    text = " ".join(readable_text(html, language).split())
    extra = KOREAN_PAGE_LATIN if language == "ko" else ()
    for sample in sorted([*allowed, *extra], key=len, reverse=True):
        text = text.replace(sample, " ")
    pattern = LATIN if language == "ko" else HANGUL
    return list(dict.fromkeys(match.group().strip() for match in pattern.finditer(text)))


def phone_as(new_context, live_server, user, locale):
    """A 390 px touch phone, logged in as `user` (None: nobody), asking for `locale`."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def test_a_donation_reaches_the_creators_bell_backers_and_audience_dashboard(new_context, screenshot):
    """Donated through the sandbox with a message: the creator's bell shows 1, the list words it,
    opening it marks it read and shows the backers, and the rolled-up dashboard counts it."""
    creator = CreatorFactory(display_name="박도윤")
    project = FundingProjectPageFactory(
        title="심야 버스", title_en="Night Bus", slug="night-bus", minimum_donation=1000, owner=creator
    )
    DonationTierFactory(project=project, amount=20_000, title="엔딩 크레딧")
    member = UserFactory(display_name="김후원")

    page = new_context(locale="en-US").new_page()
    log_in(page, member)
    page.goto(project.url)
    page.get_by_role("link", name=re.compile(r"Donate 20,000")).click()
    page.get_by_label("A message to the creator (optional)").fill(MESSAGE)
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Sandbox: no real money")).to_be_visible()
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", name="Your donation has arrived")).to_be_visible()

    creator_page = new_context(locale="en-US").new_page()
    log_in(creator_page, creator)
    bell = creator_page.locator("a.bell")
    expect(bell).to_have_accessible_name("Notifications: 1 unread")
    expect(bell.locator(".bell__count")).to_have_text("1")
    screenshot(creator_page, "bell")
    bell.click()

    notification = creator_page.locator(".notification")
    expect(notification).to_have_count(1)
    expect(notification).to_have_class(re.compile(r"\bnotification--unread\b"))
    expect(notification.locator(".notification__headline")).to_have_text("김후원 backed “Night Bus” with 20,000 KRW")
    expect(notification.locator(".notification__detail")).to_contain_text(MESSAGE)
    screenshot(creator_page, "notifications")
    notification.get_by_role("button").click()

    creator_page.wait_for_url(f"**{reverse('donations:project_backers', args=[project.pk])}")
    expect(creator_page.get_by_role("heading", name="Backers of Night Bus")).to_be_visible()
    expect(bell).to_have_accessible_name("Notifications")
    expect(bell.locator(".bell__count")).to_have_count(0)
    assert Notification.objects.get(recipient=creator).read_at is not None
    screenshot(creator_page, "backers")

    roll_up(timezone.localdate())  # as the worker's periodic task does
    creator_page.goto("/admin/")
    creator_page.get_by_role("link", name="Audience").click()
    row = creator_page.get_by_role("row").filter(has=creator_page.get_by_role("link", name="Night Bus"))
    expect(row).to_have_count(1)
    # The row's first column (the title) is its header; the figures follow the column headings.
    headings = creator_page.get_by_role("columnheader").all_inner_texts()[1:]
    cells = row.get_by_role("cell")
    expect(cells.nth(headings.index("Donations"))).to_have_text("1")
    expect(cells.nth(headings.index("Donations (KRW)"))).to_have_text("20,000 KRW")
    screenshot(creator_page, "audience")
    row.get_by_role("link", name="Night Bus").click()
    creator_page.wait_for_url(f"**{reverse('analytics_film', args=[project.pk])}**")
    chart = json.loads(creator_page.locator("#audience-chart").text_content())
    assert chart["days"][-1] == timezone.localdate().isoformat()
    assert chart["donations"][-1] == 20_000 and sum(chart["donations"]) == 20_000
    creator_page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 3")
    drawn = creator_page.evaluate(
        "() => Object.values(Chart.instances).find((c) => c.canvas.dataset.chart === 'money')"
        ".data.datasets.find((d) => d.label === 'Donations (KRW)').data.at(-1)"
    )
    assert drawn == 20_000
    creator_page.locator("canvas[data-chart=money]").scroll_into_view_if_needed()
    screenshot(creator_page, "audience-project")


@pytest.fixture
def creator_with_news():
    """A creator with a long name whose project (a long title) has backers, one with a long message;
    the notifications are unread. A backer with a long Latin name has one unread too."""
    creator = CreatorFactory(display_name=LONG_NAME)
    project = FundingProjectPageFactory(title=LONG_TITLE, title_en=LONG_TITLE_EN, owner=creator)
    tier = DonationTierFactory(project=project, amount=50_000, title="엔딩 크레딧에 이름")
    backer = UserFactory(display_name=LONG_LATIN_NAME)
    paid_donation(project, UserFactory(display_name="이하늘"), 50_000, tier=tier, message=LONG_MESSAGE)
    paid_donation(project, backer, 12_000, message="화이팅")
    paid_donation(project, UserFactory(), 5_000, is_anonymous=True)
    params = {"title": LONG_TITLE, "title_en": LONG_TITLE_EN, "subject": BACKERS_SUBJECT, "body": LONG_MESSAGE}
    notify([backer], Kind.BACKERS_MESSAGE, "e2e-backers-message", params, project.url)
    return {
        "creator": creator,
        "backer": backer,
        "project": project,
        # What members wrote, shown as they wrote it in either language.
        "written": [
            LONG_TITLE,
            LONG_TITLE_EN,
            LONG_NAME,
            LONG_LATIN_NAME,
            LONG_MESSAGE,
            BACKERS_SUBJECT,
            "이하늘",
            "화이팅",
            "엔딩 크레딧에 이름",
        ],
    }


def wider_than_the_phone(page) -> bool:
    """Something sticks out sideways. Compared with the phone's width, not window.innerWidth: on a
    mobile viewport Chromium zooms out to show a page wider than the screen, and innerWidth grows."""
    return page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]


def header_fits(page) -> list[str]:
    """The phone header keeps its shape: logo and tools on one row, the bell whole beside the name."""
    boxes = page.evaluate(
        """() => Object.fromEntries(["logo", "lang-switch", "bell", "account-menu"].map((name) => {
             const box = document.querySelector(".site-header ." + name).getBoundingClientRect();
             return [name, {top: box.top, bottom: box.bottom, left: box.left, right: box.right}];
           }))"""
    )
    problems = []
    middles = {name: (box["top"] + box["bottom"]) / 2 for name, box in boxes.items()}
    if max(middles.values()) - min(middles.values()) > 8:
        problems.append(f"the header's first row is not one row: {boxes}")
    for name, box in boxes.items():
        if box["left"] < 0 or box["right"] > PHONE["width"]:
            problems.append(f"{name} sticks out of the screen: {box}")
    order = [boxes[name] for name in ("logo", "lang-switch", "bell", "account-menu")]
    if any(a["right"] > b["left"] + 1 for a, b in pairwise(order)):
        problems.append(f"the header's items run into each other: {boxes}")
    return problems


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_notifications_pages_fit_a_phone_in_one_language(
    new_context, live_server, creator_with_news, screenshot, locale
):
    """At 390 px: the header with the bell, the list, the settings, writing to backers and unsubscribing
    lay out, and show no words of the other language outside what members wrote."""
    language = locale[:2]
    creator, project = creator_with_news["creator"], creator_with_news["project"]
    token = unsubscribe.token(creator, "new_backer")
    pages = [
        ("header", creator, reverse("members:my_library")),
        ("header-latin-name", creator_with_news["backer"], reverse("members:my_library")),
        ("notifications", creator, reverse("notifications:list")),
        ("settings", creator, reverse("notifications:preferences")),
        ("write-to-backers", creator, reverse("notifications:write_to_backers", args=[project.pk])),
        ("unsubscribe", None, reverse("notifications:unsubscribe", args=[token])),
    ]
    layout, left = {}, {}
    phones = {}
    for name, user, url in pages:
        if user not in phones:
            phones[user] = phone_as(new_context, live_server, user, locale)
        page = phones[user]
        page.goto(url)
        expect(page.locator("#main")).to_be_visible()
        problems = []
        if name.startswith("header"):
            unread = Notification.objects.filter(recipient=user, read_at=None).count()
            expect(page.locator("a.bell .bell__count")).to_have_text(str(unread))
            problems += header_fits(page)
        if name == "notifications":
            expect(page.locator(".notification--unread")).to_have_count(3)
        shot = screenshot(page, f"{language}-{name}")
        if name.startswith("header"):
            page.locator(".site-header").screenshot(path=str(shot.with_name(f"{shot.stem}-close-up.png")))
        problems += layout_problems(page) + (["wider than the phone"] if wider_than_the_phone(page) else [])
        if problems:
            layout[name] = problems
        if leftover := other_language_left(page.content(), language, creator_with_news["written"]):
            left[name] = leftover

    assert layout == {}, pformat(layout, width=120)
    if language == "en":
        assert left == {}, pformat(left, width=120)
    # KOREAN_DONE: the one assertion waiting for the Korean translations of the notification strings.
    elif KOREAN_DONE:
        assert left == {}, pformat(left, width=120)
    elif left:
        warnings.warn(f"English left on Korean pages (translations to come):\n{pformat(left, width=120)}", stacklevel=1)
