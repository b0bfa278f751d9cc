"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (the page cache and rate limits live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
