"""Festivals and awards: the model, the laurels on film and project pages, the laurel mark on cards,
the catalogue's festival filters on the site, and editing them in the page editor."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from films.choices import FestivalKind
from films.models import Festival, FilmPage
from members.tests.admin_forms import client_for, edit_form
from members.tests.factories import CreatorFactory, StaffUserFactory

from .factories import FilmPageFactory, FundingProjectPageFactory, film_index
from .pages import page_html

pytestmark = pytest.mark.django_db

BUSAN = {"name": "부산국제영화제", "name_en": "Busan International Film Festival"}
JEONJU = {"name": "전주국제영화제", "name_en": "Jeonju International Film Festival"}


def add_festival(page, *, kind=FestivalKind.OFFICIAL_SELECTION, year=2025, award="", award_en="", **names):
    """A festival row on `page` (published as it is: festivals are part of the page's content)."""
    festival = Festival.objects.create(
        page=page,
        year=year,
        kind=kind,
        award=award,
        award_en=award_en,
        sort_order=page.festivals.count(),
        **(names or BUSAN),
    )
    page.specific.save_revision().publish()
    return festival


def english_html(url) -> str:
    return page_html(url, Client(HTTP_ACCEPT_LANGUAGE="en"))


def laurels(html: str) -> list[str]:
    """The text of each laurel on a page, whitespace squeezed."""
    items = re.findall(r'<li class="laurel laurel--[a-z_]+">(.*?)</li>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def card_marks(html: str) -> dict[str, str]:
    """{film title: the card's laurel mark ("award", "selection" or "")} of the cards on a page."""
    cards = re.findall(r'<article class="film-card.*?</article>', html, flags=re.S)
    marks = {}
    for card in cards:
        title = re.search(r'class="film-card__title">([^<]+)<', card).group(1)
        mark = re.search(r"film-card__laurel--(\w+)", card)
        marks[title] = mark.group(1) if mark else ""
    return marks


# --- the model ---------------------------------------------------------------------------------


def test_an_award_must_name_the_award():
    """An award without its name is refused on the award field; a selection needs none."""
    film = FilmPageFactory()
    with pytest.raises(ValidationError) as refused:
        Festival(page=film, year=2025, kind=FestivalKind.AWARD, award="  ", **BUSAN).full_clean()
    assert "award" in refused.value.message_dict
    Festival(page=film, year=2025, kind=FestivalKind.OFFICIAL_SELECTION, **BUSAN).full_clean()


def test_the_year_must_be_a_plausible_one():
    film = FilmPageFactory()
    with pytest.raises(ValidationError) as refused:
        Festival(page=film, year=1800, **BUSAN).full_clean()
    assert "year" in refused.value.message_dict


def test_a_card_is_marked_award_over_selection():
    """The card's mark: "award" once any festival gave an award, else "selection", else none."""
    film = FilmPageFactory()
    assert FilmPage.objects.get(pk=film.pk).festival_honour is None
    add_festival(film, kind=FestivalKind.NOMINEE, award="최우수 작품상")
    assert FilmPage.objects.get(pk=film.pk).festival_honour == "selection"
    add_festival(film, kind=FestivalKind.AWARD, award="관객상", **JEONJU)
    assert FilmPage.objects.get(pk=film.pk).festival_honour == "award"


# --- laurels on the page -------------------------------------------------------------------------


def test_film_page_shows_laurels_in_korean_and_english():
    """Each festival is a laurel: what the film got, the award, the festival and the year, in the
    editor's order; in English the English names (the Korean ones where no English is given)."""
    film = FilmPageFactory(title="겨울 정류장", title_en="Winter Bus Stop")
    add_festival(film, kind=FestivalKind.AWARD, award="최우수 작품상", award_en="Best Film")
    add_festival(film, kind=FestivalKind.OFFICIAL_SELECTION, name="전주국제영화제", name_en="", year=2024)

    korean = page_html(film.url)
    assert laurels(korean) == [
        "수상 : 최우수 작품상 , 부산국제영화제 2025",
        "공식 초청 : 전주국제영화제 2024",
    ]
    assert 'class="laurels" aria-labelledby="laurels-h"' in korean
    assert '<h2 id="laurels-h" class="visually-hidden">영화제 · 수상</h2>' in korean

    english = english_html(film.url)
    assert laurels(english) == [
        "Award winner : Best Film , Busan International Film Festival 2025",
        "Official selection : 전주국제영화제 2024",
    ]
    assert ">Festivals and awards</h2>" in english


def test_a_funding_project_shows_its_laurels_too():
    project = FundingProjectPageFactory(title="무대 뒤의 사람들")
    add_festival(project, kind=FestivalKind.OFFICIAL_SELECTION, award="프로젝트 마켓", award_en="Project Market")
    assert laurels(page_html(project.url)) == ["공식 초청 : 프로젝트 마켓 , 부산국제영화제 2025"]


def test_a_film_without_festivals_has_no_laurels():
    html = page_html(FilmPageFactory().url)
    assert "laurels" not in html and "film-card__laurel" not in html


def test_laurels_are_drawn_from_our_own_static_svg():
    """The wreath is our static SVG (no image from another host); the page holds only text for it."""
    from django.contrib.staticfiles import finders

    svg = finders.find("images/laurel.svg")
    assert svg and "<path" in open(svg, encoding="utf-8").read()
    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    assert 'url("../images/laurel.svg")' in css


# --- cards and the catalogue ---------------------------------------------------------------------


@pytest.fixture
def festival_catalogue():
    """An award winner, a film only selected (at another festival), a project with a pitch award, a film with none."""
    winner = FilmPageFactory(title="수상작", title_en="Winner")
    add_festival(winner, kind=FestivalKind.AWARD, award="최우수 작품상", award_en="Best Film")
    selected = FilmPageFactory(title="초청작", title_en="Selected")
    add_festival(selected, **JEONJU)
    pitched = FundingProjectPageFactory(title="피칭", title_en="Pitched")
    add_festival(pitched, kind=FestivalKind.AWARD, award="피칭상", **JEONJU)
    plain = FilmPageFactory(title="평범", title_en="Plain")
    return {"winner": winner, "selected": selected, "pitched": pitched, "plain": plain}


def test_cards_carry_a_laurel_mark_with_words(festival_catalogue):
    """Award winners and selected films are marked on their cards, with words for screen readers."""
    html = page_html(film_index().url)
    assert card_marks(html) == {"수상작": "award", "초청작": "selection", "피칭": "award", "평범": ""}
    assert '<span class="visually-hidden">영화제 수상작</span>' in html
    assert '<span class="visually-hidden">영화제 초청작</span>' in html
    english = english_html(film_index().url)
    assert "Festival award winner" in english and "Festival selection" in english


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("festival=awarded", {"수상작", "피칭"}),
        ("festival=selected", {"수상작", "초청작", "피칭"}),
        ("festival_name=부산국제영화제", {"수상작"}),
        ("festival_name=jeonju+international+film+festival", {"초청작", "피칭"}),  # English, any case
        ("festival=awarded&festival_name=전주국제영화제", {"피칭"}),
        ("festival=awarded&status=finished", {"수상작"}),
        ("festival_name=없는영화제", set()),
        ("festival=everything", {"수상작", "초청작", "피칭", "평범"}),  # a bad value is ignored, as on the site
    ],
)
def test_catalogue_filters_by_festival(festival_catalogue, query, expected):
    html = page_html(f"{film_index().url}?{query}")
    assert set(card_marks(html)) == expected


def test_catalogue_offers_the_festival_filters_and_shows_them_as_chips(festival_catalogue):
    """The form has the honours filter and one option per festival (each once, in the visitor's
    language); a chosen festival shows as a chip that removes it."""
    html = page_html(f"{film_index().url}?festival_name=부산국제영화제")
    assert '<select id="f-festival" name="festival">' in html
    assert '<option value="awarded">수상작</option>' in html
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html.split('id="f-festival-name"')[1])
    festival_options = options[: options.index(next(o for o in options if o[0] == "newest"))]
    assert festival_options == [
        ("", "", "모든 영화제"),
        ("부산국제영화제", " selected", "부산국제영화제"),
        ("전주국제영화제", "", "전주국제영화제"),
    ]
    chip = re.search(r'<a class="chip" href="([^"]*)">부산국제영화제 <span', html)
    assert chip and "festival_name" not in chip.group(1)

    english = english_html(f"{film_index().url}?festival_name=Busan+International+Film+Festival")
    assert '<option value="부산국제영화제" selected>Busan International Film Festival</option>' in english
    assert '<option value="전주국제영화제">Jeonju International Film Festival</option>' in english


def test_the_page_cache_keeps_festival_filters_apart(festival_catalogue):
    """Each festival filter is its own cached page (the catalogue's cache_query_params)."""
    client = Client()
    url = film_index().url
    assert set(card_marks(client.get(f"{url}?festival=awarded").content.decode())) == {"수상작", "피칭"}
    assert set(card_marks(client.get(f"{url}?festival_name=전주국제영화제").content.decode())) == {"초청작", "피칭"}
    assert len(card_marks(client.get(url).content.decode())) == 4


# --- the page editor -----------------------------------------------------------------------------


def festival_rows(*rows) -> dict:
    """Inline formset fields for new festival rows (dicts of the model's fields)."""
    return inline_formset([{"name_en": "", "award": "", "award_en": "", **row} for row in rows])


def test_a_creator_adds_festivals_to_their_own_film_and_staff_publish_them():
    """The creator fills in the festivals on their own page (saved as a draft: publishing is Staff's);
    once Staff publish, the laurels are on the page."""
    creator = CreatorFactory()
    film = FilmPageFactory(owner=creator)
    rows = festival_rows(
        {"name": "부산국제영화제", "year": "2025", "kind": "award", "award": "최우수 작품상"},
        {"name": "전주국제영화제", "year": "2024", "kind": "official_selection"},
    )
    data = edit_form(film, **nested_form_data({"festivals": rows}))
    response = client_for(creator).post(reverse("wagtailadmin_pages:edit", args=[film.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = FilmPage.objects.get(pk=film.pk).get_latest_revision_as_object()
    assert [(f.name, f.kind) for f in draft.festivals.all()] == [
        ("부산국제영화제", "award"),
        ("전주국제영화제", "official_selection"),
    ]

    draft.get_latest_revision().publish(user=StaffUserFactory())
    assert laurels(page_html(film.url))[0] == "수상 : 최우수 작품상 , 부산국제영화제 2025"


def test_the_editor_says_an_award_needs_its_name():
    creator = CreatorFactory()
    film = FilmPageFactory(owner=creator)
    data = edit_form(
        film,
        **nested_form_data({"festivals": festival_rows({"name": "부산국제영화제", "year": "2025", "kind": "award"})}),
    )
    response = client_for(creator).post(reverse("wagtailadmin_pages:edit", args=[film.pk]), data)
    assert response.status_code == 200
    assert "받은 상의 이름을 적어 주세요" in response.content.decode()
    assert not Festival.objects.filter(page=film).exists()


def test_the_festivals_tab_is_in_both_editors():
    staff = client_for(StaffUserFactory())
    for page in (FilmPageFactory(), FundingProjectPageFactory()):
        html = staff.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        assert 'id="id_festivals-TOTAL_FORMS"' in html
        assert "영화제 · 수상" in html or "Festivals &amp; awards" in html
