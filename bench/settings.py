"""Settings for `bench/run` only: production settings, plus a bare view to compare against.

Production refuses to start without a secret key and hosts, and redirects
plain HTTP to HTTPS; the bench runs on 127.0.0.1 over HTTP, so it fills in
harmless values before importing it. Everything else (DEBUG off, manifest
static files, the cache from `REDIS_URL` or else a file cache shared by the
workers) is production's.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2gtb25seS1ub3QtYS1zZWNyZXQta2V5LTMyYnk=")

from reelvision.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT))  # noqa: F405
# Where `bench_pages http` saves each page's HTML for the bare view to return.
BENCH_PAGES_DIR = Path(os.environ.get("BENCH_PAGES_DIR", "/tmp/reelvision-bench/pages"))

# The query counts are taken in-process with an emptied cache (no page cache, no
# Wagtail rendition cache); emptying a shared Redis database is not ours to do.
if os.environ.get("BENCH_PRIVATE_CACHE"):
    CACHES = {
        "default": {"BACKEND": "reelvision.cache_backends.NonEvictingLocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"  # the Redis one's cache alias is gone
# The bench's own requests all come from one address; they are load, not one visitor's abuse.
ANONYMOUS_PAGE_MISSES_PER_MINUTE = 0

# One line per request or task would cost more than some of the pages measured.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
