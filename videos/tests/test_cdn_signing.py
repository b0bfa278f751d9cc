"""A CDN in front of S3: with a CloudFront domain and key, paid video segments and locked post pictures
leave as CloudFront signed URLs (canned policy, as short-lived as the presigned GETs they replace);
who may fetch them is still decided by our views, and the Content-Security-Policy allows the CDN.

Each signature is checked the way CloudFront checks it: the canned policy rebuilt from the URL and
its Expires, verified with the public half of a key pair made here.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from community import media
from community.tests.post_helpers import add_image, build_world, client_for
from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory
from reelvision.csp import policy_for
from videos import signing, storage
from videos.tests.factories import ready_video_record
from watching.models import Entitlement, EntitlementSource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CDN_DOMAIN = "cdn.example.com"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"
SIGNED_PARAMS = {"Expires", "Signature", "Key-Pair-Id"}
VARIANT = "hls/360p/index.m3u8"
SEGMENT = "hls/360p/seg_00000.ts"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def key_pair() -> tuple[str, rsa.RSAPublicKey]:
    """A CloudFront-style RSA key pair: the private key as PEM (what AWS_CLOUDFRONT_KEY holds), the public key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption()).decode()
    return pem, private.public_key()


@pytest.fixture
def cdn(s3_storage, settings, key_pair) -> rsa.RSAPublicKey:
    """The video storage on the moto bucket behind the CDN, as the settings make it from AWS_CLOUDFRONT_*."""
    videos = settings.STORAGES["videos"]
    options = {
        **videos["OPTIONS"],
        "custom_domain": CDN_DOMAIN,
        "cloudfront_key_id": KEY_PAIR_ID,
        "cloudfront_key": key_pair[0],
    }
    settings.STORAGES = {**settings.STORAGES, "videos": {**videos, "OPTIONS": options}}
    return key_pair[1]


def canned_policy(resource: str, expires: int) -> bytes:
    """CloudFront's canned policy for one URL, byte for byte as CloudFront rebuilds it to check a signature."""
    policy = {"Statement": [{"Resource": resource, "Condition": {"DateLessThan": {"AWS:EpochTime": expires}}}]}
    return json.dumps(policy, separators=(",", ":")).encode()  # no whitespace, keys in this order


def cloudfront_b64decode(value: str) -> bytes:
    """CloudFront's URL-safe base64 ('+=/' written as '-_~') back to bytes."""
    return base64.b64decode(value.replace("-", "+").replace("_", "=").replace("~", "/"))


def check_cloudfront_signature(url: str, public_key: rsa.RSAPublicKey) -> int:
    """Verify ``url`` as CloudFront would (raises InvalidSignature if it does not hold); returns its Expires."""
    resource, _, query = url.partition("?")
    params = {name: values[0] for name, values in parse_qs(query).items()}
    assert set(params) == SIGNED_PARAMS, params
    assert params["Key-Pair-Id"] == KEY_PAIR_ID
    expires = int(params["Expires"])
    signature = cloudfront_b64decode(params["Signature"])
    public_key.verify(signature, canned_policy(resource, expires), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 - CloudFront's algorithm
    return expires


def assert_signed_for(url: str, key: str, ttl: int, public_key, asked_at: float, answered_at: float) -> None:
    """``url`` is a CloudFront signed URL for ``key`` on the CDN that expires ``ttl`` seconds after it was made."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", CDN_DOMAIN, f"/{key}")
    expires = check_cloudfront_signature(url, public_key)
    assert int(asked_at) + ttl - 1 <= expires <= int(answered_at) + ttl + 1
    # The signature covers both the URL and the expiry: neither can be changed.
    with pytest.raises(InvalidSignature):
        check_cloudfront_signature(url.replace(parts.path, parts.path + "x", 1), public_key)
    with pytest.raises(InvalidSignature):
        check_cloudfront_signature(url.replace(f"Expires={expires}", f"Expires={expires + 3600}"), public_key)


@pytest.fixture
def paid_film_on_s3(tmp_path):
    """A paid film whose video has a variant playlist and one segment in the bucket."""
    video = ready_video_record()
    for path, body in ((VARIANT, "#EXTM3U\n#EXTINF:4.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n"), (SEGMENT, "segment")):
        local = tmp_path / path.replace("/", "-")
        local.write_text(body)
        storage.put_file(local, video.outputs_prefix + path)
    return FilmPageFactory(title="Paid film", price=5000, main_video=video)


def signed_link(film, path: str, user) -> str:
    return signing.signed_url(film.main_video_id, path, signing.viewer_of(user), django_settings.VIDEO_SEGMENT_URL_TTL)


# --- video segments ---------------------------------------------------------------------------------


def test_a_buyers_segment_link_redirects_to_a_cloudfront_signed_url_on_the_cdn(cdn, paid_film_on_s3, settings):
    """The variant playlist still lists our own links; a segment link answers with the CDN's signed URL."""
    buyer = UserFactory()
    Entitlement.objects.create(user=buyer, film=paid_film_on_s3, source=EntitlementSource.PURCHASE)
    client = client_for(buyer)
    playlist = client.get(signed_link(paid_film_on_s3, VARIANT, buyer))
    assert playlist.status_code == 200
    [segment_link] = [line for line in playlist.content.decode().splitlines() if line and not line.startswith("#")]
    assert segment_link.startswith("/stream/")

    asked_at = time.time()
    redirect = client.get(segment_link)
    answered_at = time.time()
    assert redirect.status_code == 302
    key = paid_film_on_s3.main_video.outputs_prefix + SEGMENT
    assert_signed_for(redirect["Location"], key, settings.VIDEO_PRESIGNED_URL_TTL, cdn, asked_at, answered_at)


def test_a_viewer_without_the_film_gets_403_and_no_cdn_url(cdn, paid_film_on_s3):
    """The entitlement check comes before any URL is made, CDN or not."""
    member = UserFactory()
    client = client_for(member)
    for path in (VARIANT, SEGMENT):
        refused = client.get(signed_link(paid_film_on_s3, path, member))
        assert refused.status_code == 403
        assert "Location" not in refused and CDN_DOMAIN not in refused.content.decode()


def test_the_csp_allows_the_cdn_for_images_media_and_fetches(cdn):
    """Posters and pictures (img), segments (media, and hls.js fetches them: connect) come from the CDN."""
    policy = policy_for("/watch/film/", django_settings.SECURE_CSP)
    for directive in ("img-src", "media-src", "connect-src"):
        assert f"https://{CDN_DOMAIN}" in policy[directive], directive
    assert f"https://{CDN_DOMAIN}" not in policy["script-src"]


def test_without_a_cdn_there_is_no_cloudfront_url(s3_storage, settings):
    """The bucket alone (or a custom domain without a key, which the settings never make) gives no CDN URL."""
    assert storage.cdn_url("videos/1/hls/360p/seg_00000.ts", 60) is None
    videos = settings.STORAGES["videos"]
    unsigned = {**videos, "OPTIONS": {**videos["OPTIONS"], "custom_domain": CDN_DOMAIN}}
    settings.STORAGES = {**settings.STORAGES, "videos": unsigned}
    with pytest.raises(ImproperlyConfigured, match="no CloudFront key"):
        storage.cdn_url("videos/1/hls/360p/seg_00000.ts", 60)


# --- post pictures ----------------------------------------------------------------------------------


def test_a_locked_post_picture_redirects_to_a_cloudfront_signed_url_for_its_readers_only(request):
    """A backer at the tier is sent to the CDN for a minute; a member who may not read the post gets 403."""
    world = build_world()  # before the buckets: its post videos are written to local storage
    public_key = request.getfixturevalue("cdn")
    picture = add_image(world.backers_post)
    backer, member = world.users["backer at the tier"], world.users["member"]

    asked_at = time.time()
    response = client_for(backer).get(media.image_url(picture, backer))
    answered_at = time.time()
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    assert_signed_for(
        response["Location"], picture.file.name, media.PRESIGNED_IMAGE_TTL, public_key, asked_at, answered_at
    )

    refused = client_for(member).get(media.image_url(picture, member))
    assert refused.status_code == 403 and "Location" not in refused


# --- settings ---------------------------------------------------------------------------------------


def base_settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import reelvision.settings.base in a fresh interpreter with ``env``; prints the storages as JSON."""
    script = "import json; from reelvision.settings import base; print(json.dumps(base.STORAGES))"
    clean = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    return subprocess.run(  # noqa: S603 - argv list, no shell
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env={**clean, "AWS_STORAGE_BUCKET_NAME": "media-bucket", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_cloudfront_variables_give_the_video_storage_a_signing_cdn_and_leave_the_media_storage_alone(key_pair):
    """AWS_CLOUDFRONT_KEY may hold its PEM on one line with \\n escapes, as JWT_PRIVATE_KEY does."""
    pem = key_pair[0]
    result = base_settings_with(
        {
            "AWS_CLOUDFRONT_DOMAIN": CDN_DOMAIN,
            "AWS_CLOUDFRONT_KEY_ID": KEY_PAIR_ID,
            "AWS_CLOUDFRONT_KEY": pem.replace("\n", "\\n"),
        }
    )
    assert result.returncode == 0, result.stderr
    stores = json.loads(result.stdout)
    videos, media_options = stores["videos"]["OPTIONS"], stores["default"]["OPTIONS"]
    assert (videos["custom_domain"], videos["cloudfront_key_id"], videos["cloudfront_key"]) == (
        CDN_DOMAIN,
        KEY_PAIR_ID,
        pem,
    )
    assert media_options["custom_domain"] is None and "cloudfront_key" not in media_options


def test_cloudfront_variables_are_all_or_nothing():
    """A domain without its key would mean unsigned links (or none): the settings refuse to load."""
    result = base_settings_with({"AWS_CLOUDFRONT_DOMAIN": CDN_DOMAIN})
    assert result.returncode != 0
    assert "AWS_CLOUDFRONT_DOMAIN, AWS_CLOUDFRONT_KEY_ID and AWS_CLOUDFRONT_KEY go together" in result.stderr
    without = base_settings_with({})
    assert without.returncode == 0, without.stderr
    assert json.loads(without.stdout)["videos"]["OPTIONS"]["custom_domain"] is None
