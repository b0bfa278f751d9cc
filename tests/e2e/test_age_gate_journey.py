"""A film rated 19 (청소년 관람불가) on a phone, in Chromium: a visitor is asked to log in, then for
their date of birth (a youth's is refused), and the film plays once the age is confirmed."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory
from watching.models import AgeCheck

from .conftest import PHONE, has_horizontal_overflow
from .journeys import ready_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def test_an_adults_only_film_plays_after_log_in_and_an_age_check(new_context, tmp_path, screenshot):
    film = FilmPageFactory(
        title="붉은 새벽",
        title_en="Red Dawn",
        slug="붉은-새벽",
        price=0,
        age_rating="19",
        main_video=ready_video(tmp_path / "a.mp4", seconds=3),
    )
    member = UserFactory()
    watch_url = reverse("watching:watch_film", args=[film.slug])

    phone = new_context(viewport=PHONE).new_page()
    phone.goto(watch_url)
    expect(phone.get_by_text("청소년 관람불가 영화입니다. 성인만 볼 수 있습니다.")).to_be_visible()
    expect(phone.locator("video")).to_have_count(0)
    assert not has_horizontal_overflow(phone)
    screenshot(phone, "gate-log-in-ko")

    phone.locator(".watch__age").get_by_role("link", name="로그인").click()
    form = phone.locator("form").filter(has=phone.locator("[name=login]"))
    form.locator("[name=login]").fill(member.email)
    form.locator("[name=password]").fill("password")
    form.locator("button[type=submit]").click()
    phone.wait_for_url(f"**{watch_url}")  # back to the film after logging in

    youth = f"{datetime.date.today().year - 17}-03-01"
    phone.get_by_label("생년월일").fill(youth)
    screenshot(phone, "gate-age-ko")
    phone.get_by_role("button", name="나이 확인").click()
    expect(phone.get_by_text("청소년 관람불가 영화는 성인만 볼 수 있습니다.", exact=False)).to_be_visible()
    assert not AgeCheck.objects.filter(user=member).exists()

    phone.get_by_label("생년월일").fill("1995-07-14")
    phone.get_by_role("button", name="나이 확인").click()
    expect(phone.get_by_text("확인되었습니다.", exact=False)).to_be_visible()
    expect(phone.locator("video")).to_have_count(1)
    assert AgeCheck.objects.filter(user=member).count() == 1
    assert not has_horizontal_overflow(phone)
    screenshot(phone, "plays-ko")


def test_the_gate_in_english_leaves_no_korean(new_context, screenshot):
    film = FilmPageFactory(title="붉은 새벽", title_en="Red Dawn", slug="붉은-새벽", price=0, age_rating="19")
    page = new_context(viewport=PHONE, locale="en-US").new_page()
    page.goto(reverse("watching:watch_film", args=[film.slug]))
    gate = page.locator(".watch__age")
    expect(gate).to_contain_text("Log in and confirm your age")
    expect(page.get_by_text("This film is rated 19+: it plays for adults only.")).to_be_visible()
    assert not has_horizontal_overflow(page)
    screenshot(page, "gate-en")
