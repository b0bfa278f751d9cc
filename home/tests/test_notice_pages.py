"""The notice board, a notice's page and their Atom feed, in Korean and in English."""

import datetime
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from films.tests.pages import page_html
from home.models import NoticePage
from home.tests.factories import NoticePageFactory, notice_board, publish_notice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")


def dated(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


class ReadableText(HTMLParser):
    """The text a reader meets, outside script, style and anything marked `lang="ko"`."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = tag in ("script", "style", "head") or (attrs.get("lang") or "").startswith("ko")
        if not skipped and not any(s for _t, s in self.stack):
            self.parts += [attrs[name] or "" for name in ("alt", "title", "aria-label") if name in attrs]
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not any(s for _t, s in self.stack):
            self.parts.append(data)


def hangul_in(html: str) -> list[str]:
    reader = ReadableText()
    reader.feed(html)
    text = " ".join(reader.parts).replace("한국어", " ")  # the KO half of the language switch
    return HANGUL.findall(text)


def feed_link(html: str) -> str:
    found = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)
    assert found, "no feed link in the head"
    return found.group(1)


# --- the board -------------------------------------------------------------------------------------


def test_the_board_lists_live_notices_newest_first():
    NoticePageFactory(title="두 번째 공지", date=dated(2))
    NoticePageFactory(title="가장 최근 공지", date=dated(0))
    NoticePageFactory(title="가장 오래된 공지", date=dated(9))
    NoticePageFactory(title="초안 공지", date=dated(0), live=False)
    html = page_html(notice_board().url)
    assert html.index("가장 최근 공지") < html.index("두 번째 공지") < html.index("가장 오래된 공지")
    assert "초안 공지" not in html
    assert "<h1" in html and "공지사항" in html


def test_the_board_is_paginated_with_the_shared_pagination():
    board = notice_board()
    board.notices_per_page = 5
    board.save_revision().publish()
    for number in range(7):
        NoticePageFactory(title=f"공지 번호 {number:02d}", date=dated(number))
    first, second = page_html(board.url), page_html(board.url + "?page=2")
    assert first.count('class="notice-list__item"') == 5 and second.count('class="notice-list__item"') == 2
    assert 'class="pagination"' in first and 'href="?page=2"' in first and 'rel="next"' in first
    assert "공지 번호 00" in first and "공지 번호 06" in second and "공지 번호 06" not in first


def test_the_page_cache_keeps_one_copy_per_board_page():
    visitor = Client()
    board = notice_board()
    board.notices_per_page = 5
    board.save_revision().publish()
    for number in range(6):
        NoticePageFactory(title=f"공지 {number}", date=dated(number))
    assert visitor.get(board.url + "?page=2&utm=x").status_code == 200
    assert visitor.get(board.url + "?page=2")["X-Page-Cache"] == "miss"
    assert visitor.get(board.url + "?page=2")["X-Page-Cache"] == "hit"


def test_an_empty_board_says_so():
    assert "아직 공지가 없습니다." in page_html(notice_board().url)


def test_without_a_board_the_home_page_has_no_feed_link_and_the_api_no_notices():
    html = page_html("/")
    assert "application/atom+xml" not in html and 'class="notice-banner"' not in html
    assert Client().get("/api/v2/notices/").json() == {"meta": {"total_count": 0, "banner": None}, "items": []}


def test_the_board_and_the_home_page_link_their_feed_in_the_head():
    feed = notice_board().url + "feed/"
    assert feed_link(page_html(notice_board().url)) == feed
    assert feed_link(page_html("/")) == feed


# --- a notice ----------------------------------------------------------------------------------------


def test_a_notice_page_shows_its_title_date_text_and_the_way_back():
    notice = NoticePageFactory(
        title="장비 대여 안내",
        date=datetime.date(2026, 11, 20),
        body="<p>카메라는 <b>사흘</b>까지 빌릴 수 있습니다.</p>",
    )
    html = page_html(notice.url)
    assert "<h1" in html and "장비 대여 안내" in html
    assert "<b>사흘</b>" in html
    assert 'datetime="2026-11-20"' in html and "2026년 11월 20일" in html
    assert f'href="{notice_board().url}"' in html and "공지 목록" in html
    assert 'content="카메라는 사흘까지 빌릴 수 있습니다."' in html  # the meta description, as plain text


def test_a_notice_in_english():
    notice = NoticePageFactory(
        title="장비 대여 안내",
        title_en="Equipment loans",
        date=datetime.date(2026, 11, 20),
        body="<p>카메라는 사흘까지.</p>",
        body_en="<p>Cameras for up to three days.</p>",
    )
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    html = page_html(notice.url, english)
    assert "Equipment loans" in html and "Cameras for up to three days." in html
    assert "Nov. 20, 2026" in html and "All notices" in html and "Notices" in html
    assert hangul_in(html) == [], hangul_in(html)
    board = page_html(notice_board().url, english)
    assert "Equipment loans" in board and "Cameras for up to three days." in board
    assert hangul_in(board) == [], hangul_in(board)


def test_a_notice_without_english_is_shown_in_korean_marked_as_korean_on_english_pages():
    notice = NoticePageFactory(title="한국어만 있는 공지", title_en="", body="<p>본문도 한국어.</p>", body_en="")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    for html in (page_html(notice.url, english), page_html(notice_board().url, english)):
        assert "한국어만 있는 공지" in html
        assert hangul_in(html) == [], hangul_in(html)  # all of it inside lang="ko"


def test_a_notice_is_only_under_the_board_address():
    notice = NoticePageFactory(slug="exam-week")
    assert notice.url == notice_board().url + "exam-week/"
    assert Client().get(notice.url).status_code == 200


# --- the feed ------------------------------------------------------------------------------------------


def parse_feed(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def test_the_feed_is_valid_atom_with_the_newest_notices_first():
    publish_notice(title="어제 공지", slug="yesterday", date=dated(1), body="<p>어제 <i>알린</i> 내용.</p>")
    publish_notice(title="오늘 공지", slug="today", date=dated(0))
    NoticePageFactory(title="초안", live=False)
    root = parse_feed(Client().get(notice_board().url + "feed/"))

    assert root.findtext(f"{ATOM}title") == "공지사항 · ReelVision"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/notices/feed/"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/notices/"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["오늘 공지", "어제 공지"]
    yesterday = entries[1]
    assert yesterday.find(f"{ATOM}link").get("href") == "http://testserver/notices/yesterday/"
    assert yesterday.findtext(f"{ATOM}id") == "http://testserver/notices/yesterday/"
    assert yesterday.findtext(f"{ATOM}summary") == "<p>어제 <i>알린</i> 내용.</p>"
    assert yesterday.find(f"{ATOM}summary").get("type") == "html"
    published = datetime.datetime.fromisoformat(yesterday.findtext(f"{ATOM}published"))
    assert timezone.localdate(published) == dated(1)  # the notice's date, not when it was published
    assert root.findtext(f"{ATOM}updated") and yesterday.findtext(f"{ATOM}updated")


def test_the_feed_in_english_and_after_a_publish():
    publish_notice(title="휴강", title_en="No classes", body_en="<p>Classes resume Monday.</p>", slug="no-classes")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = notice_board().url + "feed/"
    root = parse_feed(english.get(url))
    assert root.findtext(f"{ATOM}title") == "Notices · ReelVision"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["No classes"]
    assert root.find(f"{ATOM}entry").findtext(f"{ATOM}summary") == "<p>Classes resume Monday.</p>"

    publish_notice(title="보강", title_en="Make-up class", slug="make-up")  # the cached feed is rebuilt
    root = parse_feed(english.get(url))
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Make-up class", "No classes"]


def test_a_notice_body_with_a_page_link_is_expanded_in_the_feed_and_the_page():
    target = NoticePageFactory(title="링크된 공지", slug="linked")
    notice = NoticePageFactory(
        title="링크가 있는 공지", body=f'<p>자세한 내용은 <a linktype="page" id="{target.pk}">여기</a>.</p>'
    )
    assert f'href="{target.url}"' in page_html(notice.url)
    summary = parse_feed(Client().get(notice_board().url + "feed/")).find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert 'href="/notices/linked/"' in summary and "linktype" not in summary


def test_notice_model_helpers():
    notice = NoticePageFactory(body="<p>첫 문단 &amp; 둘째.</p><p>다음</p>", banner_until=None)
    assert notice.display_excerpt == "첫 문단 & 둘째. 다음"
    assert not notice.is_banner
    assert notice.board == notice_board()
    assert NoticePage.objects.pinned().count() == 0
