"""Production: every secret from the environment, fail loudly when one is missing."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")
if not FIELD_ENCRYPTION_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be set for production (payout accounts are encrypted with it). "
        'Make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
    )

DEBUG = False
# No sandbox payments in production (anyone could "pay" without money moving) unless a staging
# site asks for it with PAYMENT_SANDBOX=true; donations.checks warns about it on `check --deploy`.
PAYMENT_SANDBOX = env_bool("PAYMENT_SANDBOX", False)  # noqa: F405
if not PAYMENT_SANDBOX:
    PAYMENT_PROVIDERS = [name for name in PAYMENT_PROVIDERS if name != "sandbox"]  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN

# Every worker process must see the same caches: rate limits must count every
# worker's requests, and a publish handled by one worker has to retire the pages
# the others hold (the page cache's generation number lives with the pages).
# Without Redis, files shared by the processes on this machine (with several
# machines, set REDIS_URL): limits in a store that never evicts a live entry,
# pages in a bounded one of their own.
if not REDIS_URL:  # noqa: F405
    CACHE_DIR = Path(os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")))  # noqa: F405
    CACHES["default"] = {  # noqa: F405
        "BACKEND": "reelvision.cache_backends.NonEvictingFileBasedCache",
        "LOCATION": str(CACHE_DIR / "limits"),
    }
    if not REDIS_PAGES_URL:  # noqa: F405
        CACHES["pages"] = {  # noqa: F405
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "pages"),
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES},  # noqa: F405
        }
