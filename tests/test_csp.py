"""The Content-Security-Policy header: on every page, with the admin's and the configuration's additions."""

import pytest
from django.urls import reverse

from films.tests.factories import FilmPageFactory
from members.tests.admin_forms import client_for
from members.tests.factories import StaffUserFactory
from page_cache.cache import HIT_HEADER
from reelvision.csp import s3_origins, storage_origins

CSP_HEADER = "Content-Security-Policy"


def directive(response, name: str) -> list[str]:
    """The sources of one directive in the response's policy."""
    for part in response[CSP_HEADER].split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {response[CSP_HEADER]!r}")


def s3(**options) -> dict:
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "films", **options}}


@pytest.mark.django_db
def test_a_public_page_allows_only_our_own_scripts(client):
    """No inline scripts, no eval, no other hosts on the site's pages."""
    response = client.get(FilmPageFactory().url)

    assert directive(response, "script-src") == ["'self'"]
    assert directive(response, "object-src") == ["'none'"]


@pytest.mark.django_db
def test_a_page_from_the_anonymous_cache_carries_the_policy_too(client):
    """The header is added outside the page cache, so a stored page is served with it."""
    film = FilmPageFactory()
    client.get(film.url)

    response = client.get(film.url)

    assert response[HIT_HEADER] == "hit"
    assert directive(response, "script-src") == ["'self'"]


@pytest.mark.django_db
def test_the_wagtail_admin_may_run_its_inline_scripts():
    """Wagtail renders inline scripts without nonces, so the admin's policy allows them (and nothing else more)."""
    response = client_for(StaffUserFactory()).get(reverse("wagtailadmin_home"))

    assert directive(response, "script-src") == ["'self'", "'unsafe-inline'"]


@pytest.mark.django_db
def test_media_on_a_bucket_adds_its_endpoint_for_images_playback_and_uploads(client, settings):
    """With S3 storages, the bucket's origin may serve images and media and take upload parts."""
    settings.STORAGES = {**settings.STORAGES, "default": s3(endpoint_url="http://minio.local:9000/")}

    response = client.get(FilmPageFactory().url)

    for name in ("img-src", "media-src", "connect-src"):
        assert "http://minio.local:9000" in directive(response, name), name


@pytest.mark.django_db
def test_toss_hosts_are_allowed_only_when_toss_is_offered(client, settings):
    """The widget's script, frames and calls reach Toss's hosts; without Toss, no Toss host is allowed."""
    film = FilmPageFactory()
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    without = client.get(film.url)
    settings.PAYMENT_PROVIDERS = ["toss", "sandbox"]

    with_toss = client.get(film.url)

    assert "tosspayments" not in without[CSP_HEADER]
    assert "https://js.tosspayments.com" in directive(with_toss, "script-src")
    assert "https://*.tosspayments.com" in directive(with_toss, "frame-src")
    assert "https://*.tosspayments.com" in directive(with_toss, "connect-src")


def test_a_path_style_endpoint_is_one_origin():
    """MinIO with path-style addressing: the endpoint's scheme, host and port."""
    options = s3(endpoint_url="http://127.0.0.1:9000", addressing_style="path")["OPTIONS"]

    assert s3_origins(options) == ["http://127.0.0.1:9000"]


def test_aws_without_an_endpoint_covers_both_addressing_styles_and_the_custom_domain():
    """AWS: the bucket's virtual host and the path-style host, global and regional, plus the CDN domain."""
    options = s3(region_name="ap-northeast-2", custom_domain="cdn.reelvision.example")["OPTIONS"]

    assert sorted(s3_origins(options)) == [
        "https://cdn.reelvision.example",
        "https://films.s3.amazonaws.com",
        "https://films.s3.ap-northeast-2.amazonaws.com",
        "https://s3.amazonaws.com",
        "https://s3.ap-northeast-2.amazonaws.com",
    ]


def test_local_storages_add_no_origin():
    """Media in local folders is served by the site itself: 'self' covers it."""
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}

    assert storage_origins(storages) == []
