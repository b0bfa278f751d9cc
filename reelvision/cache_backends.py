"""Cache backends for state that must not be evicted: rate limits and lockouts.

Django's local-memory and file caches make room once they hold MAX_ENTRIES
entries by dropping live ones (a third of them, chosen by age or at random).
A rate limit that is dropped is a limit lifted: five wrong passwords lock an
address until, a few hundred cache writes later, the lock is culled with the
rest. These backends only ever remove entries that have expired; MAX_ENTRIES
is when they look for expired ones, and nothing live is lost when there are
none. What they hold stays small because every limit expires with its window;
pages and other rebuildable copies live in a cache of their own (the `pages`
alias) that may cull as it likes.
"""

import contextlib
import os

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache


def _next_sweep_at(configured: int, live: int) -> int:
    # Sweeping is a full scan: once it finds mostly live entries, wait until there are twice as many
    # before the next one, so a cache full of live limits does not scan on every write.
    return max(configured, 2 * live)


class NonEvictingLocMemCache(LocMemCache):
    """Per-process memory that drops expired entries only."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self._configured_max_entries = self._max_entries

    def _cull(self):
        for key in [key for key in self._cache if self._has_expired(key)]:
            self._delete(key)
        self._max_entries = _next_sweep_at(self._configured_max_entries, len(self._cache))


class NonEvictingFileBasedCache(FileBasedCache):
    """Files shared by the processes on one machine, dropping expired entries only."""

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._configured_max_entries = self._max_entries

    def _cull(self):
        filelist = self._list_cache_files()
        if len(filelist) < self._max_entries:
            return
        for fname in filelist:
            # Another process may remove or replace the file while we look at it.
            with contextlib.suppress(FileNotFoundError), open(fname, "rb") as f:
                self._is_expired(f)  # deletes the file when it has expired
        live = sum(1 for fname in filelist if os.path.exists(fname))
        self._max_entries = _next_sweep_at(self._configured_max_entries, live)
