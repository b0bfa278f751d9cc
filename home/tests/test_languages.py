"""Every public page and my page read in the visitor's language.

In English, no Hangul may show outside content that has no English version (a member's name, a
donation tier's title, the KO switch, anything marked `lang="ko"`); in Korean, content shows its
Korean fields, not the English ones.
"""

import re

import pytest
from django.urls import reverse

from donations.models import Order
from donations.tests.factories import paid_donation
from films.models import Genre
from films.tests.factories import (
    CollectionPageFactory,
    DonationTierFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    PersonFactory,
    ProductionUpdateFactory,
    film_index,
    home_page,
)
from members.tests.factories import UserFactory
from tests.readable import readable_text
from videos.tests.factories import ready_video_record
from watching.models import Entitlement, WatchProgress

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
# Attributes a reader sees or hears.
# Korean on purpose in English pages: examples of Korean search words ("졸업" finds "졸업작품") and
# the Korean name of the student year (학번), which students know it by.
KOREAN_EXAMPLES = ("졸업작품", "졸업", "학번")


def hangul_outside(html: str, allowed: list[str]) -> list[str]:
    """The Hangul a reader meets in `html`, with some context, once `allowed` strings are taken out."""
    text = readable_text(html, "en", head=True)
    for sample in sorted(allowed + list(KOREAN_EXAMPLES), key=len, reverse=True):
        text = text.replace(sample, " ")
    return [text[max(0, m.start() - 30) : m.end() + 30].strip() for m in HANGUL.finditer(text)]


@pytest.fixture
def site(settings, tmp_path):
    """One of every kind of content, with its English fields filled in wherever the model has them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    drama = Genre.objects.get(slug="drama")
    director = PersonFactory(name="김감독", name_en="Director Kim", bio="서울에서 태어났다.", bio_en="Born in Seoul.")
    film = FilmPageFactory(
        title="밤의 정류장",
        title_en="Night Stop",
        logline="막차를 기다리는 두 사람.",
        logline_en="Two people wait for the last bus.",
        synopsis="<p>도시의 마지막 정류장.</p>",
        synopsis_en="<p>The city's last stop.</p>",
        genres=[drama],
        credits=[(director, "director")],
        main_video=ready_video_record(),
    )
    paid = FilmPageFactory(title="유료 영화", title_en="Paid Film", price=5000, main_video=ready_video_record())
    project = FundingProjectPageFactory(
        title="제작 중인 영화", title_en="Film in Production", logline="응원해 주세요.", logline_en="Back us."
    )
    tier = DonationTierFactory(project=project, amount=5000, title="응원 한 잔", reward="감사 엽서")
    ProductionUpdateFactory(page=project, title="촬영 시작", title_en="Shooting began", body_en="<p>Day one.</p>")
    collection = CollectionPageFactory(
        title="졸업 상영회",
        title_en="Graduation Showcase",
        intro="<p>올해의 작품.</p>",
        intro_en="<p>This year.</p>",
        films=[film],
    )
    catalogue = film_index()
    catalogue.title_en = "Films"
    catalogue.intro = "<p>학과의 모든 졸업작품.</p>"
    catalogue.intro_en = "<p>Every graduation film of the department.</p>"
    catalogue.save_revision().publish()
    home = home_page()
    home.body = [
        {
            "type": "hero",
            "value": {
                "film": film.pk,
                "headline": "이번 주의 영화",
                "headline_en": "Film of the week",
                "text": "놓치지 마세요.",
                "text_en": "Don't miss it.",
                "call_to_action": "지금 보기",
                "call_to_action_en": "Watch now",
            },
        },
        {"type": "film_row", "value": {"title": "이번 주 추천작", "title_en": "Picks of the week", "films": [film.pk]}},
        {"type": "auto_film_row", "value": {"title": "드라마", "title_en": "Drama", "genre": drama.pk, "limit": 6}},
        {
            "type": "funding_spotlight",
            "value": {"title": "응원하기", "title_en": "Back a film", "projects": [project.pk]},
        },
        {
            "type": "text",
            "value": {
                "heading": "소개",
                "heading_en": "About",
                "text": "<p>졸업작품이 머무는 곳.</p>",
                "text_en": "<p>Where graduation films live on.</p>",
            },
        },
    ]
    home.save_revision().publish()
    member = UserFactory(display_name="이하늘")
    paid_donation(project, member, 5000, tier=tier)
    purchase = Order.objects.create(
        member=member, kind="purchase", film=paid, amount=5000, provider="sandbox", client_token="t-lang"
    )
    from donations import payments
    from donations.providers import Payment

    payments.settle(purchase, Payment(reference="ref-lang", status="paid", amount=5000))
    Entitlement.objects.get_or_create(user=member, film=paid)
    WatchProgress.objects.create(user=member, video=film.main_video, film=film, position=30, duration=60)
    return {
        "film": film,
        "paid": paid,
        "project": project,
        "collection": collection,
        "catalogue": catalogue,
        "home": home,
        "director": director,
        "member": member,
        # Content with no English version: the member's name, the tier's title and reward.
        "korean_only": ["이하늘", "응원 한 잔", "감사 엽서", "이*늘"],
    }


def public_urls(site) -> list[str]:
    return [
        "/",
        site["catalogue"].url,
        site["catalogue"].url + "?status=free",
        site["film"].url,
        site["paid"].url,
        site["project"].url,
        site["collection"].url,
        site["director"].get_absolute_url(),
        reverse("search:search") + "?q=night",
        reverse("watching:watch_film", args=[site["film"].slug]),
        reverse("donations:project_ledger", args=[site["project"].pk]),
        reverse("account_login"),
        reverse("account_signup"),
        "/no-such-page/",
    ]


def member_urls(site) -> list[str]:
    donation = Order.objects.filter(kind="donation").first()
    return [
        reverse("members:my_library"),
        reverse("members:my_donations"),
        reverse("members:my_badges"),
        reverse("members:my_profile"),
        reverse("members:my_university"),
        reverse("members:my_projects"),
        reverse("members:my_account"),
        reverse("members:my_delete"),
        reverse("donations:donate", args=[site["project"].pk]),
        reverse("donations:order_detail", args=[donation.public_id]),
        reverse("members:member_profile", args=[site["member"].pk]),
    ]


def leaks(client, urls, allowed) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (200, 404), (url, response.status_code)
        if hangul := hangul_outside(response.content.decode(), allowed):
            found[url] = hangul
    return found


def test_every_public_page_reads_in_english(client, site):
    """In English, public pages show no Hangul outside content that has no English version."""
    assert leaks(client, public_urls(site), site["korean_only"]) == {}


def test_my_page_and_checkout_read_in_english(client, site):
    """In English, my page's tabs, the donate page and a receipt show no Hangul outside Korean-only content."""
    client.force_login(site["member"])
    assert leaks(client, member_urls(site), site["korean_only"]) == {}


def test_korean_pages_show_the_korean_fields(client, site):
    """In Korean, content shows its Korean fields (the English ones only where the page offers both titles)."""
    pages = {
        "/": ["이번 주의 영화", "이번 주 추천작", "응원하기", "졸업작품이 머무는 곳"],
        site["catalogue"].url: ["학과의 모든 졸업작품"],
        site["collection"].url: ["졸업 상영회", "올해의 작품"],
        site["project"].url: ["촬영 시작"],
    }
    for url, korean in pages.items():
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        assert all(text in html for text in korean), url
        assert "Picks of the week" not in html and "This year." not in html and "Shooting began" not in html, url
