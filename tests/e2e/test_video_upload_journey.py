"""Creators upload videos in the admin with Uppy's Dashboard: a clip to "Ready" and onto their film,
a big file over a connection that drops, a reload in the middle, and straight to S3."""

import collections
import hashlib
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from films.models import FilmPage
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory
from tests.e2e.journeys import add_file, open_upload_page, run_worker, start_upload
from videos import storage
from videos.models import Video, VideoStatus
from videos.tests.media import make_clip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PART = 5 * 1024 * 1024
PART_REQUEST = re.compile(r"op=part|partNumber=")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"
    settings.VIDEO_UPLOAD_PART_BYTES = PART


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class PartCounter:
    """Counts the part PUTs the browser makes (by part number); can drop some as a bad network would."""

    def __init__(self, drop=lambda number, attempt: False):
        self.sent = collections.Counter()
        self.drop = drop
        self.lock = threading.Lock()

    def __call__(self, route):
        query = parse_qs(urlsplit(route.request.url).query)
        number = int(query["partNumber"][0])
        with self.lock:
            self.sent[number] += 1
            attempt = self.sent[number]
        if route.request.method == "PUT" and self.drop(number, attempt):
            route.abort("connectionreset")
        else:
            route.continue_()


def test_creator_uploads_waits_for_ready_and_attaches_the_video(admin_page, tmp_path, screenshot):
    creator = CreatorFactory(display_name="김창작")
    film = FilmPageFactory(title="겨울 정류장", slug="winter-stop", owner=creator, live=False)
    film.save_revision(user=creator)
    clip = make_clip(tmp_path / "winter-stop-final.mp4", seconds=3)

    page = admin_page(creator)
    open_upload_page(page)
    add_file(page, clip)
    # Each file's title is edited on its card before the upload (the file name is the default).
    page.locator(".uppy-Dashboard-Item-action--edit").click()
    title = page.get_by_label("Title")
    expect(title).to_have_value("winter-stop-final")
    title.fill("겨울 정류장 — 최종본")
    page.get_by_role("button", name="Save changes").click()
    screenshot(page, "file-added")
    start_upload(page)
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
    # The edit page previews the ready video: its poster, and a player that plays it.
    preview = page.locator("[data-video-preview]")
    expect(preview).to_be_visible()
    preview.evaluate("video => { video.muted = true; return video.play(); }")
    page.wait_for_function("() => document.querySelector('[data-video-preview]').currentTime > 0.5")
    screenshot(page, "ready")
    # The list shows the poster at thumbnail size (not squeezed to nothing by the table).
    page.goto("/admin/videos/")
    poster = page.locator("td.video-chooser__poster img").first
    expect(poster).to_be_visible()
    # Shown as soon as the row is drawn, loaded a moment later: wait for the picture itself.
    poster.evaluate(
        "img => img.complete || new Promise(done => { img.addEventListener('load', done, { once: true });"
        " img.addEventListener('error', done, { once: true }); })"
    )
    assert poster.evaluate("img => img.naturalWidth > 0 && img.getBoundingClientRect().width >= 90")

    video = Video.objects.get(owner=creator)
    assert video.status == VideoStatus.READY and video.original_filename == "winter-stop-final.mp4"
    assert video.title == "겨울 정류장 — 최종본"
    assert video.renditions and video.poster_key and video.sha256 == sha256(clip)

    page.goto(f"/admin/pages/{film.pk}/edit/")
    page.get_by_role("tab", name="Media & price").click()
    # The chooser modal: it lists the creator's own videos with their status; pick the new one.
    page.locator("[data-contentpath=main_video]").get_by_role("button", name="Choose a video").click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_text("Ready")).to_be_visible()
    expect(modal.locator("td.video-chooser__poster img").first).to_be_visible()
    modal.get_by_role("link", name=video.title).click()
    expect(page.locator("[data-contentpath=main_video]")).to_contain_text(video.title)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="has been updated")).to_be_visible()
    screenshot(page, "attached")
    assert FilmPage.objects.get(pk=film.pk).get_latest_revision_as_object().main_video_id == video.pk


def test_a_dropped_connection_resumes_without_sending_finished_parts_again(admin_page, tmp_path, screenshot):
    creator = CreatorFactory()
    clip = make_clip(tmp_path / "big.mp4", seconds=3, noise=True)  # about 16 MB: four parts
    assert clip.stat().st_size > 3 * PART
    # Part 3 fails five times in a row: more than Uppy's own retries, so the upload stops with a
    # network error and the page resumes it by itself.
    parts = PartCounter(drop=lambda number, attempt: number == 3 and attempt <= 5)

    page = admin_page(creator)
    page.route(PART_REQUEST, parts)
    open_upload_page(page)
    add_file(page, clip)
    start_upload(page)
    expect(page.locator("[data-message]")).to_contain_text("Connection lost", timeout=30_000)
    screenshot(page, "connection-lost")
    page.wait_for_url(re.compile(r"/admin/videos/edit/\d+/"), timeout=60_000)

    assert parts.sent[1] == parts.sent[2] == parts.sent[4] == 1  # what had arrived was not sent again
    assert parts.sent[3] == 6
    video = Video.objects.get(owner=creator)
    assert video.status == VideoStatus.PROCESSING
    assert hashlib.sha256(storage.local_path(video.original_key).read_bytes()).hexdigest() == sha256(clip)


def test_after_a_reload_the_same_file_resumes_from_the_parts_the_server_has(admin_page, tmp_path, screenshot):
    creator = CreatorFactory()
    clip = make_clip(tmp_path / "big.mp4", seconds=3, noise=True)
    parts = PartCounter(drop=lambda number, attempt: number >= 3)  # the connection is gone after part 2

    page = admin_page(creator)
    page.route(PART_REQUEST, parts)
    open_upload_page(page)
    add_file(page, clip)
    start_upload(page)
    expect(page.locator("[data-message]")).to_contain_text("Connection lost", timeout=30_000)
    video = Video.objects.get(owner=creator)
    assert sorted(p.name for p in (storage.local_path(f"uploads/{video.pk}")).glob("*.part")) == [
        "00001.part",
        "00002.part",
    ]

    # The creator reloads; the connection is back. Golden Retriever remembers the file, whose bytes
    # the page cannot keep: adding the same file again resumes the upload.
    page.unroute(PART_REQUEST)
    parts.drop = lambda number, attempt: False
    page.route(PART_REQUEST, parts)
    page.reload()
    expect(page.locator(".uppy-Dashboard")).to_be_visible()
    expect(page.get_by_text("Session restored")).to_be_visible()
    screenshot(page, "after-reload")
    page.get_by_role("button", name="Re-select").click()  # opens the "add files" panel
    add_file(page, clip)
    screenshot(page, "file-again")
    start_upload(page)
    page.wait_for_url(re.compile(r"/admin/videos/edit/\d+/"), timeout=60_000)

    assert parts.sent[1] == parts.sent[2] == 1  # not sent again after the reload
    assert parts.sent[4] == 1
    assert list(Video.objects.filter(owner=creator).values_list("pk", "status")) == [(video.pk, VideoStatus.PROCESSING)]
    assert hashlib.sha256(storage.local_path(video.original_key).read_bytes()).hexdigest() == sha256(clip)


def test_with_s3_the_browser_sends_the_parts_straight_to_the_bucket(admin_page, tmp_path, s3_storage, live_server):
    creator = CreatorFactory()
    clip = make_clip(tmp_path / "big.mp4", seconds=3, noise=True)
    parts = PartCounter()
    to_django = []

    page = admin_page(creator)
    page.route(PART_REQUEST, parts)
    page.on("request", lambda request: to_django.append(request) if request.url.startswith(live_server.url) else None)
    open_upload_page(page)
    add_file(page, clip)
    start_upload(page)
    page.wait_for_url(re.compile(r"/admin/videos/edit/\d+/"), timeout=60_000)

    endpoint = s3_storage.meta.endpoint_url
    assert sorted(parts.sent) == [1, 2, 3, 4]
    assert not [r for r in to_django if r.method == "PUT"]  # no video bytes went through Django
    video = Video.objects.get(owner=creator)
    body = s3_storage.get_object(Bucket=storage.bucket_name(), Key=video.original_key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == sha256(clip) and video.status == VideoStatus.PROCESSING
    assert endpoint.startswith("http://127.0.0.1:")
