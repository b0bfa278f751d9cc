"""Sharing: link previews (Open Graph and X card tags with the poster) and the share block on film
pages, project pages and the page that thanks a backer."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from donations.models import Order
from donations.tests.factories import paid_donation
from members.tests.admin_forms import client_for
from members.tests.factories import UserFactory

from .factories import FilmPageFactory, FundingProjectPageFactory, ImageFactory, PersonFactory
from .pages import page_html

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def meta(html: str, key: str) -> str | None:
    """The content of `<meta property|name="key">`, unescaped; None when the page has none."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


def share_block(html: str) -> str:
    found = re.search(r'<section class="share".*?</section>', html, flags=re.S)
    assert found, "no share block on the page"
    return found.group(0)


def share_links(html: str) -> dict[str, dict]:
    """{host: query} of the block's X and Facebook links."""
    block = share_block(html)
    links = {}
    for href in re.findall(r'<a class="share__button" href="([^"]+)"', block):
        parts = urlsplit(unescape(href))
        links[parts.netloc + parts.path] = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return links


# --- link previews -------------------------------------------------------------------------------


@pytest.mark.wagtail_indexes  # a poster is public once a live page uses it: the reference index
@pytest.mark.parametrize("factory", [FilmPageFactory, FundingProjectPageFactory])
def test_film_and_project_pages_preview_with_their_poster(factory):
    """og:image and twitter:image are the poster's rendition at an absolute address; the X card is the large one."""
    page = factory(
        title="겨울 정류장",
        title_en="Winter Bus Stop",
        logline="막차를 기다리는 두 사람.",
        poster=ImageFactory(file__width=1200, file__height=1800),
    )
    html = page_html(page.url)
    image = meta(html, "og:image")
    assert image.startswith("http://testserver/") and re.search(r"\.max-1200x1200\.format-jpeg\.jpg$", image), image
    assert Client().get(urlsplit(image).path).status_code == 200  # the rendition is really there
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("800", "1200")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == image
    assert meta(html, "twitter:image:alt") == meta(html, "og:image:alt") == "겨울 정류장"
    assert meta(html, "twitter:title") == meta(html, "og:title") == "겨울 정류장"
    assert meta(html, "twitter:description") == meta(html, "og:description") == "막차를 기다리는 두 사람."
    assert meta(html, "og:url") == f"http://testserver{page.url}"


def test_preview_tags_in_english():
    film = FilmPageFactory(title="겨울 정류장", title_en="Winter Bus Stop", logline_en="Two strangers wait.")
    html = page_html(film.url, Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert meta(html, "twitter:title") == meta(html, "og:title") == "Winter Bus Stop"
    assert meta(html, "twitter:description") == "Two strangers wait."
    assert meta(html, "og:locale") == "en_US"


def test_a_page_without_a_poster_gets_the_small_card_and_no_image():
    html = page_html(FilmPageFactory(title="포스터 없음").url)
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "og:image") is None and meta(html, "twitter:image") is None
    assert meta(html, "twitter:title") == "포스터 없음"


def test_pages_that_set_their_own_title_give_it_to_x_too():
    """A page overriding og:title and og:description (a person) has the same words in the X card."""
    person = PersonFactory(name="김지수", bio="다큐멘터리를 찍는다.")
    html = page_html(person.get_absolute_url())
    assert meta(html, "og:title") == meta(html, "twitter:title") == "김지수"
    assert meta(html, "twitter:description") == "다큐멘터리를 찍는다."
    assert meta(html, "twitter:card") == "summary"


def test_absolute_url_keeps_an_address_that_is_absolute_already():
    """Media on a CDN has absolute URLs: they are given as they are, not glued to our host."""
    template = Template("{% load sharing_tags %}{% absolute_url target %}")
    request = RequestFactory().get("/", HTTP_HOST="reelvision.example")
    render = lambda target: template.render(Context({"request": request, "target": target}))  # noqa: E731
    assert render("https://cdn.example/img/poster.jpg") == "https://cdn.example/img/poster.jpg"
    assert render("/media/images/poster.jpg") == "http://reelvision.example/media/images/poster.jpg"
    assert render("") == ""


# --- the share block -----------------------------------------------------------------------------


def test_film_page_has_the_share_block():
    """Copy link and the share sheet (for share.js), X and Facebook links with the page's address and words."""
    film = FilmPageFactory(title="겨울 정류장", title_en="Winter Bus Stop", slug="winter-bus-stop")
    html = page_html(film.url)
    block = share_block(html)
    address = f"http://testserver{film.url}"
    assert f'data-share-url="{address}"' in block
    assert "링크 복사" in block and "공유하기…" in block
    assert "data-share-copy hidden" in block and "data-share-native hidden" in block  # until share.js shows them
    assert 'role="status"' in block
    links = share_links(html)
    assert links["x.com/intent/post"] == {"url": address, "text": "ReelVision에서 겨울 정류장 보기"}
    assert links["www.facebook.com/sharer/sharer.php"] == {"u": address}
    assert 'target="_blank" rel="noopener noreferrer"' in block
    assert '<script src="/static/js/share.js" defer></script>' in html
    assert finders.find("js/share.js")


def test_share_block_in_english_and_for_a_project():
    project = FundingProjectPageFactory(title="무대 뒤의 사람들", title_en="People Backstage")
    korean = share_links(page_html(project.url))["x.com/intent/post"]["text"]
    assert korean == "ReelVision에서 무대 뒤의 사람들을 응원해 주세요"
    english_html = page_html(project.url, Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert share_links(english_html)["x.com/intent/post"]["text"] == "Back People Backstage on ReelVision"
    block = share_block(english_html)
    assert "Copy link" in block and "Share on X (opens in a new tab)" in block and "Link copied." in block


def test_a_title_with_quotes_and_ampersands_is_encoded_once():
    film = FilmPageFactory(title='Tom & Jerry\'s "Day"', title_en="")
    html = page_html(film.url)
    assert share_links(html)["x.com/intent/post"]["text"] == 'ReelVision에서 Tom & Jerry\'s "Day" 보기'
    assert 'data-share-title="Tom &amp; Jerry&#x27;s &quot;Day&quot;"' in html


def test_a_backer_can_share_the_project_from_the_thank_you_page():
    """After paying, the order page offers the project's share block with words for a backer."""
    project = FundingProjectPageFactory(title="무대 뒤의 사람들")
    member = UserFactory()
    order = paid_donation(project, member, 12_000)
    html = client_for(member).get(reverse("donations:order_detail", args=[order.public_id])).content.decode()
    address = f"http://testserver{project.url}"
    assert f'data-share-url="{address}"' in share_block(html)
    assert share_links(html)["x.com/intent/post"] == {
        "url": address,
        "text": "ReelVision에서 무대 뒤의 사람들을 후원했어요. 함께 응원해 주세요!",
    }


def test_a_buyer_shares_the_film():
    film = FilmPageFactory(title="달의 뒷면", price=5000)
    member = UserFactory()
    order = Order.objects.create(
        member=member, kind="purchase", film=film, amount=5000, provider="sandbox", client_token="t-share"
    )
    from donations import payments
    from donations.providers import Payment

    payments.settle(order, Payment(reference="ref-share", status="paid", amount=5000))
    html = client_for(member).get(reverse("donations:order_detail", args=[order.public_id])).content.decode()
    assert share_links(html)["x.com/intent/post"]["text"] == "ReelVision에서 달의 뒷면 보기"


def test_an_order_not_paid_yet_has_nothing_to_share():
    project = FundingProjectPageFactory()
    member = UserFactory()
    order = Order.objects.create(
        member=member, kind="donation", project=project, amount=5000, provider="sandbox", client_token="t-wait"
    )
    html = client_for(member).get(reverse("donations:order_detail", args=[order.public_id])).content.decode()
    assert 'class="share"' not in html


def test_no_kakao_share_and_nothing_loaded_from_another_host():
    """Kakao's JavaScript SDK is not on npm, so there is no Kakao button (README, "Sharing"): the page
    loads scripts only from our static files, whatever Kakao log-in settings say."""
    html = page_html(FilmPageFactory(poster=ImageFactory()).url)
    block = share_block(html)
    assert "kakao" not in block.lower()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts), scripts
    assert "<script>" not in html  # nothing inline (the CSP allows none)
