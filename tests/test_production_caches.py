"""Production's caches: rate limits in a store that never evicts them, pages in a bounded one of their own."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.ports import free_port, wait_until_listening

BASE_DIR = Path(__file__).resolve().parent.parent


def run_with_production_settings(tmp_path, script: str, **env):
    """Run `script` (which prints one JSON object) in a fresh process under production settings."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "reelvision.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
        "FIELD_ENCRYPTION_KEYS": "a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **env,
    }
    program = "import django, json\ndjango.setup()\n" + textwrap.dedent(script)
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_rate_limits_survive_more_entries_than_a_cache_would_keep(tmp_path):
    """Production's file store for limits keeps every live entry, well past the 300 where Django's culls."""
    found = run_with_production_settings(
        tmp_path,
        """
        from django.core.cache import cache
        for n in range(400):
            cache.set(f"limit:{n}", n, 300)
        print(json.dumps({"kept": sum(cache.get(f"limit:{n}") == n for n in range(400))}))
        """,
        CACHE_DIR=str(tmp_path / "cache"),
    )
    assert found == {"kept": 400}


def test_without_redis_pages_live_in_a_bounded_store_apart_from_the_limits(tmp_path):
    """Pages fill their own directory, which stays within PAGE_CACHE_MAX_ENTRIES, and leave the limits alone."""
    found = run_with_production_settings(
        tmp_path,
        """
        from django.core.cache import cache, caches
        cache.set("limit:lock", "locked", 300)
        pages = caches["pages"]
        for n in range(200):
            pages.set(f"page:{n}", "<html>" * 100, 600)
        print(json.dumps({"pages_kept": sum(pages.get(f"page:{n}") is not None for n in range(200)),
                          "lock": cache.get("limit:lock")}))
        """,
        CACHE_DIR=str(tmp_path / "cache"),
        PAGE_CACHE_MAX_ENTRIES="50",
    )
    assert found["lock"] == "locked"
    assert 0 < found["pages_kept"] <= 50
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {"limits", "pages"}


def test_with_redis_limits_and_pages_share_the_server_under_separate_prefixes(tmp_path):
    """With REDIS_URL both caches are Redis, each under its own key prefix."""
    found = run_with_production_settings(
        tmp_path,
        """
        from django.conf import settings
        print(json.dumps({alias: [c["BACKEND"], c["KEY_PREFIX"]] for alias, c in settings.CACHES.items()
                          if alias != "renditions"}))
        """,
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    redis = "django.core.cache.backends.redis.RedisCache"
    assert found == {
        "default": [redis, "reelvision"],
        "pages": [redis, "reelvision-pages"],
        "sessions": [redis, "reelvision-sessions"],
    }


@pytest.fixture
def redis_servers(tmp_path):
    """Two Redis servers of the test's own on free loopback ports, nothing kept on disk; their URLs."""
    servers, urls = [], []
    for _role in ("limits", "pages"):
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - Debian's redis-server (bin/test installs it)
            ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
             "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        servers.append(server)
        wait_until_listening(port, server, "redis-server")
        urls.append(f"redis://127.0.0.1:{port}/0")
    yield urls
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_with_redis_pages_url_the_pages_live_in_a_redis_of_their_own(tmp_path, redis_servers):
    """REDIS_PAGES_URL moves the pages (and the fragments kept with them) to another Redis; limits and
    sessions stay on REDIS_URL's, which never evicts. Written through each cache and read back from
    the two servers themselves."""
    import redis

    limits_url, pages_url = redis_servers
    found = run_with_production_settings(
        tmp_path,
        """
        from django.core.cache import cache, caches
        from page_cache.cache import current_generation
        cache.set("limit:lock", "locked", 300)
        caches["pages"].set("page:home", "<html>", 600)
        print(json.dumps({"generation": current_generation()}))
        """,
        REDIS_URL=limits_url,
        REDIS_PAGES_URL=pages_url,
    )
    limits = {key.decode() for key in redis.Redis.from_url(limits_url).keys()}
    pages = {key.decode() for key in redis.Redis.from_url(pages_url).keys()}
    assert any(key.startswith("reelvision:") and key.endswith(":limit:lock") for key in limits)
    assert not any("page" in key for key in limits)
    assert any(key.startswith("reelvision-pages:") and key.endswith(":page:home") for key in pages)
    assert found["generation"] > 0 and len(pages) == 2  # the page and the generation


def test_with_redis_pages_url_alone_the_limits_stay_in_files(tmp_path):
    """Without REDIS_URL the limits keep their file store; REDIS_PAGES_URL still takes the pages."""
    found = run_with_production_settings(
        tmp_path,
        """
        from django.conf import settings
        print(json.dumps({alias: c["BACKEND"].rsplit(".", 1)[1] for alias, c in settings.CACHES.items()}))
        """,
        CACHE_DIR=str(tmp_path / "cache"),
        REDIS_PAGES_URL="redis://127.0.0.1:6379/14",
    )
    assert found == {"default": "NonEvictingFileBasedCache", "pages": "RedisCache", "renditions": "LocMemCache"}


def test_one_setting_sets_the_trusted_proxies_for_allauth_and_for_our_limits(tmp_path):
    """TRUSTED_PROXY_COUNT in the environment reaches both allauth and reelvision.client_ip; 0 by default."""
    script = """
        from allauth import app_settings
        from django.conf import settings
        print(json.dumps([settings.TRUSTED_PROXY_COUNT, app_settings.TRUSTED_PROXY_COUNT]))
        """
    assert run_with_production_settings(tmp_path, script, TRUSTED_PROXY_COUNT="2") == [2, 2]
    assert run_with_production_settings(tmp_path, script) == [0, 0]
