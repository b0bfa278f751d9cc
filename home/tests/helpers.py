"""Shared by the home app's tests: a clock that tests can move forward."""

import datetime
import time

from django.utils import timezone


class Clock:
    """Moves `timezone.now()` and the local-memory caches' clock (their entries' expiry) together."""

    def __init__(self, monkeypatch):
        self.offset = 0.0
        real_now, real_time = timezone.now, time.time
        clock = self

        class CacheTime:
            @staticmethod
            def time():
                return real_time() + clock.offset

        monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(seconds=clock.offset))
        monkeypatch.setattr("django.core.cache.backends.locmem.time", CacheTime)

    def advance(self, **delta) -> None:
        self.offset += datetime.timedelta(**delta).total_seconds()
