"""Pages with Korean slugs, as Wagtail makes them from Korean titles, answer at every public address.

The film and the project are created through the admin's own create form, with the slug the
editor's script fills in from the title (Django's `slugify` with Unicode allowed, as Wagtail's
server side does too): "리뷰 테스트 영화" becomes "리뷰-테스트-영화". Every link to them
is checked in its percent-encoded form (what `reverse()` and Wagtail produce) and followed.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page

from donations.models import Order
from donations.providers.sandbox import payment_key
from donations.tests.factories import paid_donation
from films.models import FilmPage, FundingProjectPage, FundingTotal
from films.tests.factories import PersonFactory, film_index
from members.tests.admin_forms import client_for, create_form, create_url
from members.tests.factories import CreatorFactory, UserFactory
from videos.tests.factories import ready_video_record
from watching.models import Entitlement, WatchProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FILM_TITLE = "리뷰 테스트 영화"
FILM_SLUG = "리뷰-테스트-영화"
PROJECT_TITLE = "겨울 정류장 이후"
PROJECT_SLUG = "겨울-정류장-이후"


def created_in_the_admin(creator, model, title, **fields):
    """A page `creator` made with the admin's create form, slug derived from the title, then published."""
    slug = slugify(title, allow_unicode=True)
    data = create_form(model, film_index(), title=title, slug=slug, **fields)
    response = client_for(creator).post(create_url(model, film_index()), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    page = model.objects.get(title=title)
    page.get_latest_revision().publish()
    return model.objects.get(pk=page.pk)


@pytest.fixture
def creator():
    return CreatorFactory()


@pytest.fixture
def film(creator):
    page = created_in_the_admin(creator, FilmPage, FILM_TITLE, price="5000")
    page.main_video = ready_video_record(duration=600)
    page.save_revision().publish()
    return FilmPage.objects.get(pk=page.pk)


@pytest.fixture
def project(creator):
    page = created_in_the_admin(
        creator, FundingProjectPage, PROJECT_TITLE, target_amount="3000000", minimum_donation="1000"
    )
    FundingTotal.objects.get_or_create(project=page)
    return page


def watch_path(slug: str) -> str:
    return f"/watch/{quote(slug)}/"


def test_wagtail_gives_korean_titles_korean_slugs(film, project):
    """The admin derives the slug from the Korean title, and the page's URL is its percent-encoded form."""
    assert (film.slug, project.slug) == (FILM_SLUG, PROJECT_SLUG)
    assert film.url == f"/films/{quote(FILM_SLUG)}/"
    assert reverse("watching:watch_film", args=[film.slug]) == watch_path(FILM_SLUG)


def test_the_film_page_links_to_its_watch_page_which_answers(client, film):
    """The film page renders its watch link, and the watch page answers at the encoded and the raw address."""
    page = client.get(film.url)
    assert page.status_code == 200
    assert watch_path(FILM_SLUG) in page.content.decode()
    for address in (watch_path(FILM_SLUG), f"/watch/{FILM_SLUG}/"):
        assert client.get(address).status_code == 200, address


def test_an_anonymous_korean_page_is_served_from_the_page_cache(client, film):
    """The second anonymous visit to a Korean address is a cache hit, whichever way the address is written."""
    assert client.get(film.url).status_code == 200
    again = client.get(f"/films/{FILM_SLUG}/")
    assert again.status_code == 200 and again.get("X-Page-Cache") == "hit"


def test_a_korean_address_without_its_slash_redirects_to_the_encoded_one(client, film):
    """APPEND_SLASH's redirect carries the percent-encoded path (an ASCII Location header) and lands on the page."""
    response = client.get(f"/films/{FILM_SLUG}")
    assert response.status_code == 301
    assert response["Location"] == film.url and response["Location"].isascii()


def test_my_page_and_the_library_api_list_a_korean_film_the_member_watched(client, film):
    """/me/ and /api/v2/me/library/ link to the watch page of a bought and started Korean film."""
    member = UserFactory()
    Entitlement.objects.create(user=member, film=film, source="purchase")
    WatchProgress.objects.create(
        user=member, video=film.main_video, film=film, position=120, duration=600, watched_seconds=120
    )
    client.force_login(member)

    page = client.get(reverse("members:my_library"))
    assert page.status_code == 200 and watch_path(FILM_SLUG) in page.content.decode()
    body = client.get("/api/v2/me/library/").json()
    assert body["continue_watching"][0]["film"]["slug"] == FILM_SLUG
    assert body["bought"][0]["film"]["watch_url"].endswith(watch_path(FILM_SLUG))
    assert body["bought"][0]["film"]["html_url"].endswith(film.url)


def test_buying_a_korean_film_leads_to_its_watch_page(client, film):
    """Checkout, receipt, my purchases and a second "buy" all point at the encoded watch address."""
    member = UserFactory()
    client.force_login(member)
    form = client.get(reverse("donations:buy", args=[film.pk]))
    assert form.status_code == 200
    token = form.context["form"]["client_token"].value()
    client.post(reverse("donations:buy", args=[film.pk]), {"provider": "sandbox", "client_token": token})
    order = Order.objects.get(film=film)
    paid = client.get(
        reverse("donations:payment_success"),
        {"paymentKey": payment_key(order.public_id, order.amount), "orderId": order.public_id, "amount": order.amount},
    )
    receipt = client.get(paid.url)
    assert receipt.status_code == 200 and watch_path(FILM_SLUG) in receipt.content.decode()
    purchases = client.get(reverse("members:my_donations"))
    assert purchases.status_code == 200 and watch_path(FILM_SLUG) in purchases.content.decode()
    again = client.get(reverse("donations:buy", args=[film.pk]))
    assert again.status_code == 302 and again["Location"] == watch_path(FILM_SLUG)


def test_every_funding_address_of_a_korean_project_answers(client, creator, project):
    """The project page, donate, ledger, live figures, the funding and ledger APIs, and the owner's backers list."""
    paid_donation(project, amount=5000)
    assert client.get(project.url).status_code == 200
    assert client.get(f"/films/{PROJECT_SLUG}/").status_code == 200
    ledger = client.get(reverse("donations:project_ledger", args=[project.pk]))
    assert ledger.status_code == 200 and project.url in ledger.content.decode()
    for name in ("api_funding_status", "api_project_ledger"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 200, name
    live = client.get(reverse("donations:funding_live"), {"ids": str(project.pk)})
    assert live.status_code == 200 and str(project.pk) in live.json()["projects"]

    client.force_login(UserFactory())
    donate = client.get(reverse("donations:donate", args=[project.pk]))
    assert donate.status_code == 200
    client.force_login(creator)
    backers = client.get(reverse("donations:project_backers", args=[project.pk]))
    assert backers.status_code == 200


def test_the_api_lists_finds_and_details_korean_pages(client, film, project):
    """Pages and films listings, the detail and find-by-path give the slug as is and the encoded html_url."""
    listing = client.get("/api/v2/pages/", {"type": "films.FilmPage", "slug": FILM_SLUG}).json()
    assert [item["id"] for item in listing["items"]] == [film.pk]
    assert listing["items"][0]["meta"]["html_url"].endswith(film.url)
    films = client.get("/api/v2/films/").json()
    assert {item["meta"]["slug"] for item in films["items"]} >= {FILM_SLUG, PROJECT_SLUG}
    for page in (film, project):
        detail = client.get(f"/api/v2/pages/{page.pk}/")
        assert detail.status_code == 200 and detail.json()["meta"]["html_url"].endswith(page.url)
        found = client.get("/api/v2/pages/find/", {"html_path": page.url}, follow=True)
        assert found.status_code == 200 and found.json()["id"] == page.pk


def test_the_owner_edits_previews_and_views_a_korean_page_in_the_admin(creator, film):
    """The creator's edit view, preview and page listing work for the Korean page and link to its live URL."""
    admin = client_for(creator)
    edit = admin.get(reverse("wagtailadmin_pages:edit", args=[film.pk]))
    assert edit.status_code == 200 and film.url in edit.content.decode()
    preview = admin.get(reverse("wagtailadmin_pages:preview_on_edit", args=[film.pk]))
    assert preview.status_code == 200
    listing = admin.get(reverse("wagtailadmin_explore", args=[film_index().pk]))
    assert listing.status_code == 200 and FILM_TITLE in listing.content.decode()
    assert Page.objects.get(pk=film.pk).url_path.endswith(f"/{FILM_SLUG}/")


def test_search_finds_a_korean_film_and_links_to_its_page(client, film):
    """The search page and /api/v2/search/ find the film by its title and give its encoded address."""
    page = client.get(reverse("search:search"), {"q": "리뷰 테스트"})
    assert page.status_code == 200 and film.url in page.content.decode()
    body = client.get("/api/v2/search/", {"q": "리뷰 테스트"}).json()
    urls = [hit["url"] for hit in body["items"]]
    assert any(url.endswith(film.url) for url in urls), urls


def test_a_person_with_a_korean_slug_has_a_page_and_an_api_address(client):
    """A person without an English name gets a Korean slug; their page answers and the API links to it."""
    person = PersonFactory(name="김지수", name_en="")
    assert person.slug == "김지수"
    assert client.get(person.get_absolute_url()).status_code == 200
    detail = client.get(f"/api/v2/people/{person.pk}/").json()
    assert detail["html_url"].endswith(f"/people/{quote('김지수')}/")
