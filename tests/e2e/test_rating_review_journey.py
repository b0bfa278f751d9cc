"""Staff review a film's rating and the scan's flagged moment in the admin, on a phone in Korean,
and the visitor's film page then shows the confirmed rating and the advisory, in Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from skimage import data as sample_photos

from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory
from videos import analysis, storage
from videos.models import ContentFlag, FlagStatus, Video, VideoStatus
from videos.tests.media import make_photo_clip

from .conftest import PHONE, has_horizontal_overflow
from .journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    # The generated clip shows a face, not nudity: the scan flags the class it does see.
    settings.VIDEO_SCAN_LABELS = ["FACE_FEMALE"]
    settings.VIDEO_SCAN_MIN_SCORE = 0.3


def test_staff_confirm_a_rating_and_a_flagged_moment(new_context, tmp_path, screenshot):
    owner = CreatorFactory()
    clip = make_photo_clip(tmp_path / "bts.mp4", sample_photos.astronaut(), seconds=10)
    video = Video.objects.create(title="촬영 현장", owner=owner, status=VideoStatus.READY, duration=10)
    video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
    video.save(update_fields=["original_key", "hls_master_key"])
    film = FilmPageFactory(
        title="촬영장의 하루", slug="촬영장의-하루", age_rating="12", owner=owner, main_video=video, price=0
    )
    assert analysis.run(video.pk, str(analysis.queue(video))) == "done"

    staff = new_context(viewport=PHONE).new_page()
    log_in(staff, StaffUserFactory())
    staff.goto(reverse("films_ratings:list"))
    row = staff.get_by_role("row").filter(has_text="촬영장의 하루")
    expect(row).to_contain_text("12세")
    row.get_by_label("등급").select_option("15")
    assert not has_horizontal_overflow(staff)
    screenshot(staff, "ratings-ko")
    row.get_by_role("button", name="확정").click()
    expect(staff.get_by_text("15세", exact=False).first).to_be_visible()
    expect(staff.get_by_text("모든 작품의 등급이 확정되었습니다.")).to_be_visible()

    staff.goto(reverse("videos_admin:edit", args=[video.pk]) + "#sensitive")
    flag = staff.locator(".content-flag").first
    expect(flag).to_contain_text("운영진 확인 대기")
    flag.scroll_into_view_if_needed()  # the admin scrolls inside its own panel: bring the flag into the picture
    screenshot(staff, "flag-ko")
    flag.get_by_role("button", name="확정").click()
    expect(staff.locator(".content-flag--confirmed")).to_have_count(1)
    assert ContentFlag.objects.get(video=video).status == FlagStatus.CONFIRMED

    visitor = new_context(viewport=PHONE).new_page()
    visitor.goto(film.url)
    expect(visitor.locator(".facts .rating--15")).to_be_visible()
    expect(visitor.locator(".advisory")).to_contain_text("노출")
    expect(visitor.get_by_text("등급 확정 전")).to_have_count(0)
    assert not has_horizontal_overflow(visitor)
    screenshot(visitor, "film-page-ko")
    english = new_context(viewport=PHONE, locale="en-US").new_page()
    english.goto(film.url)
    expect(english.locator(".advisory")).to_contain_text("Nudity")
    screenshot(english, "film-page-en")
