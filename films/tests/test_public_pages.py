"""The public film pages as a visitor sees them: catalogue, film, funding project, collection, person."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from films.models import Genre
from videos.tests.factories import ready_video_record

from .factories import (
    CollectionPageFactory,
    DonationTierFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    ImageFactory,
    PersonFactory,
    ProductionUpdateFactory,
    film_index,
)
from .pages import get_uncached, page_html

pytestmark = pytest.mark.django_db


def card_titles(html: str) -> list[str]:
    return re.findall(r'class="film-card__title">([^<]+)<', html)


# --- film page ---------------------------------------------------------------------------------


def test_film_page_shows_titles_facts_and_story():
    """A film page shows its Korean and English titles, year, runtime, rating, logline, synopsis and director's message."""
    film = FilmPageFactory(
        title="밤의 정류장",
        title_en="Night Stop",
        original_title="Ostatni przystanek",
        graduation_year=2023,
        runtime_minutes=27,
        age_rating="15",
        logline="막차를 기다리는 두 사람.",
        synopsis="<p>도시의 마지막 정류장.</p>",
        directors_message="<p>가장 오래 붙잡은 질문.</p>",
        genres=[Genre.objects.get(slug="drama")],
    )
    html = page_html(film.url)
    for expected in (
        "밤의 정류장",
        "Night Stop",
        "Ostatni przystanek",
        "2023",
        "27",
        "rating--15",
        "막차를 기다리는 두 사람.",
        "도시의 마지막 정류장.",
        "가장 오래 붙잡은 질문.",
        "드라마",
    ):
        assert expected in html, expected


def test_film_page_shows_free_or_the_price():
    """A free film says it is free; a paid film shows its price in won."""
    free = FilmPageFactory(price=0, main_video=ready_video_record())
    paid = FilmPageFactory(price=3000, main_video=ready_video_record())
    assert "무료" in page_html(free.url)
    assert "3,000원" in page_html(paid.url)


def test_film_page_does_not_pretend_to_play():
    """Until its video is ready a film is coming soon: no price, no watch or buy button, and a note saying why."""
    film = FilmPageFactory(price=3000)
    html = page_html(film.url)
    assert 'id="watch-note"' in html and "badge--soon" in html
    assert "3,000원" not in html and f'href="{reverse("watching:watch_film", args=[film.slug])}"' not in html


def test_credits_are_grouped_by_role_and_link_to_person_pages():
    """Credits appear under their role, each name linking to the person's page."""
    director, actor_a, actor_b = (
        PersonFactory(name="김감독"),
        PersonFactory(name="이배우"),
        PersonFactory(name="박배우"),
    )
    film = FilmPageFactory(credits=[(director, "director"), (actor_a, "actor"), (actor_b, "actor")])
    html = page_html(film.url)
    credits = html[html.index('class="credits"') :]
    assert credits.count("<dt>") == 2
    actors_group = credits[credits.index("<dt>배우</dt>") :]
    assert f'href="{actor_a.get_absolute_url()}">이배우' in actors_group
    assert f'href="{actor_b.get_absolute_url()}">박배우' in actors_group
    assert f'href="{director.get_absolute_url()}">김감독' in credits


def test_film_page_uses_fixed_image_sizes_with_dimensions():
    """The poster is a fixed rendition with width and height, so the layout does not jump as it loads."""
    film = FilmPageFactory(poster=ImageFactory(file__width=1200, file__height=1800))
    html = page_html(film.url)
    assert re.search(r'<img[^>]+width="600"[^>]+height="900"', html) or re.search(
        r'<img[^>]+height="900"[^>]+width="600"', html
    )


# --- funding page ------------------------------------------------------------------------------


def test_funding_page_shows_raised_backers_target_and_minimum():
    """The money is out in the open: amount raised, backers, target, percentage and minimum donation."""
    project = FundingProjectPageFactory(target_amount=5_000_000, minimum_donation=2000, raised=(3_250_000, 87))
    html = page_html(project.url)
    assert "3,250,000원" in html
    assert "87" in html and "후원자" in html
    assert "5,000,000원" in html
    assert "65%" in html
    assert "2,000원" in html
    assert 'role="progressbar"' in html


def test_funding_page_says_there_is_no_deadline_and_no_all_or_nothing():
    """Every funding page states plainly that there is no deadline and it is not all-or-nothing."""
    html = page_html(FundingProjectPageFactory().url)
    assert "마감 기한이 없고" in html
    assert "목표에 못 미쳐도" in html


def test_funding_page_without_target_shows_no_bar_or_percentage():
    """Without a target there is no progress bar or percentage, only the amount raised, the backers and a sentence saying so."""
    project = FundingProjectPageFactory(target_amount=None, raised=(420_000, 12))
    html = page_html(project.url)
    assert "420,000원" in html
    assert "12명" in html
    assert "목표 금액이 없습니다" in html
    assert 'role="progressbar"' not in html
    assert "%" not in html[html.index('class="funding-box"') : html.index('class="share"')]


def test_funding_progress_bar_is_capped_but_percentage_is_not():
    """An over-funded project says 130% but its bar stops at full width."""
    project = FundingProjectPageFactory(target_amount=1_000_000, raised=(1_300_000, 40))
    html = page_html(project.url)
    assert "130%" in html
    assert "width: 100%" in html


def test_funding_page_lists_tiers_in_amount_order_each_linking_to_its_checkout():
    """Tiers appear cheapest first with their rewards; each button opens the checkout with that tier."""
    project = FundingProjectPageFactory()
    DonationTierFactory(project=project, amount=30_000, title="스태프 밥차", reward="크레딧에 이름")
    DonationTierFactory(project=project, amount=5_000, title="응원 한 잔")
    html = page_html(project.url)
    assert html.index("응원 한 잔") < html.index("스태프 밥차")
    assert "크레딧에 이름" in html
    tiers = html[html.index('id="tiers"') :]
    assert "<form" not in tiers  # plain links: the cached page stays the same for everyone
    checkout = reverse("donations:donate", args=[project.pk])
    assert len(re.findall(rf'href="{checkout}\?tier=\d+"', tiers)) == 2


def test_funding_page_lists_updates_newest_first():
    """Production updates are shown with their dates, newest first."""
    project = FundingProjectPageFactory()
    ProductionUpdateFactory(page=project, title="로케이션 확정", date=datetime.date(2026, 9, 10))
    ProductionUpdateFactory(page=project, title="촬영 시작", date=datetime.date(2026, 10, 1))
    html = page_html(project.url)
    assert html.index("촬영 시작") < html.index("로케이션 확정")
    assert 'datetime="2026-10-01"' in html


# --- collection page ---------------------------------------------------------------------------


def test_collection_page_lists_films_in_the_curators_order():
    """A collection shows its films in the order staff arranged them, not by date or title."""
    first, second, third = (
        FilmPageFactory(title="다"),
        FundingProjectPageFactory(title="가"),
        FilmPageFactory(title="나"),
    )
    collection = CollectionPageFactory(title="2024 졸업영화제", films=[first, second, third])
    html = page_html(collection.url)
    assert "2024 졸업영화제" in html
    assert card_titles(html) == ["다", "가", "나"]


# --- person page -------------------------------------------------------------------------------


def test_person_page_lists_their_films_with_roles():
    """A person's page shows their bio and every live film they worked on, with their roles on it."""
    person = PersonFactory(name="김지수", name_en="Kim Jisu", bio="일상 속 균열을 찍는다.")
    directed = FilmPageFactory(title="겨울 바다", credits=[(person, "director"), (person, "writer")])
    acted = FundingProjectPageFactory(title="별이 지는 곳", credits=[(person, "lead_actor")])
    unpublished = FilmPageFactory(title="미공개작", live=False, credits=[(person, "director")])
    html = page_html(person.get_absolute_url())
    assert "김지수" in html and "Kim Jisu" in html and "일상 속 균열을 찍는다." in html
    assert sorted(card_titles(html)) == sorted([directed.title, acted.title])
    assert unpublished.title not in html
    assert "감독, 각본" in html
    assert "주연" in html


def test_unknown_person_is_404():
    """A person slug that does not exist is a 404 page."""
    assert get_uncached(Client(), "/people/nobody/").status_code == 404


# --- catalogue -------------------------------------------------------------------------------


def test_catalogue_filters_by_genre_year_and_status_with_plain_get_params():
    """The filter form is a GET form; its parameters filter the list with no JavaScript involved."""
    drama, comedy = Genre.objects.get(slug="drama"), Genre.objects.get(slug="comedy")
    FilmPageFactory(slug="drama-2023", title="드라마 2023", genres=[drama], graduation_year=2023)
    FilmPageFactory(slug="drama-2024", title="드라마 2024", genres=[drama], graduation_year=2024)
    FilmPageFactory(slug="comedy-2024", title="코미디 2024", genres=[comedy], graduation_year=2024)
    FundingProjectPageFactory(slug="drama-in-production", title="제작 중 드라마", genres=[drama], graduation_year=2024)
    url = film_index().url
    html = page_html(url)
    assert re.search(r'<form class="filters" method="get"', html)
    cases = {
        "genre=drama": {"드라마 2023", "드라마 2024", "제작 중 드라마"},
        "genre=drama&year=2024": {"드라마 2024", "제작 중 드라마"},
        "genre=drama&status=finished": {"드라마 2023", "드라마 2024"},
        "status=funding": {"제작 중 드라마"},
        "year=2024&status=finished": {"드라마 2024", "코미디 2024"},
    }
    for query, titles in cases.items():
        html = page_html(f"{url}?{query}")
        assert set(card_titles(html)) == titles, query


def test_catalogue_filters_free_and_paid():
    """The status filter separates free films from paid ones."""
    FilmPageFactory(title="무료작", price=0, main_video=ready_video_record())
    FilmPageFactory(title="유료작", price=5000, main_video=ready_video_record())
    url = film_index().url
    assert card_titles(page_html(f"{url}?status=free")) == ["무료작"]
    assert card_titles(page_html(f"{url}?status=paid")) == ["유료작"]


def test_catalogue_sorts_by_title():
    """sort=title lists films alphabetically."""
    for title in ("나비", "다리", "가을"):
        FilmPageFactory(title=title)
    html = page_html(f"{film_index().url}?sort=title")
    assert card_titles(html) == ["가을", "나비", "다리"]


def test_catalogue_shows_active_filters_with_remove_links():
    """Each active filter is a chip whose link removes only that filter."""
    FilmPageFactory(genres=[Genre.objects.get(slug="drama")], graduation_year=2024)
    url = film_index().url
    html = page_html(f"{url}?genre=drama&year=2024&sort=title")
    chips = html[html.index('class="chips"') :]
    assert f'href="{url}?year=2024&amp;sort=title">드라마' in chips
    assert f'href="{url}?genre=drama&amp;sort=title">2024' in chips


def test_catalogue_shows_an_empty_state():
    """Filters that match nothing say so and offer the way back."""
    html = page_html(f"{film_index().url}?genre=horror")
    assert "조건에 맞는 작품이 없습니다" in html
    assert "0편" in html


def test_catalogue_pagination_keeps_the_filters():
    """Page links carry the active filters, so page 2 is page 2 of the same filtered list."""
    index = film_index()
    index.films_per_page = 6
    index.save_revision().publish()
    drama = Genre.objects.get(slug="drama")
    for n in range(8):
        FilmPageFactory(title=f"드라마 {n}", genres=[drama])
    FilmPageFactory(title="코미디", genres=[Genre.objects.get(slug="comedy")])
    html = page_html(f"{index.url}?genre=drama&sort=title")
    assert 'href="?genre=drama&amp;sort=title&amp;page=2"' in html
    page_two = page_html(f"{index.url}?genre=drama&sort=title&page=2")
    assert card_titles(page_two) == ["드라마 6", "드라마 7"]


def test_catalogue_ignores_an_invalid_filter_value():
    """A broken parameter (year=abc) drops that filter instead of failing."""
    FilmPageFactory(title="아무 영화")
    response = get_uncached(Client(), f"{film_index().url}?year=abc&page=99")
    assert response.status_code == 200
    assert card_titles(response.content.decode()) == ["아무 영화"]
