"""A visitor browses the catalogue in headless Chromium: filters, a film page, English, a phone screen."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from films.choices import CreditRole
from films.models import Credit, FilmIndexPage, FilmPage, Genre, Person

from .conftest import PHONE, has_horizontal_overflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@dataclass
class Catalogue:
    """The films the visitor will meet, by genre slug."""

    by_genre: dict[str, list[FilmPage]]
    director: Person

    def urls(self, genre: str) -> list[str]:
        return [film.url for film in self.by_genre[genre]]

    def urls_not_in(self, genre: str) -> list[str]:
        return [film.url for slug, films in self.by_genre.items() if slug != genre for film in films]


def publish_film(index, *, title, title_en, slug, genre_slugs, synopsis, credits=()):
    """Add a live FilmPage under the catalogue, with genres and credits, as the admin would."""
    film = FilmPage(
        title=title,
        title_en=title_en,
        slug=slug,
        logline=f"{title} 한 줄 소개",
        logline_en=f"{title_en} in one line",
        synopsis=f"<p>{synopsis}</p>",
        synopsis_en=f"<p>{synopsis} (English)</p>",
        graduation_year=2024,
        runtime_minutes=20,
        credits=[Credit(person=person, role=role, sort_order=n) for n, (person, role) in enumerate(credits)],
    )
    film.genres.set(Genre.objects.filter(slug__in=genre_slugs))
    index.add_child(instance=film)
    film.save_revision().publish()
    film.refresh_from_db()
    return film


@pytest.fixture
def catalogue():
    """Five live films in three genres; the drama "겨울 정류장" has a director and an actor."""
    index = FilmIndexPage.objects.get()
    director = Person.objects.create(name="김지수", name_en="Kim Jisu")
    actor = Person.objects.create(name="박서준", name_en="Park Seojun")
    drama_credits = [(director, CreditRole.DIRECTOR), (actor, CreditRole.LEAD_ACTOR)]
    return Catalogue(
        by_genre={
            "drama": [
                publish_film(
                    index,
                    title="겨울 정류장",
                    title_en="Winter Bus Stop",
                    slug="winter-bus-stop",
                    genre_slugs=["drama"],
                    synopsis="눈 내리는 밤, 막차를 기다리는 두 사람.",
                    credits=drama_credits,
                ),
                publish_film(
                    index,
                    title="바다의 끝",
                    title_en="Where the Sea Ends",
                    slug="where-the-sea-ends",
                    genre_slugs=["drama"],
                    synopsis="섬을 떠나려는 소녀의 마지막 여름.",
                ),
            ],
            "comedy": [
                publish_film(
                    index,
                    title="엉망진창 결혼식",
                    title_en="The Messy Wedding",
                    slug="the-messy-wedding",
                    genre_slugs=["comedy"],
                    synopsis="모든 것이 잘못되는 결혼식 하루.",
                ),
                publish_film(
                    index,
                    title="고양이 탐정",
                    title_en="Cat Detective",
                    slug="cat-detective",
                    genre_slugs=["comedy"],
                    synopsis="동네 고양이가 사라진 생선을 추적한다.",
                ),
            ],
            "horror": [
                publish_film(
                    index,
                    title="지하 3층",
                    title_en="Basement Three",
                    slug="basement-three",
                    genre_slugs=["horror"],
                    synopsis="주차장에서 들려오는 발소리.",
                ),
            ],
        },
        director=director,
    )


def film_link(scope, url: str):
    return scope.locator(f'a[href="{url}"]')


def choose_genre(page, slug: str) -> None:
    """Pick a genre the way a visitor would: the filter form's genre select, submitted."""
    form = page.locator("form:has(select[name=genre])").first
    form.locator("select[name=genre]").select_option(slug)
    # Submitting works without JavaScript; a script may already have submitted on change.
    submit = form.locator("button[type=submit], input[type=submit], button:not([type])")
    if not re.search(rf"[?&]genre={slug}\b", page.url) and submit.count() and submit.first.is_visible():
        submit.first.click()
    page.wait_for_url(re.compile(rf"[?&]genre={slug}\b"))


def test_visitor_filters_the_catalogue_by_genre_and_opens_a_film(page, live_server, catalogue, screenshot):
    """Home → catalogue (nav) → genre filter lists only that genre → film page with title, synopsis, credits."""
    page.goto("/")
    screenshot(page, "home")

    page.get_by_role("navigation").locator('a[href="/films/"]').first.click()
    page.wait_for_url(re.compile(r"/films/$"))
    main = page.locator("main")
    for url in catalogue.urls("drama") + catalogue.urls_not_in("drama"):
        expect(film_link(main, url).first).to_be_visible()
    screenshot(page, "catalogue")

    choose_genre(page, "drama")
    assert "genre=drama" in page.url
    for url in catalogue.urls("drama"):
        expect(film_link(main, url).first).to_be_visible()
    for url in catalogue.urls_not_in("drama"):
        expect(film_link(main, url)).to_have_count(0)
    screenshot(page, "catalogue-drama")

    film = catalogue.by_genre["drama"][0]
    film_link(main, film.url).first.click()
    page.wait_for_url(re.compile(re.escape(film.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("겨울 정류장")
    expect(main).to_contain_text("눈 내리는 밤, 막차를 기다리는 두 사람.")
    expect(main).to_contain_text("김지수")
    expect(main).to_contain_text("박서준")
    screenshot(page, "film")


def test_visitor_switches_the_film_page_to_english(page, live_server, catalogue, screenshot):
    """The language link turns the site English: the film page shows its English title and synopsis."""
    film = catalogue.by_genre["drama"][0]
    page.goto(film.url)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_contain_text("겨울 정류장")

    page.locator('a[href^="/i18n/switch/en/"]').first.click()
    page.wait_for_url(re.compile(re.escape(film.url) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Winter Bus Stop")
    expect(page.locator("main")).to_contain_text("(English)")
    expect(page.locator("main")).to_contain_text("Kim Jisu")
    screenshot(page, "film-english")

    page.goto("/films/")
    expect(page.locator("main")).to_contain_text("Where the Sea Ends")
    screenshot(page, "catalogue-english")


@pytest.mark.parametrize("path", ["/", "/films/"])
def test_pages_fit_a_phone_screen(new_context, live_server, catalogue, screenshot, path):
    """On a 390×844 phone, home and catalogue render without sideways scrolling."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    page.goto(path)
    expect(page.locator("main")).to_be_visible()
    screenshot(page, "phone")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert not has_horizontal_overflow(page), f"{path} is {width[0]}px wide on a {width[1]}px phone"
