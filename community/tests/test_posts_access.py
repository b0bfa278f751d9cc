"""Who reads a creator's post: every kind of visitor against a backers' post (from a tier) and a
buyers' post, on the site, in the API, and at the post's picture and video addresses.

Those who may not read it get the title, the teaser and a way to unlock it: never the text, a
picture's address or bytes, or a video link that plays.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from community import media
from community.models import Comment, Post
from donations import payments
from donations.models import Order
from videos import signing

from .post_helpers import (
    BACKERS_BODY,
    IMAGE_PATH,
    body_bytes,
    build_world,
    client_for,
    image_urls,
    master_path,
    player_config,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


@dataclass
class Case:
    role: str
    post: str  # "backers_post" or "buyers_post"
    readable: bool


READERS = {
    "backers_post": {"backer at the tier", "owner", "staff"},
    "buyers_post": {"buyer", "owner", "staff"},
}
ROLES = [
    "anonymous",
    "member",
    "backer below the tier",
    "backer at the tier",
    "backer refunded below the tier",
    "buyer",
    "owner",
    "other creator",
    "staff",
]
CASES = [Case(role, post, role in READERS[post]) for post in READERS for role in ROLES]


def _id(case: Case) -> str:
    return f"{case.post}-{case.role.replace(' ', '_')}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_the_post_page_shows_the_text_and_media_only_to_those_who_may_read_it(world, case):
    """Everyone sees the title and teaser; readers also the text, the pictures and the player."""
    post = getattr(world, case.post)
    response = client_for(world.users[case.role]).get(reverse("community:post", args=[post.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert post.title in html and post.teaser in html
    if case.readable:
        assert post.body in html
        assert len(image_urls(html)) == 1
        assert player_config(html)["master_url"].count("/stream/") == 1
    else:
        assert post.body not in html
        assert IMAGE_PATH not in html and "/stream/" not in html and "player-config" not in html


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_the_api_gives_the_text_and_media_only_to_those_who_may_read_it(world, case):
    """`locked` matches the site; a locked post's item has no body, no picture and no video address."""
    post = getattr(world, case.post)
    response = client_for(world.users[case.role]).get(reverse("api_post", args=[post.pk]))
    item = response.json()
    assert response.status_code == 200
    assert item["title"] == post.title and item["teaser"] == post.teaser
    assert item["locked"] is not case.readable
    if case.readable:
        assert item["body"] == post.body
        assert len(item["images"]) == 1 and len(item["videos"]) == 1
        assert item["unlock"] is None
    else:
        assert item["body"] is None and item["images"] == [] and item["videos"] == []
        assert post.body not in response.content.decode()
        assert IMAGE_PATH not in response.content.decode() and "/stream/" not in response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_a_picture_comes_only_to_a_reader_through_their_own_address(world, case):
    """Readers fetch the picture from the address on their page; others get a 403 and no bytes, both
    with a reader's address and with one signed for themselves."""
    post = getattr(world, case.post)
    user = world.users[case.role]
    client = client_for(user)
    picture = post.images.get()
    stored = picture.file.open("rb").read()
    if case.readable:
        html = client.get(reverse("community:post", args=[post.pk])).content.decode()
        response = client.get(image_urls(html)[0])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert body_bytes(response) == stored
        return
    owners_address = media.image_url(picture, world.creator)
    own_address = media.image_url(picture, user or AnonymousUser())
    for address in (owners_address, own_address):
        response = client.get(address)
        assert response.status_code == 403, address
        assert stored not in body_bytes(response) and b"PNG" not in body_bytes(response)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_a_video_playlist_comes_only_to_a_reader(world, case):
    """Readers' players fetch the master playlist; others are refused it (403), with a reader's link
    or a link signed for themselves, and get no signed link from it."""
    post = getattr(world, case.post)
    user = world.users[case.role]
    client = client_for(user)
    video = post.videos.get()
    if case.readable:
        html = client.get(reverse("community:post", args=[post.pk])).content.decode()
        response = client.get(player_config(html)["master_url"])
        assert response.status_code == 200 and response.content.startswith(b"#EXTM3U")
        assert b"/stream/" in response.content  # the variant, signed for this reader
        return
    readers_link = signing.signed_url(video.pk, master_path(video), f"u{world.creator.pk}", 300)
    own_link = signing.signed_url(video.pk, master_path(video), signing.viewer_of(user) if user else "anon", 300)
    for link in (readers_link, own_link):
        response = client.get(link)
        assert response.status_code == 403, link
        assert b"#EXTM3U" not in response.content and b"/stream/" not in response.content


def test_a_locked_backers_post_offers_the_tier_to_back_and_a_visitor_logs_in_first(world):
    """The lock names the tier and links to the donation form set to it; a visitor goes through the log-in."""
    post = world.backers_post
    donate = reverse("donations:donate", args=[world.project.pk]) + f"?tier={world.tier_high.pk}"
    member_html = client_for(world.users["member"]).get(reverse("community:post", args=[post.pk]))
    member_html = member_html.content.decode()
    assert "Back this project" in member_html and f'href="{donate}"' in member_html
    assert "엔딩 크레딧에 이름" in member_html
    visitor_html = client_for(None).get(reverse("community:post", args=[post.pk])).content.decode()
    assert "/accounts/login/?next=" in visitor_html and "Log in" in visitor_html


def test_a_locked_buyers_post_links_to_buying_the_film(world):
    """A member who has not bought the film is offered the purchase."""
    html = client_for(world.users["member"]).get(reverse("community:post", args=[world.buyers_post.pk]))
    assert "Buy the film" in html.content.decode()
    assert reverse("donations:buy", args=[world.film.pk]) in html.content.decode()


def test_a_refund_closes_the_post_at_the_next_request(world):
    """The backer at the tier reads the post; refunded below it, the same address of the picture is refused."""
    backer = world.users["backer at the tier"]
    client = client_for(backer)
    html = client.get(reverse("community:post", args=[world.backers_post.pk])).content.decode()
    address = image_urls(html)[0]
    assert client.get(address).status_code == 200
    order = Order.objects.get(member=backer, project=world.project)
    payments.refund(order, 1, by=world.users["staff"], reason="1원 환불")
    assert client.get(address).status_code == 403
    html = client.get(reverse("community:post", args=[world.backers_post.pk])).content.decode()
    assert BACKERS_BODY not in html


def test_drafts_hidden_posts_and_posts_on_unpublished_pages_are_not_found_by_others(world):
    """Only those who may edit a post open it before it is published, once staff hid it, or while its
    page is unpublished; to everyone else, backers included, it does not exist."""
    post = world.backers_post
    backer = client_for(world.users["backer at the tier"])
    owner = client_for(world.creator)
    url = reverse("community:post", args=[post.pk])
    for change, undo in (
        ({"published_at": None}, {"published_at": post.published_at}),
        ({"hidden_at": timezone.now()}, {"hidden_at": None}),
    ):
        Post.objects.filter(pk=post.pk).update(**change)
        assert backer.get(url).status_code == 404
        assert backer.get(reverse("api_post", args=[post.pk])).status_code == 404
        assert owner.get(url).status_code == 200
        Post.objects.filter(pk=post.pk).update(**undo)
    world.project.unpublish()
    assert backer.get(url).status_code == 404
    assert owner.get(url).status_code == 200


def test_the_comment_thread_shows_only_to_those_who_may_read_the_post(world):
    """Readers see the post's comments and the form to the comment view; a locked post shows neither."""
    Comment.objects.create(
        page=world.project, post=world.backers_post, author=world.users["staff"], body="현장 사진 잘 봤습니다"
    )
    url = reverse("community:post", args=[world.backers_post.pk])
    reader = client_for(world.users["backer at the tier"]).get(url).content.decode()
    assert "현장 사진 잘 봤습니다" in reader and f'action="{reverse("community:comment")}"' in reader
    locked = client_for(world.users["backer below the tier"]).get(url).content.decode()
    assert "현장 사진 잘 봤습니다" not in locked and reverse("community:comment") not in locked
