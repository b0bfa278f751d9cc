"""The core loop in headless Chromium: a creator publishes, a visitor finds and watches, a member pays, the creator sees it.

One journey through the real site with a Korean title (so a Korean slug) from start to end:
the creator uploads a clip in the Videos admin (Uppy), the worker transcodes it, the creator
makes a paid film page with it and submits it for review; Staff approve with a comment (from
the dashboard's review panel); the film is live in the catalogue and the API; a visitor on a
phone (390 px, Korean) finds it by searching its title without spaces and sees its price; as a
member (English) they buy it, watch it and see it owned, then back the creator's funding project
with a reward sent by post, giving an address; the creator sees them among the project's backers.

The second journey walks the public half again in the other language at the other width: a
visitor in English on a desktop (1440 px) finds the film, a member buys and watches it in Korean
on a desktop, and the creator, on a phone in Korean, sees a backer.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donations.models import Order
from donations.tests.factories import paid_donation
from films.models import FilmPage
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory, film_index
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos.models import Video, VideoStatus
from videos.tests.media import make_clip

from .conftest import PHONE, has_horizontal_overflow
from .journeys import (
    add_file,
    expect_message,
    footer_actions,
    log_in,
    open_upload_page,
    ready_video,
    run_worker,
    start_upload,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "리뷰 테스트 영화"
SLUG = "리뷰-테스트-영화"
LOGLINE = "심사를 기다리는 영화 한 편의 하루."
PROJECT = "겨울 정류장 이후"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def upload_and_transcode(editor, clip) -> Video:
    """The creator uploads `clip` in the Videos admin; the worker (as bin/run starts it) makes it ready."""
    open_upload_page(editor)
    add_file(editor, clip)
    start_upload(editor)
    editor.wait_for_url(re.compile(r"/admin/videos/edit/\d+/"), timeout=30_000)
    edit_url = editor.url
    editor.goto("about:blank")  # the status polling and the worker must not share in-memory SQLite at once
    run_worker()
    editor.goto(edit_url)
    expect(editor.locator("[data-status-label]")).to_have_text("Ready")
    video = Video.objects.latest("pk")
    assert video.status == VideoStatus.READY
    return video


def create_paid_film(editor, video: Video) -> None:
    """The creator adds a film under the catalogue: Korean title (the slug follows it), logline, genre, video, price."""
    editor.goto(reverse("wagtailadmin_explore", args=[film_index().pk]))
    editor.get_by_role("link", name="Add child page").first.click()
    editor.get_by_role("link", name="Film", exact=True).click()
    editor.get_by_role("textbox", name=re.compile(r"^Title\*?$")).fill(TITLE)
    editor.get_by_role("textbox", name="Logline", exact=True).fill(LOGLINE)
    editor.get_by_role("checkbox", name="Drama", exact=True).check()
    editor.get_by_role("tab", name="Media & price").click()
    editor.locator("[data-contentpath=main_video]").get_by_role("button", name="Choose a video").click()
    editor.locator(".modal-content").get_by_role("link", name=video.title).click()
    expect(editor.locator("[data-contentpath=main_video]")).to_contain_text(video.title)
    editor.get_by_role("spinbutton", name=re.compile(r"^Price")).fill("5000")
    editor.get_by_role("button", name="Save draft").click()
    expect_message(editor, f"'{TITLE}' created")


def play(page) -> None:
    """Start the player muted (nothing blocks autoplay-less playback then) and wait until the film runs."""
    page.locator("[data-player]").focus()
    page.keyboard.press("m")
    page.locator("[data-play]").click()
    # Generous: on a loaded machine the first segments can take a while to come through the live server.
    page.wait_for_function("() => document.querySelector('video')?.currentTime > 1", timeout=60_000)


def test_a_korean_film_goes_from_upload_to_a_paying_viewer_and_a_backer_the_creator_sees(
    admin_page, new_context, tmp_path, screenshot
):
    """Upload, review, publish, find, buy, watch, own, back with an address, and the creator sees the backer."""
    creator = CreatorFactory(display_name="김창작")
    staff = StaffUserFactory(display_name="박심사")
    member = UserFactory(display_name="이관객")
    project = FundingProjectPageFactory(title=PROJECT, owner=creator, minimum_donation=1000)
    DonationTierFactory(project=project, amount=20_000, title="감사 엽서", reward="손글씨 엽서", ships=True)

    # The creator: upload, a page with a Korean title, submit for review.
    editor = admin_page(creator)
    video = upload_and_transcode(editor, make_clip(tmp_path / "review-test.mp4", seconds=4))
    create_paid_film(editor, video)
    film = FilmPage.objects.get(title=TITLE)
    assert (film.slug, film.owner, film.live) == (SLUG, creator, False)
    footer_actions(editor).get_by_role("button", name="Submit to Film review").click()
    expect_message(editor, "submitted for moderation")
    screenshot(editor, "creator-submitted")

    # Staff approve with a comment: the film is live, in the catalogue and in the API.
    # From the dashboard's review panel here; approving in the page editor with autosave on (both
    # "Approve" and "Approve with comment") is walked through in test_approval_autosave.py.
    reviewer = admin_page(staff)
    awaiting = reviewer.get_by_role("region", name="Awaiting your review")
    expect(awaiting.get_by_role("link", name=TITLE)).to_be_visible()
    awaiting.get_by_role("button", name="Actions").click()
    awaiting.get_by_role("button", name="Approve with comment").click()
    dialog = reviewer.get_by_role("dialog")
    dialog.get_by_role("textbox").fill("좋습니다. 공개합니다.")
    dialog.get_by_role("button", name="Approve with comment").click()
    reviewer.wait_for_load_state()
    expect(reviewer.get_by_role("region", name="Awaiting your review").get_by_role("link", name=TITLE)).to_have_count(0)
    screenshot(reviewer, "staff-approved")
    film.refresh_from_db()
    assert film.live and not film.has_unpublished_changes
    visitor = new_context(viewport=PHONE).new_page()  # Korean, on a phone
    visitor.goto("/films/")
    expect(visitor.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    films = visitor.request.get("/api/v2/films/").json()["items"]
    assert [item["meta"]["slug"] for item in films if item["id"] == film.pk] == [SLUG]

    # The visitor finds it by its title typed without spaces; a paid film shows its price, not the film.
    visitor.goto("/search/")
    visitor.get_by_role("main").get_by_role("combobox").fill("리뷰테스트영화")
    visitor.keyboard.press("Enter")
    visitor.get_by_role("main").get_by_role("link", name=TITLE).first.click()
    visitor.wait_for_url(re.compile(re.escape(film.url) + "$"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("main")).to_contain_text("5,000")
    assert not has_horizontal_overflow(visitor)
    screenshot(visitor, "visitor-film-phone")

    # A member, on a phone: buys it, watches the whole film, and sees it owned.
    phone = new_context(locale="en-US", viewport=PHONE).new_page()
    log_in(phone, member)
    phone.goto(film.url)
    phone.get_by_role("link", name="Buy and watch").click()  # to the watch page: the trailer and the offer
    phone.wait_for_url(re.compile(re.escape(reverse("watching:watch_film", args=[SLUG])) + "$"))
    phone.get_by_role("link", name="Buy and watch").click()
    phone.get_by_role("button", name="Continue to payment").click()
    phone.get_by_role("button", name="Pay", exact=True).click()
    expect(phone.get_by_role("heading", name="The film is yours")).to_be_visible()
    phone.get_by_role("link", name="Watch now").click()
    phone.wait_for_url(re.compile(re.escape(reverse("watching:watch_film", args=[SLUG])) + "$"))
    play(phone)
    screenshot(phone, "member-watching-phone")
    phone.goto(film.url)
    expect(phone.get_by_role("link", name="Owned · Continue watching")).to_be_visible()
    phone.goto(reverse("members:my_library"))
    expect(phone.get_by_role("main").get_by_role("link", name=re.compile(TITLE)).first).to_be_visible()
    screenshot(phone, "member-library-phone")

    # The member backs the creator's project with a reward sent by post, giving the address.
    phone.goto(reverse("donations:donate", args=[project.pk]))
    phone.get_by_role("radio", name=re.compile("감사 엽서")).check()
    phone.get_by_label("Recipient").fill("이관객")
    phone.get_by_label(re.compile(r"^Phone")).fill("010-1234-5678")
    phone.get_by_label(re.compile(r"^Postcode")).fill("04620")
    phone.locator("[name=shipping_address]").fill("서울 중구 필동로1길 30")
    phone.get_by_role("button", name="Continue to payment").click()
    phone.get_by_role("button", name="Pay", exact=True).click()
    expect(phone.get_by_role("heading", name="Your donation has arrived")).to_be_visible()
    donation = Order.objects.get(kind="donation", member=member)
    assert donation.status == "paid" and donation.tier.title == "감사 엽서"

    # The creator sees the backer (and where to send the postcard).
    editor.goto(reverse("donations:project_backers", args=[project.pk]))
    backers = editor.get_by_role("main")
    expect(backers).to_contain_text("이관객")
    expect(backers).to_contain_text("04620")
    screenshot(editor, "creator-backers")


def test_the_public_half_in_english_on_a_desktop_and_korean_on_a_desktop_and_a_phone(new_context, tmp_path, screenshot):
    """Find (English, 1440 px), buy, watch and own (Korean, 1440 px), see the backer (Korean, 390 px)."""
    creator = CreatorFactory(display_name="김창작")
    member = UserFactory(display_name="이관객")
    film = film_index().add_child(instance=FilmPage(title=TITLE, slug=SLUG, owner=creator, logline=LOGLINE, price=5000))
    film.main_video = ready_video(tmp_path / "public-half.mp4", seconds=4)
    film.save_revision().publish()
    project = FundingProjectPageFactory(title=PROJECT, owner=creator, minimum_donation=1000)
    paid_donation(project, member=member, amount=20_000)

    # A visitor reading in English, on a desktop: the catalogue, search without spaces, the price.
    visitor = new_context(locale="en-US").new_page()
    visitor.goto("/films/")
    expect(visitor.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    visitor.goto("/search/")
    visitor.get_by_role("main").get_by_role("combobox").fill("리뷰테스트영화")
    visitor.keyboard.press("Enter")
    visitor.get_by_role("main").get_by_role("link", name=TITLE).first.click()
    visitor.wait_for_url(re.compile(re.escape(film.url) + "$"))
    expect(visitor.get_by_role("main")).to_contain_text("5,000")
    expect(visitor.get_by_role("link", name="Buy and watch")).to_be_visible()
    assert not has_horizontal_overflow(visitor)
    screenshot(visitor, "visitor-film-desktop-en")

    # A member reading in Korean, on a desktop: buys, watches, and sees the film owned.
    desktop = new_context().new_page()
    log_in(desktop, member)
    desktop.goto(film.url)
    desktop.get_by_role("link", name="구매하고 보기").click()
    desktop.wait_for_url(re.compile(re.escape(reverse("watching:watch_film", args=[SLUG])) + "$"))
    desktop.get_by_role("link", name="구매하고 보기").click()
    desktop.get_by_role("button", name="결제하기").click()
    desktop.get_by_role("button", name="결제", exact=True).click()
    expect(desktop.get_by_role("heading", name="작품을 소장하셨습니다")).to_be_visible()
    desktop.get_by_role("link", name="지금 보기").click()
    desktop.wait_for_url(re.compile(re.escape(reverse("watching:watch_film", args=[SLUG])) + "$"))
    expect(desktop.locator("[data-player] video")).to_be_attached()
    play(desktop)
    desktop.goto(film.url)
    expect(desktop.get_by_role("link", name="소장 중 · 이어 보기")).to_be_visible()
    assert not has_horizontal_overflow(desktop)
    screenshot(desktop, "member-owned-desktop-ko")

    # The creator, on a phone in Korean: the project's backers, with the member among them.
    phone = new_context(viewport=PHONE).new_page()
    log_in(phone, creator)
    phone.goto(reverse("donations:project_backers", args=[project.pk]))
    expect(phone.get_by_role("main")).to_contain_text("이관객")
    expect(phone.get_by_role("main")).to_contain_text("20,000")
    assert not has_horizontal_overflow(phone)
    screenshot(phone, "creator-backers-phone-ko")
