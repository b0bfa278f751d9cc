"""Test data for creators' posts: a creator's project and paid film with a locked post each (a
picture and a video in every one), members of every kind, and what reads their answers."""

from __future__ import annotations

import io
import json
import re
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from community import media
from community.models import Post, PostAudience, PostImage
from donations import payments
from donations.tests.factories import paid_donation
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import CreatorFactory, StaffUserFactory, UserFactory
from videos import storage
from videos.tests.factories import ready_video_record
from watching.models import Entitlement, EntitlementSource

BACKERS_BODY = "촬영 셋째 날, 후원자에게만 보여 드리는 현장 일지입니다."
BUYERS_BODY = "감독판 코멘터리: 구매자에게만 들려드리는 이야기."
IMAGE_PATH = "/community/posts/images/"
PLAYLIST = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p/index.m3u8\n"


def png_upload(name="현장.png", size=(64, 48), colour=(200, 60, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def add_image(post: Post, alt="촬영장 사진") -> PostImage:
    content = media.normalised_image(png_upload())
    image = PostImage(post=post, alt=alt)
    image.file.save(content.name, content, save=False)
    image.save()
    return image


def post_video(owner, title="메이킹 필름"):
    """A ready video of `owner` with a master playlist in storage (no transcode needed to fetch it)."""
    video = ready_video_record()
    video.owner, video.title = owner, title
    video.save(update_fields=["owner", "title"])
    local = storage.local_path(video.hls_master_key)
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text(PLAYLIST)
    return video


def master_path(video) -> str:
    return video.hls_master_key.removeprefix(video.outputs_prefix)


def build_world():
    """A creator's funding project (two tiers) and paid film, each with a locked post holding a
    picture and a video, and one member of every kind."""
    creator = CreatorFactory(display_name="김감독")
    project = FundingProjectPageFactory(title="심야 버스", title_en="Night Bus", owner=creator, minimum_donation=1000)
    tier_low = DonationTierFactory(project=project, amount=5_000, title="응원 한 잔")
    tier_high = DonationTierFactory(project=project, amount=50_000, title="엔딩 크레딧에 이름")
    film = FilmPageFactory(
        title="첫눈", title_en="First Snow", owner=creator, price=3_000, main_video=ready_video_record()
    )
    now = timezone.now()
    backers_post = Post.objects.create(
        page=project,
        author=creator,
        title="셋째 날 현장 일지",
        teaser="비 오는 밤 버스 정류장 촬영 이야기",
        body=BACKERS_BODY,
        audience=PostAudience.BACKERS,
        minimum_tier=tier_high,
        published_at=now,
    )
    buyers_post = Post.objects.create(
        page=film,
        author=creator,
        title="감독 코멘터리",
        teaser="구매자를 위한 이야기",
        body=BUYERS_BODY,
        audience=PostAudience.BUYERS,
        published_at=now,
    )
    for post in (backers_post, buyers_post):
        add_image(post)
        post.videos.add(post_video(creator))

    staff = StaffUserFactory()
    backer_below, backer_at, refunded = UserFactory(), UserFactory(), UserFactory()
    paid_donation(project, backer_below, amount=5_000, tier=tier_low)
    paid_donation(project, backer_at, amount=50_000, tier=tier_high)
    payments.refund(
        paid_donation(project, refunded, amount=50_000, tier=tier_high), 1_000, by=staff, reason="일부 환불"
    )
    buyer = UserFactory()
    Entitlement.objects.create(user=buyer, film=film, source=EntitlementSource.PURCHASE)
    other_creator = CreatorFactory()
    FundingProjectPageFactory(owner=other_creator)
    return SimpleNamespace(
        creator=creator,
        project=project,
        film=film,
        tier_low=tier_low,
        tier_high=tier_high,
        backers_post=backers_post,
        buyers_post=buyers_post,
        users={
            "anonymous": None,
            "member": UserFactory(),
            "backer below the tier": backer_below,
            "backer at the tier": backer_at,
            "backer refunded below the tier": refunded,
            "buyer": buyer,
            "owner": creator,
            "other creator": other_creator,
            "staff": staff,
        },
    )


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def image_urls(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in re.findall(r'src="(/community/posts/images/[^"]+)"', html)]


def player_config(html: str) -> dict | None:
    found = re.search(r'<script id="player-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def body_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
