"""Finding films in headless Chromium: a remembered line leads to its moment in the film, playing;
suggestions while typing; voice search (with a stand-in for the browser's speech recognition)."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from films.tests.factories import FilmPageFactory
from tests.e2e.journeys import ready_video
from videos.captions import import_caption

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINES = (
    "1\n00:00:01,000 --> 00:00:03,000\n버스가 오기를 기다리는 중이에요.\n\n"
    "2\n00:00:08,000 --> 00:00:10,000\n우리 같이 걸을까요?\n\n"
    "3\n00:00:10,500 --> 00:00:11,500\n눈이 와요.\n"
)

# A stand-in for the browser's speech recognition: "hears" a Korean phrase once started.
SPEECH_STUB = """
(() => {
  class FakeRecognition {
    start() {
      sessionStorage.setItem('heardLanguage', this.lang);
      setTimeout(() => {
        this.onresult && this.onresult({ results: [[{ transcript: "겨울 정류장", confidence: 0.9 }]] });
        this.onend && this.onend();
      }, 50);
    }
    stop() { this.onend && this.onend(); }
    abort() { this.stop(); }
  }
  window.SpeechRecognition = FakeRecognition;
  window.webkitSpeechRecognition = FakeRecognition;
})();
"""
NO_SPEECH = "delete window.SpeechRecognition; delete window.webkitSpeechRecognition;"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture
def winter(tmp_path):
    video = ready_video(tmp_path / "winter.mp4", seconds=12)
    import_caption(video, "ko", "", ContentFile(LINES.encode(), name="ko.srt"))
    return FilmPageFactory(title="겨울 정류장", title_en="Winter Stop", slug="겨울-정류장", price=0, main_video=video)


def test_a_remembered_line_opens_the_film_at_that_moment_playing(new_context, winter, screenshot):
    page = new_context().new_page()
    page.goto("/")
    search_box = page.locator("#site-search-q")
    search_box.fill("같이 걷다")  # the line says 걸을까요: the same verb, conjugated
    search_box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    line = page.locator(".dialogue-line", has_text="우리 같이 걸을까요?")
    expect(line).to_be_visible()
    expect(line.locator(".dialogue-line__time")).to_have_text("0:08")
    screenshot(page, "dialogue-hit")

    line.click()
    page.wait_for_url(re.compile(r"/watch/.+/\?t=8$"))
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); return v.currentTime >= 8 && !v.paused; }",
        timeout=60_000,
    )
    # The transcript follows the film: the line being spoken is the one that was searched for.
    current = page.locator(".transcript__line.is-current")
    expect(current).to_contain_text(re.compile("우리 같이 걸을까요?|눈이 와요."))
    screenshot(page, "playing-at-the-line")

    # A click on a line plays from there; a search within the film finds by word roots.
    page.locator(".transcript__line", has_text="버스가 오기를").locator("button").click()
    page.wait_for_function("() => document.querySelector('video').currentTime < 5")
    page.fill("#transcript-q", "기다리다")
    page.locator("[data-transcript-search] button[type=submit]").click()
    expect(page.locator(".transcript__line")).to_have_count(1)
    expect(page.locator(".transcript__line")).to_contain_text("기다리는 중이에요")


def test_suggestions_while_typing(new_context, winter):
    page = new_context().new_page()
    page.goto("/search/")
    page.locator("#search-q").press_sequentially("겨우", delay=50)  # on the way to 겨울
    option = page.get_by_role("option", name=re.compile("겨울 정류장"))
    expect(option).to_be_visible()
    page.locator("#search-q").press("ArrowDown")
    page.locator("#search-q").press("Enter")
    page.wait_for_url(re.compile(r"/films/"))
    expect(page.locator("h1")).to_contain_text("겨울 정류장")


def test_voice_search_fills_the_box_and_searches(new_context, winter, screenshot):
    context = new_context(viewport=PHONE)
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.goto("/")
    microphone = page.locator("header .site-search__voice")
    expect(microphone).to_be_visible()
    assert not has_horizontal_overflow(page)
    screenshot(page, "microphone")
    microphone.click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.evaluate("sessionStorage.getItem('heardLanguage')") == "ko-KR"
    expect(page.locator("#search-q")).to_have_value("겨울 정류장")
    expect(page.locator(".film-card", has_text="겨울 정류장").first).to_be_visible()


def test_voice_search_listens_in_english_in_english_mode(new_context, winter):
    context = new_context(locale="en-US")
    context.add_init_script(SPEECH_STUB)
    page = context.new_page()
    page.goto("/")
    page.locator("header .site-search__voice").click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.evaluate("sessionStorage.getItem('heardLanguage')") == "en-US"


def test_no_microphone_without_speech_recognition(new_context, winter):
    context = new_context()
    context.add_init_script(NO_SPEECH)
    page = context.new_page()
    page.goto("/")
    expect(page.locator("#site-search-q")).to_be_visible()
    expect(page.locator(".site-search__voice")).to_have_count(0)
