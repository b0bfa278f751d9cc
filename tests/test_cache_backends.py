"""The stores that keep rate limits drop expired entries only, never live ones."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from reelvision.cache_backends import NonEvictingFileBasedCache, NonEvictingLocMemCache

MAX_ENTRIES = 10


@pytest.fixture(params=["memory", "files"])
def store(request, tmp_path):
    options = {"OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES}}
    if request.param == "memory":
        return NonEvictingLocMemCache(f"test-{tmp_path.name}", options)
    return NonEvictingFileBasedCache(str(tmp_path), options)


def test_live_entries_beyond_max_entries_are_all_kept(store):
    """Three times MAX_ENTRIES live limits: every one is still there."""
    for n in range(3 * MAX_ENTRIES):
        store.set(f"limit:{n}", n, 300)
    assert [store.get(f"limit:{n}") for n in range(3 * MAX_ENTRIES)] == list(range(3 * MAX_ENTRIES))


def test_expired_entries_are_swept_when_the_store_fills(store):
    """Once MAX_ENTRIES is reached, expired entries make room and live ones stay."""
    for n in range(MAX_ENTRIES):
        store.set(f"old:{n}", n, -1)  # already expired
    store.set("live", "locked", 300)
    if isinstance(store, FileBasedCache):
        assert len(store._list_cache_files()) == 1
    else:
        assert len(store._cache) == 1
    assert store.get("live") == "locked"


def test_a_counter_keeps_counting_past_max_entries(store):
    """add() and incr(), as the limits use them, work on a full store."""
    for n in range(2 * MAX_ENTRIES):
        store.set(f"limit:{n}", n, 300)
    store.add("counter", 0, 60)
    assert [store.incr("counter") for _ in range(3)] == [1, 2, 3]
