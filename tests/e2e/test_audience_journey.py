"""A creator's film is watched in Chromium; after the rollup, the creator opens Audience in the
admin and finds the play in the table and the charts (drawn by Chart.js from our static files)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from analytics.rollup import roll_up
from films.tests.factories import FilmPageFactory
from members.tests.factories import CreatorFactory

from .conftest import PHONE
from .journeys import log_in, ready_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def test_a_play_reaches_the_creators_audience_dashboard(new_context, admin_page, tmp_path, screenshot):
    creator = CreatorFactory()
    film = FilmPageFactory(
        title="관객의 밤",
        title_en="Audience Night",
        slug="관객의-밤",
        owner=creator,
        main_video=ready_video(tmp_path / "a.mp4"),
    )

    viewer = new_context().new_page()
    viewer.goto(film.url)  # counts a page view
    viewer.locator(f"a[href^='{reverse('watching:watch_film', args=[film.slug])}']").first.click()
    # The click starts a navigation; the watch page's player is there once it has loaded.
    viewer.locator("video").wait_for(state="attached")

    def reports_the_end(response) -> bool:
        if "/analytics/session/" not in response.url or response.status != 204:
            return False
        return any(end >= 5 for _start, end in json.loads(response.request.post_data)["ranges"])

    # Generous: on a loaded machine the clip plays and the player reports more slowly, never differently.
    with viewer.expect_response(reports_the_end, timeout=180_000):
        viewer.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    roll_up(timezone.localdate())  # as the periodic task does

    page = admin_page(creator)
    page.get_by_role("link", name="Audience").click()
    row = page.get_by_role("row").filter(has_text="Audience Night")
    expect(row).to_be_visible()
    expect(row.get_by_role("cell").first).to_have_text("1")  # one play
    row.get_by_role("link", name="Audience Night").click()
    page.wait_for_url(f"**{reverse('analytics_film', args=[film.pk])}**")
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 3")
    drawn = page.evaluate(
        "() => Object.values(Chart.instances).find((c) => c.canvas.dataset.chart === 'plays').data.datasets[0].data.at(-1)"
    )
    assert drawn == 1
    screenshot(page, "audience-film")

    # The same page in Korean on a phone: Korean labels, the charts drawn, nothing wider than the screen.
    phone = new_context(viewport=PHONE).new_page()
    log_in(phone, creator)
    phone.goto(reverse("analytics_film", args=[film.pk]))
    expect(phone.get_by_role("heading", name="재생 수와 시청 시간")).to_be_visible()
    expect(phone.get_by_role("cell", name="Plays")).to_have_count(0)
    phone.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 3")
    screenshot(phone, "audience-film-phone-ko")
