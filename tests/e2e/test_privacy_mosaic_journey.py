"""A creator mosaics the bystanders of a behind-the-scenes video, on a phone in Korean, in Chromium:
mark the video, find its people, tick the one who agreed, make the mosaic version."""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from skimage import data as sample_photos

from members.tests.factories import CreatorFactory
from videos import privacy
from videos.models import MosaicStatus, VideoMosaic
from videos.tests.helpers import ready_video
from videos.tests.media import make_two_faces_clip

from .conftest import PHONE, has_horizontal_overflow
from .journeys import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def run_queued(video, step) -> str:
    """What the analysis worker does with the task the page queued."""
    job = VideoMosaic.objects.get(video=video)
    return step(video.pk, str(job.run_token))


def test_a_creator_mosaics_everyone_but_the_person_who_agreed(new_context, tmp_path, screenshot):
    creator = CreatorFactory()
    clip = make_two_faces_clip(tmp_path / "bts.mp4", sample_photos.astronaut(), seconds=4)
    # Outside a test transaction the processing task is queued at once: nothing to capture.
    video = ready_video(clip, owner=creator, capture=lambda execute: contextlib.nullcontext())

    page = new_context(viewport=PHONE).new_page()
    log_in(page, creator)
    edit = reverse("videos_admin:edit", args=[video.pk])
    page.goto(edit)
    page.get_by_label("제작 현장 영상").check()
    page.get_by_role("button", name="저장").first.click()
    page.goto(edit + "#mosaic")
    page.get_by_role("button", name="사람 찾기").click()
    expect(page.locator("#mosaic")).to_contain_text("사람 찾는 중")
    assert run_queued(video, privacy.find) == "found"

    page.reload()  # the actions come back to the editor's #analysis: same page, so reload it
    people = page.locator(".mosaic-people__list li")
    expect(people).to_have_count(2)
    people.first.get_by_role("checkbox").check()
    page.locator("#mosaic").scroll_into_view_if_needed()
    assert not has_horizontal_overflow(page)
    screenshot(page, "people-ko")
    page.get_by_role("button", name="동의 여부 저장").click()
    page.get_by_role("button", name="모자이크 버전 만들기").click()
    assert run_queued(video, privacy.render) == "done"

    page.reload()
    expect(page.locator("#mosaic")).to_contain_text("관객에게 모자이크 버전 제공 중")
    assert VideoMosaic.objects.get(video=video).status == MosaicStatus.DONE
    assert VideoMosaic.objects.get(video=video).people.filter(consented=True).count() == 1
    page.locator("#mosaic").scroll_into_view_if_needed()
    screenshot(page, "done-ko")
