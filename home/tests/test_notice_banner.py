"""The home page's pinned notice: the newest notice whose `banner_until` is ahead, shown to everyone,
gone when it is unpublished or its time is up, also from the cached copy of the home page."""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from home.notices import current_banner
from home.tests.factories import NoticePageFactory, in_hours, publish_notice
from members.tests.factories import UserFactory
from page_cache.cache import GENERATION_KEY, HIT_HEADER

pytestmark = pytest.mark.django_db

BANNER = 'class="notice-banner"'


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def banner_of(response) -> str:
    """The banner's HTML, or "" when the page has none."""
    html = response.content.decode()
    start = html.find("<aside " + BANNER)
    return html[start : html.find("</aside>", start)] if start >= 0 else ""


@pytest.fixture
def stored_lifetimes(monkeypatch):
    """How long each whole page was stored for (seconds), as the page cache asked its cache."""
    pages = caches["pages"]
    real_set = pages.set
    lifetimes = []

    def spy(key, value, timeout=None, *args, **kwargs):
        if key.startswith("pagecache:") and ":params:" not in key and key != GENERATION_KEY:
            lifetimes.append(timeout)
        return real_set(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(pages, "set", spy)
    return lifetimes


def test_no_banner_without_a_pinned_notice():
    NoticePageFactory(title="그냥 공지")  # listed, never pinned
    NoticePageFactory(title="지난 공지", banner_until=in_hours(-1))  # pinned until an hour ago
    assert banner_of(home(Client())) == ""
    assert current_banner() is None


def test_the_newest_pinned_notice_is_the_banner_and_links_to_its_page():
    today = timezone.localdate()
    NoticePageFactory(title="오래된 고정 공지", date=today - datetime.timedelta(days=3), banner_until=in_hours(72))
    newest = NoticePageFactory(title="새 고정 공지", date=today - datetime.timedelta(days=1), banner_until=in_hours(5))
    NoticePageFactory(title="고정 안 한 오늘 공지", date=today)
    NoticePageFactory(title="초안 공지", date=today, banner_until=in_hours(5), live=False)

    banner = banner_of(home(Client()))
    assert "새 고정 공지" in banner and "오래된 고정 공지" not in banner
    assert f'href="{newest.url}"' in banner
    assert f'data-notice-banner="{newest.pk}"' in banner
    assert current_banner() == newest


def test_members_see_the_banner_too():
    publish_notice(title="회원도 보는 공지", banner_until=in_hours(2))
    client = Client()
    client.force_login(UserFactory())
    assert "회원도 보는 공지" in banner_of(home(client))


def test_publishing_and_unpublishing_a_pinned_notice_retires_the_cached_home_page():
    visitor = Client()
    assert banner_of(home(visitor)) == ""
    assert home(visitor)[HIT_HEADER] == "hit"  # the home page is cached whole

    notice = publish_notice(title="휴강 안내", banner_until=in_hours(24))
    shown = home(visitor)
    assert shown[HIT_HEADER] == "miss" and "휴강 안내" in banner_of(shown)
    assert "휴강 안내" in banner_of(home(visitor))  # and that copy is cached in turn

    notice.unpublish()
    assert banner_of(home(visitor)) == ""


def test_republishing_with_the_banner_taken_down_removes_it():
    visitor = Client()
    notice = publish_notice(title="내릴 공지", banner_until=in_hours(24))
    assert "내릴 공지" in banner_of(home(visitor))
    notice.banner_until = None
    notice.save_revision().publish()
    assert banner_of(home(visitor)) == ""


def test_the_cached_home_page_lives_no_longer_than_its_banner(clock, stored_lifetimes, settings):
    """The cache keeps pages 10 minutes; a banner that ends in 5 bounds the copy to 5, and from then
    on the page is rendered without it (nothing was published to retire the copy)."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 600
    publish_notice(title="곧 끝나는 공지", banner_until=timezone.now() + datetime.timedelta(minutes=5))
    visitor = Client()

    first = home(visitor)
    assert first[HIT_HEADER] == "miss" and "곧 끝나는 공지" in banner_of(first)
    assert stored_lifetimes and max(stored_lifetimes) <= 300

    clock.advance(minutes=4)
    still = home(visitor)
    assert still[HIT_HEADER] == "hit" and "곧 끝나는 공지" in banner_of(still)

    clock.advance(minutes=1, seconds=5)
    after = home(visitor)
    assert after[HIT_HEADER] == "miss" and banner_of(after) == ""
    # Without a banner the page is kept as long as any page.
    assert stored_lifetimes[-1] == 600


def test_an_older_pinned_notice_takes_over_when_the_newest_ends(clock):
    today = timezone.localdate()
    publish_notice(
        title="일주일 공지", slug="week", date=today - datetime.timedelta(days=2), banner_until=in_hours(168)
    )
    publish_notice(title="한 시간 공지", slug="hour", date=today, banner_until=in_hours(1))
    visitor = Client()
    assert "한 시간 공지" in banner_of(home(visitor))
    clock.advance(hours=1, minutes=1)
    assert "일주일 공지" in banner_of(home(visitor))


def test_a_banner_with_less_than_a_second_left_is_not_stored(stored_lifetimes, monkeypatch):
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    publish_notice(title="끝나 가는 공지", banner_until=frozen + datetime.timedelta(milliseconds=500))
    visitor = Client()
    response = home(visitor)
    assert "끝나 가는 공지" in banner_of(response)
    assert stored_lifetimes == [] and HIT_HEADER not in response


def test_the_banner_is_in_english_for_english_readers():
    publish_notice(title="도서관 휴관", title_en="Library closed", banner_until=in_hours(3))
    publish_notice(title="영문 없는 공지", slug="korean-only", banner_until=in_hours(3), date=timezone.localdate())
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    banner = banner_of(home(english))
    # The newest is the Korean-only one (same date, published later): shown in Korean, marked so.
    assert "영문 없는 공지" in banner and 'lang="ko"' in banner
    assert "Notice" in banner and "Hide this notice" in banner


def test_an_english_banner_title_is_used_in_english_and_the_korean_one_in_korean():
    publish_notice(title="도서관 휴관", title_en="Library closed", banner_until=in_hours(3))
    assert "Library closed" in banner_of(home(Client(HTTP_ACCEPT_LANGUAGE="en")))
    korean = banner_of(home(Client(HTTP_ACCEPT_LANGUAGE="ko")))
    assert "도서관 휴관" in korean and "Library closed" not in korean
    assert "공지" in korean and "이 공지 숨기기" in korean
