"""At 390 px, every kind of page fits: no control overlaps another and no text is squeezed one
character per line, for a visitor, a member and a creator, in Korean and in English."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from donations.models import Order
from donations.tests.factories import paid_donation
from films.models import Genre
from films.tests.factories import (
    CollectionPageFactory,
    DonationTierFactory,
    FilmPageFactory,
    FundingProjectPageFactory,
    PersonFactory,
)
from members.tests.factories import CreatorFactory, UserFactory
from videos.tests.factories import ready_video_record

from .conftest import PHONE, has_horizontal_overflow
from .layout import layout_problems

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site():
    """A playable free film, a paid film, a project with backers, a collection, a person, a member and a creator."""
    director = PersonFactory(name="김지수", name_en="Kim Jisu")
    creator = CreatorFactory(display_name="박도윤")
    free = FilmPageFactory(
        title="겨울 정류장",
        title_en="Winter Bus Stop",
        slug="winter-bus-stop",
        main_video=ready_video_record(),  # ready as far as pages can tell: the player lays out, the stream is not needed
        genres=[Genre.objects.get(slug="drama")],
        credits=[(director, "director")],
        owner=creator,
    )
    paid = FilmPageFactory(
        title="달의 뒷면",
        title_en="Far Side of the Moon",
        slug="far-side",
        price=12_000,
        main_video=ready_video_record(),
    )
    project = FundingProjectPageFactory(
        title="무대 뒤의 사람들", title_en="People Backstage", slug="backstage", target_amount=3_000_000, owner=creator
    )
    tier = DonationTierFactory(project=project, amount=5_000, title="응원 한 잔", reward="엔딩 크레딧에 이름")
    collection = CollectionPageFactory(title="무료 단편", slug="free-shorts", films=[free])
    member = UserFactory(display_name="이하늘")
    paid_donation(project, member, 12_000, tier=tier, message="응원합니다!")
    purchase = Order.objects.create(
        member=member, kind="purchase", film=paid, amount=12_000, provider="sandbox", client_token="t-phone"
    )
    from donations import payments
    from donations.providers import Payment

    payments.settle(purchase, Payment(reference="ref-phone", status="paid", amount=12_000))
    return {
        "public": [
            "/",
            free.get_parent().url,
            free.url,
            paid.url,
            project.url,
            collection.url,
            director.get_absolute_url(),
            reverse("search:search") + "?q=정류장",
            reverse("watching:watch_film", args=[free.slug]),
            reverse("donations:project_ledger", args=[project.pk]),
            reverse("account_login"),
            reverse("account_signup"),
        ],
        "member": (
            member,
            [
                "/",
                reverse("members:my_library"),
                reverse("members:my_donations"),
                reverse("members:my_badges"),
                reverse("members:my_profile"),
                reverse("members:my_university"),
                reverse("members:my_account"),
                reverse("recommendations:pick_genres"),
                reverse("donations:donate", args=[project.pk]),
                reverse("donations:order_detail", args=[purchase.public_id]),
                paid.url,
            ],
        ),
        "creator": (
            creator,
            [
                "/",
                reverse("members:my_projects"),
                reverse("donations:project_backers", args=[project.pk]),
                reverse("members:my_profile"),
                free.url,
            ],
        ),
    }


def phone_as(new_context, live_server, user, locale):
    """A 390 px touch phone, logged in as `user` (None: a visitor), asking for `locale`."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize("who", ["public", "member", "creator"])
def test_every_page_lays_out_on_a_phone(new_context, live_server, site, screenshot, who):
    """At 390 px, in Korean and English, no control overlaps another, no text runs one character per line."""
    user, urls = (None, site["public"]) if who == "public" else site[who]
    found = {}
    for locale in ("ko-KR", "en-US"):
        page = phone_as(new_context, live_server, user, locale)
        for url in urls:
            page.goto(url)
            expect(page.locator("#main")).to_be_visible()
            problems = layout_problems(page) + (["sideways scrolling"] if has_horizontal_overflow(page) else [])
            if problems:
                found[f"{locale} {url}"] = problems
                screenshot(page, f"{locale}-{url.strip('/').replace('/', '_') or 'home'}")
    assert found == {}


LONG_CUE = b"1\n00:00:00,000 --> 00:10:00,000\nThe last bus is late tonight.\n"


def test_the_player_fits_a_phone_and_its_controls_fade_while_playing(new_context, tmp_path, settings, screenshot):
    """At 390 px the controls are one row over the bottom of the picture; playing, they fade and the captions move down."""
    from django.core.files.base import ContentFile

    from videos.captions import import_caption

    from .journeys import ready_video as transcoded_video

    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"
    video = transcoded_video(tmp_path / "clip.mp4", seconds=3)
    import_caption(video, "en", "English", ContentFile(LONG_CUE, name="en.srt"))
    FilmPageFactory(title="정류장", title_en="The Stop", slug="the-stop", price=0, main_video=video)

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    page.goto("/watch/the-stop/")
    player, controls = page.locator("[data-player]"), page.locator("[data-controls]")
    expect(page.locator("[data-captions] option")).to_have_count(2)
    page.select_option("[data-captions]", "en")
    buttons = page.locator(".player__bar > :visible").all()
    tops = {round(element.bounding_box()["y"] + element.bounding_box()["height"] / 2) for element in buttons}
    assert max(tops) - min(tops) <= 4, "the control bar wraps onto a second row"
    assert controls.bounding_box()["height"] <= player.bounding_box()["height"] * 0.35
    assert layout_problems(page) == []

    # Played from the keyboard (the pointer never rests on the controls), looping so it never ends.
    page.evaluate("document.querySelector('video').loop = true")
    player.focus()
    page.keyboard.press("m")
    page.keyboard.press("k")
    page.wait_for_function("() => !document.querySelector('video').paused")
    captions = page.locator("[data-caption-box]")
    expect(captions).to_have_text("The last bus is late tonight.")
    assert captions.bounding_box()["y"] + captions.bounding_box()["height"] <= controls.bounding_box()["y"] + 1

    page.wait_for_function("() => document.querySelector('[data-player]').hasAttribute('data-idle')")
    page.wait_for_function("() => getComputedStyle(document.querySelector('[data-controls]')).opacity === '0'")
    screenshot(page, "controls-faded")
    stage = player.bounding_box()
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-caption-box]').getBoundingClientRect();"
        " const p = document.querySelector('[data-player]').getBoundingClientRect();"
        " return p.bottom - c.bottom < 30; }"
    )
    assert stage["height"] > 0

    # A tap on the picture brings the controls back and leaves the film playing.
    page.locator("video").tap()
    expect(player).not_to_have_attribute("data-idle", "")
    assert page.evaluate("document.querySelector('video').paused") is False
