"""Steps the end-to-end journeys share (logging in, making a ready video, creating a project,
uploading), imported by the journey modules; fixtures live in conftest.py."""

import re
import time

from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from videos import storage
from videos import tasks as video_tasks
from videos.models import Video, VideoStatus
from videos.tasks import process_video
from videos.tests.media import make_clip

PASSWORD = "password"  # UserFactory's
TITLE = "달빛 편의점"
TITLE_EN = "Moonlight Convenience Store"
LOGLINE = "새벽 세 시 편의점, 야간 알바생과 단골손님의 마지막 밤."
TIERS = [(5_000, "응원 한 잔"), (50_000, "엔딩 크레딧에 이름")]


def ready_video(path, seconds=6) -> Video:
    clip = make_clip(path, seconds=seconds, width=640, height=360)
    video = Video.objects.create(title=path.stem, status=VideoStatus.UPLOADING)
    video.original_key = storage.put_file(clip, f"{video.outputs_prefix}original.mp4", "video/mp4")
    video.save(update_fields=["original_key"])
    video_tasks.start_processing(video)  # outside a transaction: queued at once (the db backend)
    process_video.call(video.pk)  # as the worker would
    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.failure_reason
    return video


def log_in(page, user):
    """Log in through the site's form, in whatever language the page is in."""
    page.goto(reverse("account_login"))
    form = page.locator("form").filter(has=page.locator("[name=login]"))
    form.locator("[name=login]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: reverse("account_login") not in url)


def footer_actions(page):
    """Open the editor footer's "More actions" menu; return the footer to look for actions in."""
    page.get_by_role("button", name="More actions").click()
    return page.locator("footer")


def create_funding_project(page) -> None:
    """Fill in the new funding project form: the Story tab, then the Funding tab with two tiers."""
    page.get_by_role("textbox", name=re.compile(r"^Title\*?$")).fill(TITLE)
    page.get_by_role("textbox", name="English title").fill(TITLE_EN)
    page.get_by_role("textbox", name="Logline", exact=True).fill(LOGLINE)
    page.get_by_role("checkbox", name="Drama", exact=True).check()

    page.get_by_role("tab", name="Funding").click()
    page.get_by_role("spinbutton", name=re.compile(r"^Minimum donation")).fill("5000")
    page.get_by_role("spinbutton", name=re.compile(r"^Target amount")).fill("3000000")
    for number, (amount, title) in enumerate(TIERS, start=1):
        page.get_by_role("button", name="Add Donation tier").click()
        tier = page.get_by_role("region", name=f"Donation tier {number}")
        tier.get_by_role("spinbutton", name=re.compile(r"^Amount")).fill(str(amount))
        tier.get_by_role("textbox", name=re.compile(r"^Title")).fill(title)


def expect_message(page, text: str) -> None:
    """The admin's flash message (a role=status live region) says `text`."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


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


def open_upload_page(page):
    page.goto("/admin/videos/")
    page.get_by_role("link", name=re.compile("Add")).first.click()
    expect(page.locator(".uppy-Dashboard")).to_be_visible()


def add_file(page, path):
    page.locator(".uppy-Dashboard-input").first.set_input_files(str(path))


def start_upload(page):
    page.locator(".uppy-StatusBar-actionBtn--upload").click()


def eventually(condition, seconds: float = 30) -> None:
    """Wait until `condition()` holds (something the browser sends in the background, e.g. a
    progress beacon, reaches the database); fail if it still does not after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.1)
