"""Test runs: fast hashing, a private cache, plain static storage, inline tasks."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-long-enough-for-hs256-jwt-signing"  # noqa: S105 — test settings only
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Private to the run (never a REDIS_URL from the environment), laid out as in base: limits in a
# store that never evicts, pages in a bounded one.
CACHES = {
    "default": {"BACKEND": "reelvision.cache_backends.NonEvictingLocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # not base's Redis one, whatever REDIS_URL says
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", BASE_DIR / ".test-media"))  # noqa: F405
VIDEO_ROOT = Path(os.environ.get("TEST_VIDEO_ROOT", f"{MEDIA_ROOT}-videos"))  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Quiet: task state changes are logged at INFO on every page save.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.tasks": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
# E-mails with codes and links are sent at once through the outbox task (no worker runs in tests);
# members/tests/test_outbox.py runs them through the database queue.
OUTBOX_TASK_BACKEND = "default"
SEARCH_INDEX_TASK_BACKEND = "default"
NOTIFICATIONS_TASK_BACKEND = "default"
