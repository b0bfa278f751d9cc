"""A visitor watches a free film in headless Chromium; a visitor who has not bought a paid film cannot."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory
from tests.e2e.journeys import eventually, ready_video
from videos.captions import import_caption

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SRT = b"1\n00:00:00,500 --> 00:00:03,500\nHello from the bus stop.\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def test_visitor_plays_a_free_film(new_context, tmp_path, screenshot):
    video = ready_video(tmp_path / "free.mp4")
    import_caption(video, "en", "English", ContentFile(SRT, name="en.srt"))
    FilmPageFactory(title="정류장", title_en="The Stop", slug="the-stop", price=0, main_video=video)

    page = new_context().new_page()
    page.goto("/watch/the-stop/")
    supported = page.evaluate("MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.4d401e,mp4a.40.2\"')")
    assert supported, "this Chromium cannot decode H.264/AAC"
    player = page.locator("[data-player]")
    expect(page.locator("[data-captions] option")).to_have_count(2)  # Off + English
    player.focus()
    page.keyboard.press("m")  # muted, so nothing blocks playback without sound
    page.locator("[data-play]").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)
    screenshot(page, "playing")

    # Keyboard: pause with space, then jump to 50 % with "5".
    player.focus()
    page.keyboard.press(" ")
    page.wait_for_function("() => document.querySelector('video').paused")
    page.keyboard.press("5")
    page.wait_for_function("() => Math.abs(document.querySelector('video').currentTime - 3) < 0.6")

    # Captions: drawn from the chosen track, above the control bar rather than under it.
    page.evaluate("document.querySelector('video').currentTime = 1.5")
    page.select_option("[data-captions]", "en")
    captions = page.locator("[data-caption-box]")
    expect(captions).to_have_text("Hello from the bus stop.")
    box, bar = captions.bounding_box(), page.locator(".player__controls").bounding_box()
    assert box["y"] + box["height"] <= bar["y"] + 1
    page.select_option("[data-captions]", "")
    expect(captions).to_be_hidden()

    # The pause reported progress: one view counted for this anonymous viewer.
    from watching.models import DailyView

    eventually(lambda: DailyView.objects.filter(video=video).count() == 1)

    phone = new_context(viewport=PHONE).new_page()
    phone.goto("/watch/the-stop/")
    expect(phone.locator("[data-play]")).to_be_visible()
    assert not has_horizontal_overflow(phone)
    screenshot(phone, "phone")


def test_non_buyer_gets_the_trailer_and_cannot_play_the_paid_film(new_context, tmp_path, screenshot, live_server):
    main = ready_video(tmp_path / "main.mp4", seconds=3)
    trailer = ready_video(tmp_path / "trailer.mp4", seconds=3)
    owner = UserFactory()
    FilmPageFactory(
        title="404호", title_en="Room 404", slug="room-404", price=5000, main_video=main, trailer=trailer, owner=owner
    )

    page = new_context().new_page()
    page.goto("/watch/room-404/")
    expect(page.locator(".watch__buy")).to_contain_text("5,000")
    config = page.evaluate("JSON.parse(document.getElementById('player-config').textContent)")
    assert config["is_trailer"] and config["video_id"] == trailer.pk
    assert f"/stream/{main.pk}/" not in page.content()
    screenshot(page, "trailer")

    # A link minted for the owner does not play for this visitor.
    from videos import signing

    owners_link = live_server.url + signing.signed_url(main.pk, "hls/master.m3u8", f"u{owner.pk}", ttl=300)
    assert page.request.get(owners_link).status == 403
    forged = live_server.url + signing.signed_url(main.pk, "hls/master.m3u8", "anon", ttl=300).replace("s=", "s=f")
    assert page.request.get(forged).status == 403
