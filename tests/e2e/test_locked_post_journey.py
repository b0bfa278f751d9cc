"""On a phone, a member who has not backed a project finds a post for its backers locked, backs the
project at the post's tier through the sandbox, and comes back to the post: its text and picture
are there, and its video plays in the site's player. Headless Chromium, 390 px, English pages,
Korean data."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from community.models import Post, PostAudience
from community.tests.post_helpers import add_image, png_upload
from donations.models import Order
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, UserFactory
from tests.e2e.journeys import log_in, ready_video

from .conftest import PHONE, has_horizontal_overflow
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = "셋째 날 밤, 비가 그치지 않아 버스 정류장 장면을 새벽 네 시에 다시 찍었습니다."


@pytest.fixture
def locked_post(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"
    creator = CreatorFactory(display_name="김감독")
    project = FundingProjectPageFactory(
        title="심야 버스", title_en="Night Bus", slug="night-bus", owner=creator, minimum_donation=1000
    )
    DonationTierFactory(project=project, amount=5_000, title="응원 한 잔")
    tier = DonationTierFactory(project=project, amount=20_000, title="촬영 일지")
    post = Post.objects.create(
        page=project,
        author=creator,
        title="셋째 날 현장 일지",
        teaser="비 오는 밤, 정류장 촬영 이야기",
        body=BODY,
        audience=PostAudience.BACKERS,
        minimum_tier=tier,
        published_at=timezone.now(),
    )
    add_image(post, alt="비에 젖은 버스 정류장")
    making = ready_video(tmp_path / "making.mp4")
    making.owner, making.title = creator, "메이킹 필름"
    making.save(update_fields=["owner", "title"])
    post.videos.add(making)
    return post


def test_a_member_backs_the_project_and_the_locked_post_opens(new_context, locked_post, screenshot):
    member = UserFactory(display_name="이후원")
    page = new_context(locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, member)
    post_url = reverse("community:post", args=[locked_post.pk])

    page.goto(post_url)
    expect(page.get_by_role("heading", name="셋째 날 현장 일지")).to_be_visible()
    expect(page.get_by_text("비 오는 밤, 정류장 촬영 이야기")).to_be_visible()
    expect(page.get_by_role("heading", name="This post is for backers of “촬영 일지” or more")).to_be_visible()
    expect(page.get_by_text(BODY)).to_have_count(0)
    assert page.locator("img[src*='/community/posts/images/']").count() == 0
    assert "/community/posts/images/" not in page.content() and "/stream/" not in page.content()
    assert page.locator("[data-player]").count() == 0
    assert not has_horizontal_overflow(page) and layout_problems(page) == []
    screenshot(page, "locked")

    page.get_by_role("link", name="Back this project").click()
    expect(page.get_by_role("heading", name="Night Bus")).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("촬영 일지"))).to_be_checked()
    screenshot(page, "checkout")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Sandbox: no real money")).to_be_visible()
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", name="Your donation has arrived")).to_be_visible()
    order = Order.objects.get(member=member)
    assert (order.status, order.amount, order.tier_id) == ("paid", 20_000, locked_post.minimum_tier_id)

    page.goto(post_url)
    expect(page.get_by_text(BODY)).to_be_visible()
    picture = page.get_by_role("img", name="비에 젖은 버스 정류장")
    expect(picture).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector(\"img[src*='/community/posts/images/']\"); "
        "return i && i.complete && i.naturalWidth === 64; }"
    )
    expect(page.get_by_role("heading", name=re.compile("This post is for backers"))).to_have_count(0)
    assert not has_horizontal_overflow(page) and layout_problems(page) == []
    screenshot(page, "unlocked")

    # The post's video plays in the site's player, through links signed for this backer.
    page.locator("[data-player]").focus()
    page.keyboard.press("m")
    page.locator("[data-play]").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)
    screenshot(page, "playing")

    # The picture's address is the member's own: another member's browser is refused it.
    address = page.locator("img[src*='/community/posts/images/']").get_attribute("src")
    stranger = new_context(locale="en-US", viewport=PHONE).new_page()
    log_in(stranger, UserFactory())
    assert stranger.request.get(address.replace("&amp;", "&")).status == 403


def test_the_creator_writes_a_backers_post_with_a_picture_on_a_phone(new_context, settings, tmp_path, screenshot):
    """From the management list: the form at 390 px, a tier, a picture; the post opens for its creator."""
    settings.MEDIA_ROOT = tmp_path / "media"
    creator = CreatorFactory(display_name="김감독")
    project = FundingProjectPageFactory(title="심야 버스", title_en="Night Bus", owner=creator)
    DonationTierFactory(project=project, amount=20_000, title="촬영 일지")
    picture = tmp_path / "정류장.png"
    picture.write_bytes(png_upload().read())
    page = new_context(locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, creator)

    page.goto(reverse("community:page_posts_manage", args=[project.pk]))
    expect(page.get_by_text("No posts yet.")).to_be_visible()
    page.get_by_role("link", name="Write a post").click()
    page.get_by_label("Title").fill("첫 촬영을 마쳤습니다")
    page.get_by_label("Teaser").fill("후원자 여러분께 먼저 전합니다")
    page.get_by_label("Text").fill("감사합니다.\nhttps://example.com 에서 예고편도 보세요.")
    page.get_by_label("Backers").check()
    page.get_by_label("From tier").select_option(label="촬영 일지 (20,000 KRW)")
    page.get_by_label("Add pictures").set_input_files(str(picture))
    assert not has_horizontal_overflow(page) and layout_problems(page) == []
    screenshot(page, "form")
    page.get_by_role("button", name="Post it").click()

    expect(page.get_by_text("Your post is published.")).to_be_visible()
    post = Post.objects.get(page=project)
    assert (post.audience, post.minimum_tier.amount, post.images.count()) == ("backers", 20_000, 1)
    expect(page.get_by_role("link", name="https://example.com")).to_have_attribute("rel", "nofollow ugc noopener")
    page.wait_for_function(
        "() => { const i = document.querySelector(\"img[src*='/community/posts/images/']\"); "
        "return i && i.complete && i.naturalWidth === 64; }"
    )
    screenshot(page, "published")
    page.get_by_role("link", name="Manage posts").click()
    expect(page.get_by_role("cell", name="첫 촬영을 마쳤습니다")).to_be_visible()
    assert not has_horizontal_overflow(page)
    screenshot(page, "manage")
