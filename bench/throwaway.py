"""The throwaway database and work directory of the in-process benches (search, recommendations,
the personal home): SQLite in a temporary directory, or the EMPTY database DATABASE_URL names."""

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def bench_database(name: str) -> Iterator[Path]:
    """Set Django up on bench settings over a fresh database and yield the work directory, removed
    afterwards (unless BENCH_DIR names it or BENCH_KEEP=1). Refuses a database that holds tables."""
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix=f"reelvision-bench-{name}."))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work}/db.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", str(work / "media"))
    os.environ.setdefault("BENCH_STATIC_ROOT", str(work / "static"))
    os.environ["BENCH_PRIVATE_CACHE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        for logger in ("django.tasks", "django_tasks"):
            logging.getLogger(logger).setLevel(logging.WARNING)
        from django.conf import settings
        from django.db import connection

        settings.VIDEO_ROOT = work / "videos"
        if connection.introspection.table_names():
            sys.exit("DATABASE_URL must name an EMPTY database: the bench fills it.")
        print(f"database: {connection.vendor}, work directory {work}")
        yield work
    finally:
        if not os.environ.get("BENCH_DIR") and os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
