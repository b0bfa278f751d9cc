"""Department notices in headless Chromium: a Staff member publishes a notice pinned to the home page
in the Wagtail admin, a visitor sees it at the top of the home page, follows it to the notice and
hides it; then the notice board and a notice on a 390 px phone, in Korean and in English.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from home.models import NoticePage
from home.tests.factories import NoticePageFactory, in_hours, notice_board
from members.tests.factories import StaffUserFactory
from tests.e2e.journeys import expect_message, footer_actions

from .conftest import PHONE, has_horizontal_overflow
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "2026 졸업영화제 상영 일정 안내"
TITLE_EN = "Graduation festival: screening times"
BODY = "올해 졸업영화제는 12월 둘째 주에 학과 시사실에서 열립니다."
LONG_TITLE = (
    "겨울방학 동안 학과 시사실과 편집실, 녹음실을 이용하려는 재학생과 졸업생이 꼭 알아야 할 예약 방법과 바뀐 운영 시간"
)
LONG_TITLE_EN = "What students and graduates who want the screening room, edit suites or sound studio over the winter break need to know"


def test_staff_publish_a_pinned_notice_and_a_visitor_follows_it_from_the_home_page(admin_page, new_context, screenshot):
    staff = StaffUserFactory(display_name="학과 사무실")
    board = notice_board()

    # Staff add a notice on the board in the admin, pinned for two days, and publish it.
    editor = admin_page(staff)
    editor.goto(reverse("wagtailadmin_pages:add", args=["home", "noticepage", board.pk]))
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Notice")
    editor.get_by_role("textbox", name=re.compile(r"^Title\*?$")).fill(TITLE)
    editor.get_by_role("textbox", name="English title").fill(TITLE_EN)
    until = timezone.localtime(in_hours(48)).strftime("%Y-%m-%d %H:%M")
    banner_until = editor.get_by_role("textbox", name="Pinned on the home page until")
    banner_until.fill(until)
    banner_until.press("Escape")  # closes the date picker
    body = editor.locator("[data-contentpath=body] [contenteditable=true]")
    body.click()
    body.press_sequentially(BODY)
    # Draftail writes what was typed into the form's hidden input a moment later.
    expect(editor.locator("input[name=body]")).to_have_value(re.compile(BODY[:8]))
    screenshot(editor, "staff-notice-form")
    footer_actions(editor).get_by_role("button", name=re.compile(r"^Publish")).click()
    expect_message(editor, "published")

    notice = NoticePage.objects.get(title=TITLE)
    assert notice.live and notice.is_banner and notice.owner == staff
    assert timezone.localtime(notice.banner_until).strftime("%Y-%m-%d %H:%M") == until

    # A visitor finds it at the top of the home page and follows it.
    visitor = new_context().new_page()
    visitor.goto("/")
    banner = visitor.get_by_role("complementary", name="공지")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name=TITLE)).to_be_visible()
    assert visitor.locator("head link[rel=alternate][type='application/atom+xml']").get_attribute("href") == (
        board.url + "feed/"
    )
    screenshot(visitor, "home-with-banner")
    banner.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(re.compile(re.escape(notice.url) + "$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("main")).to_contain_text(BODY)
    screenshot(visitor, "notice-page")

    # Back on the board, the notice heads the list; the feed lists it too.
    visitor.get_by_role("link", name="공지 목록").click()
    visitor.wait_for_url(re.compile(re.escape(board.url) + "$"))
    expect(visitor.locator(".notice-list__title").first).to_have_text(TITLE)
    feed = visitor.request.get(board.url + "feed/")
    assert feed.ok and TITLE in feed.text()

    # The visitor hides the banner: gone, and still gone on the next visit (this notice only).
    visitor.goto("/")
    visitor.get_by_role("button", name="이 공지 숨기기").click()
    expect(visitor.get_by_role("complementary", name="공지")).to_have_count(0)
    visitor.reload()
    expect(visitor.locator("[data-notice-banner]")).to_have_count(0)
    screenshot(visitor, "home-banner-hidden")

    # An English visitor gets the English title.
    english = new_context(locale="en-US").new_page()
    english.goto("/")
    expect(english.get_by_role("complementary", name="Notice").get_by_role("link", name=TITLE_EN)).to_be_visible()


def test_a_banner_whose_time_is_up_goes_away_on_a_page_left_open(new_context):
    """The page says until when; the script takes the banner down then, without a reload."""
    NoticePageFactory(title="곧 끝나는 공지", banner_until=timezone.now() + datetime.timedelta(seconds=4))
    page = new_context().new_page()
    page.goto("/")
    expect(page.locator("[data-notice-banner]")).to_have_count(1)
    expect(page.locator("[data-notice-banner]")).to_have_count(0, timeout=15_000)


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_home_banner_the_board_and_a_notice_fit_a_phone(new_context, screenshot, locale):
    """At 390 px: nothing overlaps, no text is squeezed one character per line, nothing is wider
    than the screen, with a long title and a long unbroken line."""
    board = notice_board()
    board.notices_per_page = 5
    board.save_revision().publish()
    today = timezone.localdate()
    for number in range(6):
        NoticePageFactory(title=f"학과 공지 {number + 1}", date=today - datetime.timedelta(days=number + 1))
    notice = NoticePageFactory(
        title=LONG_TITLE,
        title_en=LONG_TITLE_EN,
        date=today,
        banner_until=in_hours(24),
        body=(
            "<p>예약은 학과 사무실에서 받습니다.</p><ul><li>시사실: 평일 10시–18시</li><li>편집실: 24시간</li></ul>"
            "<p>주소https://example.com/아주긴주소가끝나지않고계속이어지는경우에도화면을넘지않아야합니다/reservation</p>"
        ),
        body_en="<p>Book at the department office.</p><ul><li>Screening room: weekdays 10–18</li></ul>",
    )
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale).new_page()
    language = locale[:2]
    for name, url in (
        ("home", "/"),
        ("board", board.url),
        ("board-page-2", board.url + "?page=2"),
        ("notice", notice.url),
    ):
        page.goto(url)
        if name == "home":
            expect(page.locator("[data-notice-banner] [data-notice-hide]")).to_be_visible()
        assert layout_problems(page) == [], (name, language)
        assert not has_horizontal_overflow(page), (name, language)
        screenshot(page, f"{language}-{name}")
