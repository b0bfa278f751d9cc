"""Film and funding pages are kept once for everyone and only their personal parts are rendered per
request (`page_cache.slots`). Each viewer must get exactly the page a whole render gives them, and
the kept skeleton must hold nothing of whoever caused it to be rendered.

The pages here carry every personal part at once: a ready paid film with an upcoming premiere, a
review and a comment by others, a flash message; a project with money raised and recent backers.
Each is fetched by a visitor, a plain member (following the page, with a reminder and a review of
their own), a buyer part-way through the film, the page's creator and a staff member, in Korean
and English, twice each (the skeleton rendered, then kept), and compared with a whole render."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from community.models import Follow
from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from live.models import Premiere, PremiereReminder
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from page_cache import slots
from page_cache.cache import current_generation
from videos.tests.factories import ready_video_record
from watching.models import Entitlement, WatchProgress

pytestmark = pytest.mark.django_db

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
VIEWERS = ("visitor", "member", "buyer", "creator", "staff")


def veteran(**fields):
    """A member whose reviews and comments show at once."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **fields)


@pytest.fixture
def world(client, django_capture_on_commit_callbacks):
    creator = CreatorFactory(display_name="감독")
    film = FilmPageFactory(
        title="겨울 정류장", slug="겨울-정류장", owner=creator, price=5000, main_video=ready_video_record()
    )
    project = FundingProjectPageFactory(
        title="바다로 가는 길", slug="바다로-가는-길", owner=creator, raised=(1_250_000, 12)
    )
    Premiere.objects.create(page=film, title="온라인 첫 상영", starts_at=timezone.now() + timedelta(days=3))
    people = {
        "member": veteran(display_name="김관객", email="kwan@example.com"),
        "buyer": veteran(display_name="박구매", email="buyer@example.com"),
        "creator": creator,
        "staff": StaffUserFactory(display_name="이직원"),
    }
    other = veteran(display_name="최리뷰")
    with django_capture_on_commit_callbacks(execute=True):
        for author, rating in ((other, 4), (people["member"], 5)):
            client.force_login(author)
            client.post(
                reverse("community:review", args=[film.pk]), {"rating": rating, "body": f"{author.display_name}의 감상"}
            )
            client.post(reverse("community:comment"), {"page": project.pk, "body": f"{author.display_name}의 응원"})
    client.logout()
    member = people["member"]
    Follow.objects.create(follower=member, page=film)
    PremiereReminder.objects.create(member=member, premiere=Premiere.objects.get())
    Entitlement.objects.create(user=people["buyer"], film=film)
    WatchProgress.objects.create(user=people["buyer"], video=film.main_video, film=film, position=30, duration=60)
    return {"film": film, "project": project, "people": people}


def fetch(client, world, who: str, page, language: str) -> str:
    client.logout()
    if who != "visitor":
        client.force_login(world["people"][who])
    response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return CSRF_FIELD.sub('name="csrfmiddlewaretoken" value="…"', response.content.decode())


@pytest.mark.parametrize("page_name", ["film", "project"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_viewer_gets_the_page_a_whole_render_gives_them(client, world, monkeypatch, page_name, language):
    page = world[page_name]
    kept_twice = {}
    for who in VIEWERS:
        kept_twice[who] = [fetch(client, world, who, page, language) for _ in range(2)]
    with monkeypatch.context() as whole:
        whole.setattr(slots, "uses_skeleton", lambda request: False)
        for who in VIEWERS:
            rendered_whole = fetch(client, world, who, page, language)
            assert kept_twice[who][0] == rendered_whole, who
            assert kept_twice[who][1] == rendered_whole, who
    # The viewers do see different pages: the comparison is not between five copies of one.
    assert len({pages[0] for pages in kept_twice.values()}) == len(VIEWERS)


def test_the_personal_parts_are_the_viewers_own(client, world):
    film = world["film"]
    member_page = fetch(client, world, "member", film, "ko")
    assert "김관객" in member_page  # the account menu
    assert 'aria-pressed="true"' in member_page  # following, and the reminder set
    assert "김관객의 감상" in member_page and "리뷰 고치기" in member_page
    buyer_page = fetch(client, world, "buyer", film, "ko")
    assert '<summary class="account-link">박구매</summary>' in buyer_page and "50% 시청" in buyer_page
    assert 'aria-pressed="true"' not in buyer_page
    staff_page = fetch(client, world, "staff", film, "ko")
    assert "wagtail-userbar" in staff_page
    visitor_page = fetch(client, world, "visitor", film, "ko")
    assert "wagtail-userbar" not in visitor_page and "csrfmiddlewaretoken" not in visitor_page


def test_the_kept_skeleton_holds_nothing_of_the_member_who_rendered_it(client, world):
    film, member = world["film"], world["people"]["member"]
    client.force_login(member)
    assert client.get(film.url, HTTP_ACCEPT_LANGUAGE="ko").status_code == 200
    pages = caches["pages"]
    [key] = [key.split(":", 2)[2] for key in pages._cache if ":skeleton:" in key and ":ko:" in key]
    skeleton = pages.get(key)
    shared_html = "".join(skeleton.pieces)
    for personal in ("csrfmiddlewaretoken", member.display_name, member.email, "로그아웃"):
        assert personal not in shared_html, personal
    assert "겨울 정류장" in shared_html
    assert [name for _template, name in skeleton.slots] == [
        "userbar",
        "account",
        "messages",
        "follow",
        "watch-box",
        "premieres",
        "posts",
        "reviews",
    ]


def test_a_flash_message_is_shown_once_on_a_kept_page(client, world):
    film = world["film"]
    client.force_login(world["people"]["member"])
    client.get(film.url)  # the skeleton is kept
    unfollow = {"follow": "0", "next": film.url}
    after = client.post(reverse("community:follow", args=["page", film.pk]), unfollow, follow=True)
    assert after.redirect_chain and "note note--success" in after.content.decode()
    assert "note note--success" not in client.get(film.url).content.decode()


def test_a_publish_reaches_members_at_once(client, world):
    film, member = world["film"], world["people"]["member"]
    client.force_login(member)
    assert "겨울 정류장" in client.get(film.url).content.decode()
    film.title = "봄 정류장"
    film.save_revision().publish()
    page = client.get(film.url).content.decode()
    assert "봄 정류장" in page and "김관객" in page


def test_money_raised_is_current_for_members_though_no_page_was_published(client, world):
    from films.models import FundingTotal

    project, member = world["project"], world["people"]["member"]
    client.force_login(member)
    assert "1,250,000 KRW" in client.get(project.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # A settled donation updates the total with `update()`: no signal, no new generation.
    generation = current_generation()
    FundingTotal.objects.filter(project=project).update(amount=1_260_000, backers=13)
    assert current_generation() == generation
    assert "1,260,000 KRW" in client.get(project.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_page_with_a_query_or_a_preview_is_rendered_whole(client, world):
    film, member = world["film"], world["people"]["member"]
    client.force_login(member)
    pages = caches["pages"]
    pages.clear()
    assert client.get(film.url, {"utm_source": "kakao"}).status_code == 200
    assert not [key for key in pages._cache if ":skeleton:" in key]
    assert client.get(film.url).status_code == 200
    assert [key for key in pages._cache if ":skeleton:" in key]


def test_a_members_kept_page_reads_only_what_is_theirs(client, world):
    """Once kept, a member's film page reads the page and then only their own parts: nothing of the
    credits, festivals, genres, images, posts, premieres or rating."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    film = world["film"]
    client.force_login(world["people"]["member"])
    client.get(film.url)
    client.get(film.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(film.url).status_code == 200
    read = {re.search(r'FROM "(\w+)"', query["sql"])[1] for query in queries.captured_queries}
    shared = {"films_credit", "films_person", "films_festival", "films_genre", "films_filmrating"}
    shared |= {"wagtailimages_image", "wagtailimages_rendition", "community_post", "live_premiere"}
    assert read & shared == set()
    assert {"community_follow", "films_entitlement", "live_premierereminder"} <= read


def test_a_skeleton_naming_a_part_the_template_no_longer_has_is_rendered_again(client, world):
    """After a release renames a personal part, a skeleton kept from before is replaced, not failed on."""
    from dataclasses import replace

    film = world["film"]
    client.force_login(world["people"]["member"])
    client.get(film.url, HTTP_ACCEPT_LANGUAGE="ko")
    pages = caches["pages"]
    [key] = [key.split(":", 2)[2] for key in pages._cache if ":skeleton:" in key]
    kept = pages.get(key)
    renamed = tuple((template, "watch-box-old" if name == "watch-box" else name) for template, name in kept.slots)
    pages.set(key, replace(kept, slots=renamed))
    response = client.get(film.url, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200 and 'class="watch-box"' in response.content.decode()
    assert pages.get(key).slots == kept.slots
