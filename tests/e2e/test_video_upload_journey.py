"""A creator uploads a clip through the admin, waits for "Ready" and attaches it to their film."""

import re

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from films.models import FilmPage, Video, VideoStatus
from films.tests.factories import CreatorFactory, FilmPageFactory
from films.tests.media import make_clip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def run_worker() -> None:
    """What the worker `bin/run` starts does: drain the task queue (db_worker's own Worker class)."""
    Worker(
        queue_names=["*"],
        interval=0.2,
        batch=True,
        backend_name="db",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e-worker",
        excluded_queue_names=[],
    ).run()


def test_creator_uploads_waits_for_ready_and_attaches_the_video(admin_page, tmp_path, screenshot):
    creator = CreatorFactory(display_name="김창작")
    film = FilmPageFactory(title="겨울 정류장", slug="winter-stop", owner=creator, live=False)
    film.save_revision(user=creator)
    clip = make_clip(tmp_path / "winter-stop-final.mp4", seconds=3)

    page = admin_page(creator)
    page.goto("/admin/videos/")
    page.get_by_role("link", name=re.compile("Add")).first.click()
    page.get_by_label("Title").fill("겨울 정류장 — 최종본")
    page.get_by_label("Video file").set_input_files(str(clip))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/videos/edit/\d+/"), timeout=30_000)
    expect(page.locator("[data-status-label]")).to_have_text("Processing")
    screenshot(page, "processing")
    edit_url = page.url
    # SQLite's shared in-memory test database locks whole tables, so the page's status polling and
    # the worker must not overlap: leave the page while the worker runs, then come back.
    page.goto("about:blank")
    run_worker()
    page.goto(edit_url)
    expect(page.locator("[data-status-label]")).to_have_text("Ready")
    screenshot(page, "ready")

    video = Video.objects.get(owner=creator)
    assert video.status == VideoStatus.READY and video.original_filename == "winter-stop-final.mp4"
    assert video.renditions and video.poster_key

    page.goto(f"/admin/pages/{film.pk}/edit/")
    page.get_by_role("tab", name="Media & price").click()
    # The chooser modal: it lists the creator's own videos with their status; pick the new one.
    page.locator("[data-contentpath=main_video]").get_by_role("button", name="Choose a video").click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_text("Ready")).to_be_visible()
    modal.get_by_role("link", name=video.title).click()
    expect(page.locator("[data-contentpath=main_video]")).to_contain_text(video.title)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="has been updated")).to_be_visible()
    screenshot(page, "attached")
    assert FilmPage.objects.get(pk=film.pk).get_latest_revision_as_object().main_video_id == video.pk
