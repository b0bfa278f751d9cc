"""What a query finds: the matching rules of search.site_search, on whichever database the run uses."""

import unicodedata

import pytest
from wagtail.models import PageViewRestriction

from films.tests.factories import FilmPageFactory, PersonFactory
from search.site_search import MAX_QUERY_LENGTH, PER_PAGE, ResultKind, clean_query, load, run_search

pytestmark = pytest.mark.django_db


def titles(query, kind=ResultKind.FILM):
    """Titles (or names) found for `query` among one kind, best first."""
    outcome = run_search(clean_query(query), [kind])
    return [str(obj) if kind == ResultKind.PERSON else obj.title for obj in load(kind, outcome.ids[kind])]


def test_korean_prefix_finds_a_compound_title(catalogue):
    """“졸업” finds “졸업작품 오디세이”: Korean compounds have no space to split on, so titles match by prefix."""
    assert titles("졸업") == ["졸업작품 오디세이"]


def test_korean_prefix_of_a_later_word_finds_the_title(catalogue):
    """Every word of a title can be started on: “오디” finds “졸업작품 오디세이”."""
    assert titles("오디") == ["졸업작품 오디세이"]


def test_every_word_of_the_query_is_a_prefix(catalogue):
    """“졸업 오디” needs both words, each as the start of a title word."""
    assert titles("졸업 오디") == ["졸업작품 오디세이"]
    assert titles("졸업 심야") == []


def test_korean_word_inside_a_compound_is_found_by_the_substring_fallback(catalogue):
    """“작품” sits inside “졸업작품”; no tokenizer splits it out, the bounded substring fallback finds it."""
    assert titles("작품") == ["졸업작품 오디세이"]


def test_english_word_finds_the_film(catalogue):
    """A whole English word of the English title."""
    assert titles("odyssey") == ["졸업작품 오디세이"]


def test_english_prefix_is_case_insensitive(catalogue):
    """“GRADU” finds “Graduation Odyssey”."""
    assert titles("GRADU") == ["졸업작품 오디세이"]


def test_logline_word_finds_the_film(catalogue):
    """Whole words of the logline are searched too (“막차를”)."""
    assert titles("막차를") == ["심야버스"]


def test_film_is_found_by_its_directors_name(catalogue):
    """Credited people are indexed with the film: “박서연” finds the film she directed."""
    assert titles("박서연") == ["졸업작품 오디세이"]


def test_person_found_by_korean_name_prefix(catalogue):
    """“박서” finds 박서연 among people."""
    assert titles("박서", ResultKind.PERSON) == ["박서연"]


def test_person_found_by_english_name(catalogue):
    """“park” finds Park Seoyeon."""
    assert titles("park", ResultKind.PERSON) == ["박서연"]


def test_person_found_by_the_middle_of_a_korean_name(catalogue):
    """“서연” (given name without family name) is found by the substring fallback."""
    assert titles("서연", ResultKind.PERSON) == ["박서연"]


def test_funding_projects_are_their_own_kind(catalogue):
    """“등대” finds the funding project under projects, not under films."""
    assert titles("등대", ResultKind.PROJECT) == ["등대지기의 노래"]
    assert titles("등대", ResultKind.FILM) == []


def test_drafts_are_never_found(catalogue):
    """An unpublished film matches nothing, not even through the substring fallback."""
    FilmPageFactory(title="졸업전시 비공개", title_en="Unreleased Draft", live=False)
    assert titles("졸업") == ["졸업작품 오디세이"]
    assert titles("전시") == []
    assert titles("unreleased") == []


def test_private_pages_are_never_found(catalogue):
    """A page behind a password is left out."""
    PageViewRestriction.objects.create(
        page=catalogue.night_bus, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert titles("심야") == []
    assert titles("버스") == []


def test_percent_sign_is_literal_in_the_substring_fallback(catalogue):
    """“%” is not a wildcard: it matches only titles that contain a percent sign."""
    FilmPageFactory(title="100% 청춘", title_en="100 Percent Youth")
    assert titles("%") == ["100% 청춘"]


@pytest.mark.parametrize(
    "query", ['"', "'", "%", "*", ":", '"졸업', "졸업*", "title:졸업", "(졸업", "NOT", "a AND", "\\", "^~-"]
)
def test_query_syntax_characters_do_not_break_the_search(catalogue, query):
    """Characters that mean something to FTS5 or tsquery are searched as plain text, never raised as SQL errors."""
    outcome = run_search(clean_query(query))
    assert isinstance(outcome.total, int)


def test_prefix_search_still_works_next_to_syntax_characters(catalogue):
    """“"졸업*” still finds “졸업작품 오디세이”: punctuation is not part of any term."""
    assert titles('"졸업*') == ["졸업작품 오디세이"]


def test_clean_query_caps_length_and_composes_hangul():
    """Queries are single-spaced, at most MAX_QUERY_LENGTH long, and decomposed jamo are composed (NFD → NFC)."""
    assert clean_query("  졸업   작품 ") == "졸업 작품"
    assert len(clean_query("가" * 500)) == MAX_QUERY_LENGTH
    assert clean_query(unicodedata.normalize("NFD", "졸업")) == "졸업"


def test_substring_fallback_is_bounded_to_one_page(db):
    """When the fallback is needed it adds at most one page of results."""
    for n in range(PER_PAGE + 3):
        PersonFactory(name=f"이{n}민준", name_en="")
    assert len(run_search("민준", [ResultKind.PERSON]).ids[ResultKind.PERSON]) == PER_PAGE
