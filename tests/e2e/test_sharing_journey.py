"""Sharing and festivals in headless Chromium: a visitor copies a film's link (and finds it on the
clipboard, with a confirmation on screen), sees the film's laurels and the laurel mark on its card,
and a backer shares the project from the thank-you page; at 390 px nothing sticks out sideways."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from donations.tests.factories import paid_donation
from films.choices import FestivalKind
from films.models import Festival
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, ImageFactory, film_index
from members.tests.factories import UserFactory

from .conftest import PHONE, has_horizontal_overflow
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLIPBOARD = ["clipboard-read", "clipboard-write"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def festival(page, kind, name, name_en, year, award="", award_en=""):
    Festival.objects.create(
        page=page,
        kind=kind,
        name=name,
        name_en=name_en,
        year=year,
        award=award,
        award_en=award_en,
        sort_order=page.festivals.count(),
    )


@pytest.fixture
def site():
    """A film with two laurels (an award, a selection) and a project with one, both with posters, and
    a member who backed the project."""
    film = FilmPageFactory(
        title="겨울 정류장",
        title_en="Winter Bus Stop",
        slug="winter-bus-stop",
        logline="막차를 기다리는 두 사람, 오지 않는 버스, 끝나지 않는 대화.",
        poster=ImageFactory(file__width=600, file__height=900),
    )
    festival(film, FestivalKind.AWARD, "한강국제단편영화제", "Han River International Short Film Festival", 2025,
             "최우수 작품상", "Best Film")  # fmt: skip
    festival(film, FestivalKind.OFFICIAL_SELECTION, "남산독립영화제", "Namsan Independent Film Festival", 2025,
             "경쟁 부문", "Competition")  # fmt: skip
    film.save_revision().publish()
    project = FundingProjectPageFactory(
        title="무대 뒤의 사람들",
        title_en="People Backstage",
        slug="backstage",
        poster=ImageFactory(file__width=600, file__height=900),
    )
    festival(project, FestivalKind.OFFICIAL_SELECTION, "한강국제단편영화제", "Han River International Short Film Festival",
             2026, "프로젝트 마켓", "Project Market")  # fmt: skip
    project.save_revision().publish()
    member = UserFactory(display_name="이하늘")
    order = paid_donation(project, member, 12_000)
    return {"film": film, "project": project, "member": member, "order": order}


def logged_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def test_a_visitor_copies_a_films_link_and_sees_its_laurels(new_context, live_server, site, screenshot):
    page = new_context(permissions=CLIPBOARD).new_page()
    film = site["film"]
    page.goto(film.url)

    laurels = page.locator(".laurel")
    expect(laurels).to_have_count(2)
    expect(laurels.first).to_be_visible()
    expect(laurels.first).to_contain_text("최우수 작품상")
    expect(laurels.first).to_contain_text("한강국제단편영화제 2025")
    expect(page.get_by_role("heading", name="영화제 · 수상")).to_have_count(1)  # for screen readers
    # The wreath is drawn: our static SVG on both sides of each laurel.
    wreath = page.evaluate("getComputedStyle(document.querySelector('.laurel'), '::before').backgroundImage")
    assert "/static/images/laurel.svg" in wreath

    share = page.get_by_role("region", name="공유")
    copy = share.get_by_role("button", name="링크 복사")
    expect(copy).to_be_visible()
    # The share sheet button is there exactly where the browser has one.
    has_share_sheet = page.evaluate("typeof navigator.share === 'function'")
    expect(share.get_by_role("button", name="공유하기…")).to_have_count(1 if has_share_sheet else 0)
    address, words = quote(f"{live_server.url}{film.url}", safe=""), quote("ReelVision에서 겨울 정류장 보기", safe="")
    expect(share.get_by_role("link", name="X에 공유 (새 탭에서 열림)")).to_have_attribute(
        "href", f"https://x.com/intent/post?url={address}&text={words}"
    )
    expect(share.get_by_role("link", name="Facebook에 공유 (새 탭에서 열림)")).to_have_attribute(
        "href", f"https://www.facebook.com/sharer/sharer.php?u={address}"
    )
    screenshot(page, "film-page")

    copy.click()
    expect(share.get_by_role("status")).to_have_text("링크를 복사했어요. 원하는 곳에 붙여 넣어 공유하세요.")
    expect(share.get_by_role("button", name="복사됨")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{film.url}"
    screenshot(page, "copied")


def test_copy_link_in_english(new_context, live_server, site):
    page = new_context(permissions=CLIPBOARD, locale="en-US").new_page()
    page.goto(site["project"].url)
    expect(page.locator(".laurel")).to_contain_text("Project Market")
    share = page.get_by_role("region", name="Share")
    share.get_by_role("button", name="Copy link").click()
    expect(share.get_by_role("status")).to_contain_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{site['project'].url}"


def test_the_catalogue_marks_films_with_laurels(page, site):
    page.goto(film_index().url)
    card = page.locator(".film-card").filter(has_text="겨울 정류장")
    mark = card.locator(".film-card__laurel")
    expect(mark).to_be_visible()
    expect(mark).to_have_attribute("title", "영화제 수상작")
    page.goto(f"{film_index().url}?festival=awarded")
    expect(page.locator(".film-card")).to_have_count(1)
    expect(page.locator(".film-card__title")).to_have_text("겨울 정류장")


def test_a_backer_shares_the_project_after_backing(new_context, live_server, site, screenshot):
    context = logged_in(new_context(permissions=CLIPBOARD), live_server, site["member"])
    page = context.new_page()
    page.goto(reverse("donations:order_detail", args=[site["order"].public_id]))
    share = page.get_by_role("region", name="공유")
    share.get_by_role("button", name="링크 복사").click()
    expect(share.get_by_role("status")).to_contain_text("링크를 복사했어요")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{site['project'].url}"
    screenshot(page, "thank-you")


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_laurels_and_share_blocks_fit_a_phone(new_context, live_server, site, screenshot, locale):
    """At 390 px: the film page, the project page, the catalogue and the thank-you page fit, with no
    control over another and no text one character per line."""
    context = logged_in(
        new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale),
        live_server,
        site["member"],
    )
    page = context.new_page()
    found = {}
    urls = [
        site["film"].url,
        site["project"].url,
        film_index().url,
        reverse("donations:order_detail", args=[site["order"].public_id]),
    ]
    for url in urls:
        page.goto(url)
        expect(page.locator("#main")).to_be_visible()
        if url != film_index().url:
            expect(page.locator(".share")).to_be_visible()
        problems = layout_problems(page) + (["sideways scrolling"] if has_horizontal_overflow(page) else [])
        name = url.strip("/").replace("/", "_")
        screenshot(page, f"{locale}-{name}")
        if problems:
            found[url] = problems
    assert found == {}
