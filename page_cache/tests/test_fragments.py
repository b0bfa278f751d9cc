"""Parts of pages every viewer shares (the home page's curated sections, film cards) are rendered
once per generation and language, pasted into members' pages, and rebuilt by any publish."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from films.models import FilmPage
from films.tests.factories import FilmPageFactory
from home.models import HomePage
from members.tests.factories import UserFactory
from page_cache.fragments import fragments, shared

pytestmark = pytest.mark.django_db


def without_tokens(html: str) -> str:
    """The page less its CSRF tokens (new at every render of a member's page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_shared_value_is_computed_once_per_generation_and_language(rf, english):
    from page_cache.cache import invalidate_all_pages

    request = rf.get("/")
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    assert shared(request, "x", compute) == "value 1"
    assert shared(request, "x", compute) == "value 1"
    invalidate_all_pages()
    assert shared(request, "x", compute) == "value 2"
    from django.utils import translation

    with translation.override("ko"):
        assert shared(request, "x", compute) == "value 3"
    request.is_preview = True  # a draft in the editor: never cached, never read
    assert shared(request, "x", compute) == "value 4" and shared(request, "x", compute) == "value 5"


def test_fragments_render_only_what_is_missing_in_order(rf, english):
    request = rf.get("/")
    rendered = []

    def render_missing(keys):
        rendered.append(list(keys))
        return {key: f"<li>{key}</li>" for key in keys if key != 9}  # 9 is gone

    assert fragments(request, "n", [1, 2], render_missing) == ["<li>1</li>", "<li>2</li>"]
    assert fragments(request, "n", [3, 2, 9, 1], render_missing) == ["<li>3</li>", "<li>2</li>", "<li>1</li>"]
    assert rendered == [[1, 2], [3, 9]]


def test_a_members_home_reuses_the_curated_sections_until_a_publish(client, english):
    home = HomePage.objects.live().first()
    film = FilmPageFactory(title="Curated Film")
    home.body = [("film_row", {"title": "Staff picks", "title_en": "Staff picks", "films": [film]})]
    home.save_revision().publish()
    client.force_login(UserFactory())

    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(home.url).content.decode()
    assert "Staff picks" in first and "Curated Film" in first
    # A change that bumps no generation (written past Wagtail) is not seen: the sections are the cached ones.
    FilmPage.objects.filter(pk=film.pk).update(title_en="Renamed Film")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(home.url).content.decode()
    assert without_tokens(again) == without_tokens(first) and "Renamed Film" not in again
    assert len(queries) < len(first_queries)

    home.body = [("film_row", {"title": "New picks", "title_en": "New picks", "films": [film]})]
    home.save_revision().publish()
    html = client.get(home.url).content.decode()
    assert "New picks" in html and "Staff picks" not in html
