"""Local development: DEBUG on, a fixed insecure key, every host allowed."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["*"]  # noqa: F405 — dev server only
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
