"""Fetching public pages as an anonymous visitor would, rendered for real (not from the page cache)."""

from django.core.cache import caches
from django.test import Client


def empty_caches() -> None:
    """Empty the page cache and the default cache (where Wagtail's renditions are kept in tests)."""
    for alias in ("default", "pages"):
        caches[alias].clear()


def get_uncached(client, url, **kwargs):
    """GET a page rendered for real, not served from the anonymous page cache."""
    empty_caches()
    return client.get(url, **kwargs)


def page_html(url, client=None) -> str:
    """An anonymous visitor's page at `url`, which must answer 200."""
    response = get_uncached(client or Client(), url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()
