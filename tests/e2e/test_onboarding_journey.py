"""A new member's first visits, in headless Chromium on a phone in Korean: sign up, pick the genres
they like (three at least; two are refused), find rows made for them above the curated home page,
come back to a film they stopped half-way, resume it where they stopped, and be offered the next
film when it ends.

The recommendation tables are written by the periodic recompute; the test runs it where the worker
would (`recompute_all`), once before the member exists (this week's popularity) and once after they
have watched something (their own recommendations).
"""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from analytics.models import PlaybackSession
from films.models import Genre
from members.models import User
from recommendations.models import PickedGenre
from recommendations.recompute import recompute_all
from recommendations.tests.factories import viewed, watchable_film
from watching.models import WatchProgress

from .conftest import PHONE
from .journeys import ready_video
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-pass-phrase-for-tests-1"
STOPPED_AT = 8.0  # seconds into the film the member came back to


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


@pytest.fixture
def catalogue(tmp_path):
    """Films in the genres the member will pick, one outside them that other people watch a lot,
    and one with a real stream (so it can be resumed and played to its end)."""
    genre = {slug: Genre.objects.get(slug=slug) for slug in ("animation", "romance", "thriller", "comedy")}
    picked = [
        watchable_film(title="종이 고래", title_en="Paper Whale", slug="종이-고래", genres=[genre["animation"]]),
        watchable_film(title="마지막 버스", title_en="The Last Bus", slug="마지막-버스", genres=[genre["romance"]]),
        watchable_film(title="빈집", title_en="Empty House", slug="빈집", genres=[genre["thriller"]]),
    ]
    streamed = watchable_film(
        title="겨울 정류장",
        title_en="Winter Stop",
        slug="겨울-정류장",
        genres=[genre["romance"]],
        main_video=ready_video(tmp_path / "winter.mp4", seconds=20),
    )
    popular = watchable_film(title="웃음 공장", title_en="Laugh Factory", slug="웃음-공장", genres=[genre["comedy"]])
    for viewer in range(5):
        viewed(popular, f"visitor-{viewer}")
    recompute_all()
    return {"picked": picked, "streamed": streamed, "popular": popular}


def sign_up(page) -> None:
    page.goto(reverse("account_signup"))
    form = page.locator("form").filter(has=page.locator("[name=display_name]"))
    form.locator("[name=email]").fill("saenaegi@example.com")
    form.locator("[name=display_name]").fill("새내기 관객")
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    for consent in ("agree_terms", "agree_privacy", "age_14_or_older"):
        form.locator(f"[name={consent}]").check()
    form.locator("button[type=submit]").click()
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", mail.outbox[-1].body).group(1)
    page.locator("[name=code]").fill(code)
    page.get_by_role("button", name="확인").click()


def row(page, title: str):
    return page.locator("section.film-row").filter(has=page.get_by_role("heading", name=title, exact=True))


def test_a_new_member_picks_genres_finds_their_rows_and_resumes_a_film(new_context, catalogue, screenshot):
    page = new_context(viewport=PHONE).new_page()
    sign_up(page)

    # Straight after the code: the genre picker, once.
    expect(page.get_by_role("heading", name="좋아하는 장르를 세 개 이상 골라 주세요")).to_be_visible()
    expect(page.get_by_role("link", name="나중에 하기")).to_be_visible()
    assert layout_problems(page) == []
    screenshot(page, "genre-picker")

    # Two are not enough: the page says so and keeps them ticked.
    page.get_by_label("애니메이션").check()
    page.get_by_label("로맨스").check()
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_role("alert")).to_contain_text("장르를 세 개 이상")
    expect(page.get_by_label("애니메이션")).to_be_checked()
    assert not PickedGenre.objects.exists()
    screenshot(page, "genre-picker-two")

    page.get_by_label("스릴러").check()
    page.get_by_role("button", name="저장").click()
    expect(page).to_have_url(re.compile(r"/$"))
    member = User.objects.get(email="saenaegi@example.com")
    assert set(PickedGenre.objects.filter(user=member).values_list("genre__slug", flat=True)) == {
        "animation",
        "romance",
        "thriller",
    }

    # The home page opens with their rows: new films in the picked genres, and this week's popular film.
    genre_row = row(page, "좋아하는 장르의 새 작품")
    expect(genre_row).to_be_visible()
    for film in [*catalogue["picked"], catalogue["streamed"]]:
        expect(genre_row.get_by_text(film.title, exact=True)).to_be_visible()
    expect(genre_row.get_by_text("웃음 공장", exact=True)).to_have_count(0)
    expect(row(page, "이번 주 인기 작품").get_by_text("웃음 공장", exact=True)).to_be_visible()
    first_section = page.locator("main .home-section").first
    expect(first_section).to_have_class(re.compile(r"home-section--personal"))
    assert layout_problems(page) == []
    screenshot(page, "home-rows")

    # Later: they stopped "겨울 정류장" at 0:08, and the hourly recompute has run since.
    film = catalogue["streamed"]
    WatchProgress.objects.create(
        user=member,
        video=film.main_video,
        film=film,
        position=STOPPED_AT,
        duration=film.main_video.duration,
        watched_seconds=STOPPED_AT,
    )
    recompute_all()
    page.goto("/")
    continuing = row(page, "이어 보기")
    card = continuing.locator(".film-card").filter(has_text="겨울 정류장")
    expect(card.locator("progress.film-card__progress")).to_have_attribute("value", str(round(100 * STOPPED_AT / 20)))
    expect(row(page, "좋아하는 장르의 새 작품").get_by_text("겨울 정류장", exact=True)).to_have_count(0)
    expect(row(page, "회원님을 위한 추천")).to_be_visible()
    screenshot(page, "home-continue-watching")

    # The card goes straight to the player, which picks up where they stopped.
    card.locator("a.film-card__link").click()
    expect(page).to_have_url(re.compile(r"/watch/"))
    page.wait_for_function(f"() => document.querySelector('video').currentTime >= {STOPPED_AT}")
    # The player says so (its time display may show 0:08 too, once it has drawn a frame there).
    expect(page.locator("[data-notice]")).to_contain_text("0:08")

    # Played to the end, the film offers the next one: one of theirs, not this one.
    def reports_the_end(response) -> bool:
        if "/analytics/session/" not in response.url or response.status != 204:
            return False
        return any(end >= 19 for _start, end in json.loads(response.request.post_data)["ranges"])

    with page.expect_response(reports_the_end):
        page.evaluate(
            "() => { const v = document.querySelector('video'); v.currentTime = v.duration - 0.5; v.play(); }"
        )
        up_next = page.locator("[data-up-next]")
        expect(up_next).to_be_visible()
    # The play was reported as a session of this member's: from 0:08 on, then the end, not what was skipped.
    session = PlaybackSession.objects.get(user=member, film=film)
    assert session.completed and session.ranges[0][0] >= STOPPED_AT - 1 and session.ranges[-1][1] >= 19
    assert session.source == "home" and session.watched_seconds < 20 - STOPPED_AT + 1
    next_title = up_next.locator(".film-card__title").inner_text()
    assert next_title in {film.title for film in catalogue["picked"]}
    screenshot(page, "up-next")
    problems = layout_problems(page)
    assert problems == [], "\n".join(problems)
