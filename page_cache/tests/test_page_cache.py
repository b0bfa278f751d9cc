"""The anonymous page cache: what it serves, what it stores, and when it forgets.

Every test looks at the content a visitor actually receives, so a cache that
served stale or personal pages would fail here, not only one that forgot a
header. `X-Page-Cache` (hit/miss) tells where a response came from.
"""

import itertools

import pytest
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_cookie
from wagtail import urls as wagtail_urls
from wagtail.models import PageViewRestriction

from films.models import FilmIndexPage
from films.tests.factories import FilmPageFactory, GenreFactory, ImageFactory, PersonFactory, film_index, home_page
from members.tests.factories import UserFactory
from page_cache.cache import HIT_HEADER, reads_query_params

pytestmark = pytest.mark.django_db

HTML = "text/html; charset=utf-8"
RENDERS = itertools.count(1)


# Views that answer like a page but set a cookie, vary on it, start a session
# or mark themselves private. Served under /probe/ by this module's URLconf.
def _counter_page(label):
    calls = {"count": 0}

    def view(request):
        calls["count"] += 1
        return HttpResponse(f"<p>{label} render {calls['count']}</p>", content_type=HTML)

    return view


_cookie_page = _counter_page("cookie")


def sets_cookie(request):
    response = _cookie_page(request)
    response.set_cookie("seen_intro", "1")
    return response


def starts_session(request):
    request.session["viewed"] = request.path
    return HttpResponse(f"<p>session render {next(RENDERS)}</p>", content_type=HTML)


def adds_message(request):
    messages.info(request, "Saved!")
    return HttpResponse("<p>flash</p>", content_type=HTML)


def shows_messages(request):
    text = " ".join(str(message) for message in messages.get_messages(request))
    return HttpResponse(f"<p>messages: {text}</p>", content_type=HTML)


def shows_cookie(request):
    return HttpResponse(f"<p>theme {request.COOKIES.get('theme', 'none')}</p>", content_type=HTML)


def shows_authorization(request):
    return HttpResponse(f"<p>token {request.headers.get('Authorization', 'none')}</p>", content_type=HTML)


@reads_query_params("genre", "year")
def shows_query(request):
    return HttpResponse(f"<p>{request.GET.urlencode()} render {next(RENDERS)}</p>", content_type=HTML)


def shows_query_undeclared(request):
    return HttpResponse(f"<p>{request.GET.urlencode()} render {next(RENDERS)}</p>", content_type=HTML)


def head_is_empty(request):
    body = "" if request.method == "HEAD" else f"<p>full page render {next(RENDERS)}</p>"
    return HttpResponse(body, content_type=HTML)


urlpatterns = [
    path("probe/cookie/", sets_cookie),
    path("probe/session/", starts_session),
    path("probe/flash/", adds_message),
    path("probe/messages/", shows_messages),
    path("probe/vary-cookie/", vary_on_cookie(shows_cookie)),
    path("probe/private/", cache_control(private=True)(_counter_page("private"))),
    path("probe/no-store/", cache_control(no_store=True)(_counter_page("no-store"))),
    path("probe/token/", shows_authorization),
    path("probe/query/", shows_query),
    path("probe/undeclared/", shows_query_undeclared),
    path("probe/head/", head_is_empty),
    path("", include(wagtail_urls)),
]
probe_urls = pytest.mark.urls(__name__)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Serving


def test_second_anonymous_request_is_served_from_cache_without_queries(client, django_assert_num_queries):
    """The second anonymous visit gets the stored page, byte for byte, without touching the database."""
    film = FilmPageFactory(title="바다의 끝")
    first = client.get(film.url)
    assert first[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(film.url)
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert "바다의 끝" in second.content.decode()


def test_head_request_is_answered_from_the_stored_page(client):
    """A HEAD after a GET is a hit, like the GET it mirrors."""
    film = FilmPageFactory()
    client.get(film.url)
    assert client.head(film.url)[HIT_HEADER] == "hit"


@probe_urls
def test_head_request_does_not_store_its_answer(client):
    """A HEAD answer may have no body, so it is never stored for the GETs that follow."""
    assert HIT_HEADER not in client.head("/probe/head/")
    response = client.get("/probe/head/")
    assert response[HIT_HEADER] == "miss"
    assert b"full page" in response.content


@probe_urls
def test_query_parameters_in_another_order_share_one_entry(client):
    """`?a=1&b=2` and `?b=2&a=1` are the same page."""
    first = client.get("/probe/query/?genre=drama&year=2024")
    second = client.get("/probe/query/?year=2024&genre=drama")
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content


@probe_urls
def test_different_query_strings_are_different_pages(client):
    """A filter changes the page, so it is part of the key."""
    client.get("/probe/query/?genre=drama")
    response = client.get("/probe/query/?genre=comedy")
    assert response[HIT_HEADER] == "miss"
    assert b"genre=comedy" in response.content


# Query strings a page does not read


def test_a_query_string_the_page_does_not_read_is_served_from_the_page_without_it(client):
    """`/?r=<random>` is the home page: served from its cached copy, not rendered again."""
    home = client.get("/")
    assert home[HIT_HEADER] == "miss"
    for n in range(3):
        response = client.get("/", {"r": n})
        assert response[HIT_HEADER] == "hit"
        assert response.content == home.content


def test_a_render_with_unread_parameters_is_not_stored_as_the_page(client):
    """A first visit with `?r=…` is rendered but not kept: the page shows its own URL in its links."""
    film = FilmPageFactory()
    client.get(film.url)  # learns that a film page reads no parameters
    client.get("/", {"r": "from-the-first-visitor"})
    response = client.get("/")
    assert response[HIT_HEADER] == "miss"
    assert b"from-the-first-visitor" not in response.content


def test_the_catalogue_keys_on_its_filters_and_ignores_other_parameters(client):
    """`?genre=x&utm_source=y` is the cached `?genre=x`; another genre is another page."""
    genre = GenreFactory(slug="harbour-noir")
    FilmPageFactory(title="드라마 영화", genres=[genre])
    FilmPageFactory(title="다른 영화")
    catalogue = film_index().url
    filtered = client.get(catalogue, {"genre": "harbour-noir"})
    assert filtered[HIT_HEADER] == "miss"
    tracked = client.get(catalogue, {"genre": "harbour-noir", "utm_source": "mail"})
    assert tracked[HIT_HEADER] == "hit"
    assert tracked.content == filtered.content
    assert client.get(catalogue, {"genre": "other"})[HIT_HEADER] == "miss"


def test_the_catalogue_declares_every_filter_it_reads():
    """Each catalogue filter and the page number are part of the key, so no filtered page is served for another."""
    from films.catalogue import CatalogueFilterForm

    assert set(CatalogueFilterForm.base_fields) | {"page"} <= set(FilmIndexPage.cache_query_params)


def test_search_keys_on_its_query_and_ignores_other_parameters(client):
    """`/search/?q=…&ref=x` is the cached `/search/?q=…`; another query is another page."""
    FilmPageFactory(title="바다의 끝")
    found = client.get("/search/", {"q": "바다"})
    assert found[HIT_HEADER] == "miss"
    assert client.get("/search/", {"q": "바다", "ref": "home"})[HIT_HEADER] == "hit"
    assert client.get("/search/", {"q": "바다", "type": "film"})[HIT_HEADER] == "miss"


@probe_urls
def test_a_view_that_declares_nothing_is_not_stored_with_a_query(client):
    """Without a declaration nobody knows which parameters matter: such a render is never kept."""
    client.get("/probe/undeclared/?genre=drama")
    response = client.get("/probe/undeclared/?genre=drama")
    assert HIT_HEADER not in response
    assert b"render" in response.content
    assert client.get("/probe/undeclared/")[HIT_HEADER] == "miss"


# What one visitor can make the server render


@pytest.fixture
def mid_minute(monkeypatch):
    """The miss budget is counted per clock minute. Its tests run with the page cache's clock stopped
    in the middle of one, so that however slow the machine, no request of a test lands in the next
    minute with a fresh budget."""
    import time
    import types

    from page_cache import cache

    now = (time.time() // 60) * 60 + 30
    monkeypatch.setattr(cache, "time", types.SimpleNamespace(time=lambda: now, time_ns=time.time_ns))


@pytest.mark.usefixtures("mid_minute")
def test_a_visitor_over_the_miss_budget_gets_429_with_retry_after(client, settings):
    """Past ANONYMOUS_PAGE_MISSES_PER_MINUTE renders a minute, a visitor is told to come back later."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 3
    for n in range(3):
        assert client.get("/search/", {"q": f"word{n}"}).status_code == 200
    refused = client.get("/search/", {"q": "one more"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]


@pytest.mark.usefixtures("mid_minute")
def test_a_visitor_over_the_miss_budget_is_still_served_cached_pages(client, settings):
    """The budget counts renders only: cached pages cost nothing and are still served."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 2
    client.get("/")
    client.get("/search/", {"q": "first"})
    assert client.get("/search/", {"q": "second"}).status_code == 429
    assert client.get("/", {"r": "1"})[HIT_HEADER] == "hit"


@pytest.mark.usefixtures("mid_minute")
def test_the_miss_budget_is_per_visitor(client, settings):
    """Another address has a budget of its own."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 1
    client.get("/search/", {"q": "first"}, REMOTE_ADDR="192.0.2.1")
    assert client.get("/search/", {"q": "second"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/search/", {"q": "second"}, REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.usefixtures("mid_minute")
def test_behind_a_proxy_the_miss_budget_counts_the_visitor_not_the_proxy(client, settings):
    """With a trusted proxy, visitors behind it are told apart by X-Forwarded-For."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    client.get("/search/", {"q": "first"}, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy)
    assert client.get("/search/", {"q": "second"}, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy).status_code == 429
    assert client.get("/search/", {"q": "second"}, HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy).status_code == 200


@pytest.mark.usefixtures("mid_minute")
def test_video_segments_and_live_figures_are_not_counted_against_the_miss_budget(client, settings):
    """A player's segment requests and a page's funding polls are not page renders."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 1
    for _ in range(3):
        assert client.get("/projects/live/", {"ids": "1"}).status_code == 200
        assert client.get("/stream/1/hls/master.m3u8").status_code in (403, 404)
    assert client.get("/search/", {"q": "first"}).status_code == 200


@pytest.mark.usefixtures("mid_minute")
def test_members_are_not_counted_against_the_miss_budget(client, settings):
    """Logged-in members never use the page cache, so its budget does not apply to them."""
    settings.ANONYMOUS_PAGE_MISSES_PER_MINUTE = 1
    client.force_login(UserFactory())
    for n in range(3):
        assert client.get("/search/", {"q": f"word{n}"}).status_code == 200


# Language


def test_korean_and_english_are_cached_separately_by_cookie(client):
    """A visitor who chose English by cookie never gets the Korean copy, and back."""
    film = FilmPageFactory(title="바다의 끝", title_en="The End of the Sea")
    korean = client.get(film.url)
    assert '<html lang="ko">' in korean.content.decode()
    english_response = english(client).get(film.url)
    assert english_response[HIT_HEADER] == "miss"
    assert '<html lang="en">' in english_response.content.decode()
    assert "The End of the Sea" in english_response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    again = client.get(film.url)
    assert again[HIT_HEADER] == "hit"
    assert '<html lang="ko">' in again.content.decode()


def test_korean_and_english_are_cached_separately_by_accept_language(client):
    """Without a cookie the browser's Accept-Language picks the copy."""
    film = FilmPageFactory(title="바다의 끝", title_en="The End of the Sea")
    client.get(film.url, headers={"Accept-Language": "en-US,en;q=0.9"})
    korean = client.get(film.url, headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert korean[HIT_HEADER] == "miss"
    assert '<html lang="ko">' in korean.content.decode()
    english_again = client.get(film.url, headers={"Accept-Language": "en"})
    assert english_again[HIT_HEADER] == "hit"
    assert '<html lang="en">' in english_again.content.decode()


# Invalidation


def test_publishing_a_change_replaces_the_cached_page(client):
    """An edit, once published, is what the next visitor sees."""
    film = FilmPageFactory(title="첫 제목")
    assert "첫 제목" in client.get(film.url).content.decode()
    film.title = "고친 제목"
    film.save_revision().publish()
    response = client.get(film.url)
    assert response[HIT_HEADER] == "miss"
    assert "고친 제목" in response.content.decode()
    assert "첫 제목" not in response.content.decode()


def test_a_page_rendered_before_the_publish_commits_is_not_served_after_it(client, django_capture_on_commit_callbacks):
    """A visitor who rendered the old content while the publish was still uncommitted leaves no stale copy behind."""
    film = FilmPageFactory(title="첫 제목")
    with django_capture_on_commit_callbacks(execute=True):
        film.title = "고친 제목"
        film.save_revision().publish()
        # Another visitor's request lands before the commit and stores what it rendered.
        client.get(film.url)
    response = client.get(film.url)
    assert response[HIT_HEADER] == "miss"


def test_replacing_a_poster_retires_pages_that_link_to_its_renditions(client):
    """A re-uploaded poster gets new rendition URLs; cached pages must not keep pointing at the old ones."""
    poster = ImageFactory()
    film = FilmPageFactory(poster=poster)
    client.get(film.url)
    assert client.get(film.url)[HIT_HEADER] == "hit"
    poster.title = "새 포스터"
    poster.save()
    assert client.get(film.url)[HIT_HEADER] == "miss"


def test_unpublishing_takes_the_page_down(client):
    """An unpublished film is gone at once, not after the cache times out."""
    film = FilmPageFactory()
    url = film.url
    assert client.get(url).status_code == 200
    film.unpublish()
    assert client.get(url).status_code == 404


def test_unpublishing_removes_the_film_from_the_cached_catalogue(client):
    """Pages that list the film (the catalogue) are rebuilt too."""
    film = FilmPageFactory(title="사라질 영화")
    catalogue = film_index().url
    assert "사라질 영화" in client.get(catalogue).content.decode()
    film.unpublish()
    assert "사라질 영화" not in client.get(catalogue).content.decode()


def test_moving_a_page_retires_its_old_address(client):
    """After a move the old URL redirects (Wagtail adds a redirect) and the new one serves the film."""
    film = FilmPageFactory(slug="moving-film")
    old_url = film.url
    assert client.get(old_url).status_code == 200
    archive = home_page().add_child(instance=FilmIndexPage(title="Archive", slug="archive"))
    film.move(archive, pos="last-child")
    film.refresh_from_db()
    moved = client.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == film.url
    assert client.get(film.url).status_code == 200


def test_deleting_a_page_takes_it_down(client):
    """A deleted film is a 404 on the next request."""
    film = FilmPageFactory()
    url = film.url
    assert client.get(url).status_code == 200
    film.delete()
    assert client.get(url).status_code == 404


def test_editing_a_genre_updates_pages_that_show_it(client):
    """Genres are snippets shown on film pages; renaming one rebuilds them."""
    genre = GenreFactory(name="옛 장르")
    film = FilmPageFactory(genres=[genre])
    assert "옛 장르" in client.get(film.url).content.decode()
    genre.name = "새 장르"
    genre.save()
    response = client.get(film.url)
    assert "새 장르" in response.content.decode()
    assert "옛 장르" not in response.content.decode()


def test_editing_a_person_updates_their_page(client):
    """People are snippets too; a corrected name shows at once."""
    person = PersonFactory(name="김옛이름")
    FilmPageFactory(credits=[(person, "director")])
    url = person.get_absolute_url()
    assert "김옛이름" in client.get(url).content.decode()
    person.name = "김새이름"
    person.save()
    assert "김새이름" in client.get(url).content.decode()


def test_making_a_page_private_takes_the_public_copy_down(client):
    """A login restriction added to a cached page applies to the next visitor."""
    film = FilmPageFactory()
    assert client.get(film.url).status_code == 200
    PageViewRestriction.objects.create(page=film, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(film.url).status_code == 302


# Nothing personal


def test_logged_in_member_never_gets_the_anonymous_copy(client):
    """A member sees their own page (with their name), not the cached anonymous one."""
    film = FilmPageFactory()
    client.get(film.url)
    assert client.get(film.url)[HIT_HEADER] == "hit"
    member = UserFactory(display_name="회원김씨")
    client.force_login(member)
    response = client.get(film.url)
    assert HIT_HEADER not in response
    assert member.get_short_name() in response.content.decode()


def test_logged_in_members_page_is_never_stored(client):
    """What a member was shown never reaches the next anonymous visitor."""
    film = FilmPageFactory()
    member = UserFactory(display_name="회원김씨")
    client.force_login(member)
    assert member.get_short_name() in client.get(film.url).content.decode()
    client.logout()
    client.cookies.clear()
    response = client.get(film.url)
    assert response[HIT_HEADER] == "miss"
    assert member.get_short_name() not in response.content.decode()


@probe_urls
def test_request_with_an_api_token_bypasses_the_cache(client):
    """A request carrying credentials in a header is neither served nor stored."""
    client.get("/probe/token/")
    response = client.get("/probe/token/", headers={"Authorization": "Token abc"})
    assert HIT_HEADER not in response
    assert b"token Token abc" in response.content
    assert client.get("/probe/token/")[HIT_HEADER] == "hit"


@probe_urls
def test_pending_flash_message_is_shown_not_the_cached_page(client):
    """A visitor with a message waiting (cookie storage) gets a real render that shows it."""
    client.get("/probe/messages/")
    client.get("/probe/flash/")
    response = client.get("/probe/messages/")
    assert b"Saved!" in response.content
    assert HIT_HEADER not in response


@probe_urls
def test_response_setting_a_cookie_is_not_stored(client):
    """A page that sets a cookie is personal to whoever got it."""
    client.get("/probe/cookie/")
    response = client.get("/probe/cookie/")
    assert HIT_HEADER not in response
    assert b"render 2" in response.content


@probe_urls
def test_response_starting_a_session_is_not_stored(client):
    """The session cookie is added outside the cache middleware; the page is still not stored."""
    first = client.get("/probe/session/")
    assert settings.SESSION_COOKIE_NAME in first.cookies
    client.cookies.clear()
    second = client.get("/probe/session/")
    assert HIT_HEADER not in second
    assert second.content != first.content


@probe_urls
def test_response_varying_on_cookie_is_not_stored(client):
    """`Vary: Cookie` from the view means the page depends on cookies the key does not hold."""
    client.get("/probe/vary-cookie/")
    client.cookies["theme"] = "dark"
    response = client.get("/probe/vary-cookie/")
    assert HIT_HEADER not in response
    assert b"theme dark" in response.content


@probe_urls
@pytest.mark.parametrize("url", ["/probe/private/", "/probe/no-store/"])
def test_private_or_no_store_response_is_not_stored(client, url):
    """`Cache-Control: private` or `no-store` keeps a page out of the shared cache."""
    client.get(url)
    response = client.get(url)
    assert HIT_HEADER not in response
    assert b"render 2" in response.content


def test_not_found_is_not_stored(client):
    """A 404 is rendered each time, so a page published at that address appears at once."""
    url = film_index().url + "not-yet/"
    assert client.get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 404
    assert HIT_HEADER not in response


def test_post_is_neither_served_from_nor_stored_in_the_cache(client):
    """A POST always reaches the view, and what it answers is not stored."""
    film = FilmPageFactory()
    posted = client.post(film.url)
    assert HIT_HEADER not in posted
    assert client.get(film.url)[HIT_HEADER] == "miss"
    assert HIT_HEADER not in client.post(film.url)


def test_password_protected_page_is_not_stored(client):
    """The password form carries a CSRF cookie; it is rendered every time and the film never leaks."""
    film = FilmPageFactory(title="비공개 시사")
    PageViewRestriction.objects.create(page=film, restriction_type=PageViewRestriction.PASSWORD, password="letmein")
    for _ in range(2):
        response = client.get(film.url)
        assert HIT_HEADER not in response
        assert b'name="password"' in response.content


def test_login_restricted_page_is_not_stored(client):
    """A page for members only redirects anonymous visitors and caches nothing."""
    film = FilmPageFactory()
    PageViewRestriction.objects.create(page=film, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(2):
        response = client.get(film.url)
        assert response.status_code == 302
        assert HIT_HEADER not in response


def test_page_unlocked_with_a_password_is_not_stored_for_others(client):
    """After unlocking a private page, the visitor's session keeps it out of the cache."""
    film = FilmPageFactory(title="비공개 시사")
    restriction = PageViewRestriction.objects.create(
        page=film, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    unlock_url = f"/_util/authenticate_with_password/{restriction.pk}/{film.pk}/"
    client.post(unlock_url, {"password": "letmein", "return_url": film.url})
    unlocked = client.get(film.url)
    assert "비공개 시사" in unlocked.content.decode()
    assert HIT_HEADER not in unlocked
    client.cookies.clear()
    assert b'name="password"' in client.get(film.url).content
