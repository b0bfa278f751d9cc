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


def test_a_fragment_is_rendered_as_for_a_visitor_whoever_asks(rf):
    """Only the variables passed in and a visitor's request reach a `{% fragment %}`: not the member,
    their permissions, their CSRF token or anything else in the page's context."""
    from django.template import RequestContext, Template

    request = rf.get("/")
    request.user = UserFactory(display_name="Private Member")
    template = Template(
        "{% load fragment_tags %}{% fragment 'probe' page=page %}{{ page }}|{{ request.user.is_authenticated }}"
        "|{{ user.display_name }}|{{ secret }}|{% csrf_token %}{% endfragment %}"
    )
    html = template.render(RequestContext(request, {"page": "the page", "secret": "their secret"}))
    assert html.startswith("the page|False||")
    assert "their secret" not in html and "csrfmiddlewaretoken" not in html


def test_what_the_page_learnt_about_its_member_does_not_reach_a_fragment(rf):
    """The member's films and rights on the page, worked out for the page before a fragment renders,
    are answers about the member: the fragment's visitor asks again and gets a visitor's."""
    from django.template import RequestContext, Template

    from community import viewer
    from films.tests.factories import FilmPageFactory
    from recommendations.tests.factories import bought
    from watching.ownership import owned_for_request

    member = UserFactory()
    film = FilmPageFactory(price=5000, owner=member)
    bought(member, film)
    request = rf.get("/")
    request.user = member
    assert film.pk in owned_for_request(request) and viewer.may_write_on(request, film)
    template = Template(
        "{% load fragment_tags watching_tags community_posts %}{% fragment 'probe' film=film %}"
        "{% viewer_owns film as owned %}owned={{ owned|yesno:'yes,no' }}"
        "|writes={% may_write_posts film as writes %}{{ writes|yesno:'yes,no' }}{% endfragment %}"
    )
    assert template.render(RequestContext(request, {"film": film})) == "owned=no|writes=no"


def test_a_fragment_is_kept_per_key_until_a_publish(rf, english):
    from django.template import RequestContext, Template

    from page_cache.cache import invalidate_all_pages

    template = Template("{% load fragment_tags %}{% fragment 'probe' key value=value %}{{ value }}{% endfragment %}")
    request = rf.get("/")

    def render(key, value):
        return template.render(RequestContext(request, {"key": key, "value": value}))

    assert render(1, "first") == "first"
    assert render(1, "second") == "first"  # kept
    assert render(2, "second") == "second"  # another key
    invalidate_all_pages()
    assert render(1, "third") == "third"


def film_with_home_row(**fields):
    """A watchable film shown in a curated row on the home page (so on the home, the catalogue and
    its page)."""
    from recommendations.tests.factories import watchable_film

    film = watchable_film(**fields)
    home = HomePage.objects.live().first()
    home.body = [("film_row", {"title": "Staff picks", "title_en": "Staff picks", "films": [film]})]
    home.save_revision().publish()
    return film


def pages_showing(film) -> list[str]:
    from films.tests.factories import film_index

    return [HomePage.objects.live().first().url, film_index().url, film.url]


@pytest.mark.parametrize("signed_in", [True, False], ids=["member", "visitor"])
def test_publishing_a_film_retires_every_shared_part_that_shows_it(client, english, signed_in):
    """A new title and price reach the home row, the catalogue card and the film page at once."""
    film = film_with_home_row(title="Old Title", title_en="Old Title", price=0)
    if signed_in:
        client.force_login(UserFactory())
    for url in pages_showing(film):
        html = client.get(url).content.decode()
        assert "Old Title" in html and "5,000 KRW" not in html, url

    film.title = film.title_en = "New Title"
    film.price = 5000
    film.save_revision().publish()
    for url in pages_showing(film):
        html = client.get(url).content.decode()
        assert "New Title" in html and "Old Title" not in html and "5,000 KRW" in html, url


def test_unpublishing_a_film_takes_it_off_every_page_at_once(client, english):
    film = film_with_home_row(title="Gone Soon", title_en="Gone Soon")
    client.force_login(UserFactory())
    home_url, catalogue_url, film_url = pages_showing(film)
    for url in (home_url, catalogue_url, film_url):
        assert "Gone Soon" in client.get(url).content.decode()

    film.unpublish()
    assert client.get(film_url).status_code == 404
    for url in (home_url, catalogue_url):
        assert "Gone Soon" not in client.get(url).content.decode(), url


def test_an_english_fragment_is_never_served_in_korean(client):
    """Each language has its own copy of every shared part: the film's Korean and English titles."""
    film = film_with_home_row(title="한국어 제목", title_en="English Title")
    client.force_login(UserFactory())
    for url in pages_showing(film):
        english_html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        korean_html = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        # The title as a heading (the film page also names the other language's title, marked `lang`).
        assert ">English Title</h" in english_html and ">한국어 제목</h" not in english_html, url
        assert ">한국어 제목</h" in korean_html and ">English Title</h" not in korean_html, url


def test_one_members_things_never_reach_another_members_page(client, english):
    """A member who follows and owns a film sees so on every page; the next member, served the
    same shared parts, sees none of it."""
    from community.follows import follow
    from recommendations.tests.factories import bought

    film = film_with_home_row(title="Shared Film", title_en="Shared Film", price=5000)
    owner = UserFactory(display_name="Owner Kim")
    follow(owner, film)
    bought(owner, film)
    other = UserFactory(display_name="Other Lee")

    client.force_login(owner)
    for url in pages_showing(film):
        html = client.get(url).content.decode()
        assert "Owner Kim" in html and ("badge--owned" in html or "price--owned" in html), url
    assert "Following" in client.get(film.url).content.decode()

    client.force_login(other)
    for url in pages_showing(film):
        html = client.get(url).content.decode()
        assert "Other Lee" in html and "Owner Kim" not in html, url
        assert "badge--owned" not in html and "price--owned" not in html and "Following" not in html, url


def test_a_members_funding_page_shows_the_money_raised_now(client, english):
    """The funding box is rendered for each request: a donation counted with an F() update (no
    signal, no new generation) shows at once, though the rest of the page is shared."""
    from films.models import FundingTotal
    from films.tests.factories import FundingProjectPageFactory

    project = FundingProjectPageFactory(title_en="Project", raised=(10_000, 1))
    client.force_login(UserFactory())
    assert "10,000 KRW" in client.get(project.url).content.decode()
    FundingTotal.objects.filter(project=project).update(amount=25_000, backers=2)
    html = client.get(project.url).content.decode()
    assert "25,000 KRW" in html and "10,000 KRW" not in html
