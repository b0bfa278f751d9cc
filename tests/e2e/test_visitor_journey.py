"""A visitor browses the catalogue in headless Chromium: filters, a film page, English, a phone screen."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from films.choices import CreditRole
from films.models import FilmPage, FundingProjectPage, Genre, Person
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory, PersonFactory

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@dataclass
class Catalogue:
    """The live pages the visitor will meet: films by genre slug, a director, a funding project."""

    by_genre: dict[str, list[FilmPage]]
    director: Person
    project: FundingProjectPage

    def titles_not_in(self, genre: str) -> list[str]:
        return [film.title for slug, films in self.by_genre.items() if slug != genre for film in films]


def film(title, title_en, slug, genre, synopsis, credits=()):
    """A live film in one of the seeded genres, with a Korean and an English synopsis."""
    return FilmPageFactory(
        title=title,
        title_en=title_en,
        slug=slug,
        synopsis=f"<p>{synopsis}</p>",
        synopsis_en=f"<p>{synopsis} (English)</p>",
        genres=[Genre.objects.get(slug=genre)],
        credits=credits,
    )


@pytest.fixture
def catalogue():
    """Five live films in three genres (the drama "겨울 정류장" has a director and an actor) and a funding project."""
    director = PersonFactory(name="김지수", name_en="Kim Jisu")
    actor = PersonFactory(name="박서준", name_en="Park Seojun")
    credits = [(director, CreditRole.DIRECTOR), (actor, CreditRole.LEAD_ACTOR)]
    project = FundingProjectPageFactory(title="달빛 편의점", slug="moonlight-store", target_amount=3_000_000)
    DonationTierFactory(project=project, amount=5_000, title="응원 한 잔", reward="엔딩 크레딧에 이름을 올립니다.")
    return Catalogue(
        by_genre={
            "drama": [
                film(
                    "겨울 정류장",
                    "Winter Bus Stop",
                    "winter-bus-stop",
                    "drama",
                    "눈 내리는 밤, 막차를 기다리는 두 사람.",
                    credits,
                ),
                film(
                    "바다의 끝",
                    "Where the Sea Ends",
                    "where-the-sea-ends",
                    "drama",
                    "섬을 떠나려는 소녀의 마지막 여름.",
                ),
            ],
            "comedy": [
                film("엉망진창 결혼식", "The Messy Wedding", "the-messy-wedding", "comedy", "모든 것이 잘못되는 하루."),
                film("고양이 탐정", "Cat Detective", "cat-detective", "comedy", "사라진 생선을 쫓는 동네 고양이."),
            ],
            "horror": [film("지하 3층", "Basement Three", "basement-three", "horror", "주차장에서 들려오는 발소리.")],
        },
        director=director,
        project=project,
    )


def card(page, title: str):
    """The catalogue card linking to the film called `title` (its accessible name holds the title)."""
    return page.get_by_role("main").get_by_role("link", name=title)


def test_visitor_filters_the_catalogue_by_genre_and_opens_a_film(page, live_server, catalogue, screenshot):
    """Home → catalogue (main nav) → choosing a genre lists only that genre → film page with title, synopsis, credits."""
    page.goto("/")
    screenshot(page, "home")

    page.get_by_role("navigation").get_by_role("link", name="작품", exact=True).click()
    page.wait_for_url(re.compile(r"/films/$"))
    for films in catalogue.by_genre.values():
        for each in films:
            expect(card(page, each.title)).to_be_visible()
    screenshot(page, "catalogue")

    # With JavaScript the filter form submits itself when a select changes.
    page.get_by_label("장르").select_option("drama")
    page.wait_for_url(re.compile(r"[?&]genre=drama\b"))
    expect(card(page, "겨울 정류장")).to_be_visible()
    expect(card(page, "바다의 끝")).to_be_visible()
    for title in catalogue.titles_not_in("drama"):
        expect(card(page, title)).to_have_count(0)
    screenshot(page, "catalogue-drama")

    card(page, "겨울 정류장").click()
    page.wait_for_url(re.compile(re.escape(catalogue.by_genre["drama"][0].url) + "$"))
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("겨울 정류장")
    expect(main).to_contain_text("눈 내리는 밤, 막차를 기다리는 두 사람.")
    expect(main.get_by_role("link", name="김지수").first).to_be_visible()
    expect(main).to_contain_text("박서준")
    screenshot(page, "film")


def test_genre_filter_works_without_javascript(new_context, live_server, catalogue, screenshot):
    """The filter is a plain GET form: with scripts off, choosing a genre and pressing Apply filters the list."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/films/")
    page.get_by_label("장르").select_option("comedy")
    page.get_by_role("button", name="적용").click()
    page.wait_for_url(re.compile(r"[?&]genre=comedy\b"))
    expect(card(page, "고양이 탐정")).to_be_visible()
    for title in catalogue.titles_not_in("comedy"):
        expect(card(page, title)).to_have_count(0)
    screenshot(page, "catalogue-comedy-no-js")


def test_visitor_switches_the_film_page_to_english(page, live_server, catalogue, screenshot):
    """The language switch turns the site English: the film page shows its English title, synopsis and names."""
    film = catalogue.by_genre["drama"][0]
    page.goto(film.url)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text("겨울 정류장")

    page.get_by_role("link", name=re.compile(r"^EN\b")).click()
    page.wait_for_url(re.compile(re.escape(film.url) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Winter Bus Stop")
    expect(page.get_by_role("main")).to_contain_text("(English)")
    expect(page.get_by_role("main")).to_contain_text("Kim Jisu")
    screenshot(page, "film-english")

    page.get_by_role("navigation").get_by_role("link", name="Films", exact=True).click()
    expect(card(page, "Where the Sea Ends")).to_be_visible()
    screenshot(page, "catalogue-english")


@pytest.mark.parametrize("where", ["home", "catalogue", "film", "funding project"])
def test_pages_fit_a_phone_screen(new_context, live_server, catalogue, screenshot, where):
    """On a 390×844 phone, the home, catalogue, film and funding pages render without sideways scrolling."""
    path = {
        "home": "/",
        "catalogue": "/films/",
        "film": catalogue.by_genre["drama"][0].url,
        "funding project": catalogue.project.url,
    }[where]
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    page.goto(path)
    expect(page.get_by_role("main")).to_be_visible()
    screenshot(page, "phone")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert not has_horizontal_overflow(page), f"{path} is {width[0]}px wide on a {width[1]}px phone"
