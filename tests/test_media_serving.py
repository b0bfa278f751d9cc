"""Media URLs: posters answer with the production settings, video files never come from /media/.

The settings tests run `manage.py shell` in a fresh process: settings (and the URLs built from
DEBUG) are read once per process. That process's database is a copy of the migrated test database
template (tests/database_template.py), so it does not migrate. The rest runs in the test process.
"""

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model

from films.tests.factories import FilmPageFactory, ImageFactory
from tests.database_template import sqlite_template
from videos import storage

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def migrated_database(tmp_path) -> Path:
    """`tmp_path/db.sqlite3`, a migrated SQLite database for `run_shell` (the API and a 404, which consults
    Wagtail's redirects, need the tables)."""
    database = tmp_path / "db.sqlite3"
    with sqlite_template() as template:
        shutil.copyfile(template, database)
    return database


def run_shell(settings_module: str, database: Path, script: str, **extra_env) -> dict:
    """Run ``script`` with ``manage.py shell`` under ``settings_module`` on the SQLite file ``database`` (files
    go beside it); returns the JSON it prints last."""
    tmp_path = database.parent
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "VIDEO_ROOT": str(tmp_path / "video-files"),
        "CACHE_DIR": str(tmp_path / "cache"),
        **extra_env,
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PRODUCTION_POSTER = """
import json
from urllib.parse import urlsplit
from django.test import Client
from films.tests.factories import FilmPageFactory, ImageFactory
film = FilmPageFactory(poster=ImageFactory())
client = Client(HTTP_HOST="example.org")
api = client.get(f"/api/v2/pages/{film.pk}/", secure=True)
poster = urlsplit(api.json()["poster"]["url"]).path
answer = client.get(poster, secure=True)
print(json.dumps({"api": api.status_code, "poster": answer.status_code, "type": answer["Content-Type"]}))
"""


def test_with_production_settings_a_films_poster_answers_200(migrated_database):
    """Production settings, local media: the poster URL the API gives for a film is served (no S3, no DEBUG).

    (The API rather than the page's HTML: the page needs collected static files, which this
    throwaway process has none of.)
    """
    answers = run_shell(
        "reelvision.settings.production",
        migrated_database,
        PRODUCTION_POSTER,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        FIELD_ENCRYPTION_KEYS="a2V5LWZvci10ZXN0cy1vbmx5LTMyLWJ5dGVzLWxvbmc=",
        EMAIL_HOST="smtp.example.org",
    )
    assert answers == {"api": 200, "poster": 200, "type": "image/webp"}


DEV_VIDEO_FILES = """
import json, tempfile
from pathlib import Path
from django.conf import settings
from django.test import Client
from videos import storage
source = Path(tempfile.mkdtemp()) / "file"
source.write_bytes(b"video bytes")
keys = ["videos/7/original.mp4", "videos/7/hls/master.m3u8", "videos/7/hls/720p/index.m3u8",
        "videos/7/hls/720p/seg_00000.ts", "videos/7/poster.jpg", "uploads/8/00001.part"]
for key in keys:
    storage.put_file(source, key)
client = Client()
print(json.dumps({
    "debug": settings.DEBUG,
    "answers": {key: client.get(settings.MEDIA_URL + key).status_code for key in keys},
    "under_media_root": sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()),
}))
"""


def test_with_dev_settings_video_originals_and_hls_are_not_under_media(migrated_database):
    """Development settings: a paid film's original, HLS tree, poster and upload parts are 404 under /media/."""
    answers = run_shell("reelvision.settings.dev", migrated_database, DEV_VIDEO_FILES)
    assert answers["debug"] is True
    assert set(answers["answers"].values()) == {404}, answers["answers"]
    assert answers["under_media_root"] == []


# --- the media view, in this process ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.wagtail_indexes  # a poster is public once a live page uses it: the reference index
def test_a_poster_is_cached_publicly_and_revalidated_with_if_modified_since(client):
    """A public rendition carries Last-Modified and a public max-age; asking again with it gets 304."""
    film = FilmPageFactory(poster=ImageFactory())
    url = film.poster.get_rendition("fill-600x900").url
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=3600"
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_documents_are_never_served_from_media(client):
    """A document's file under MEDIA_ROOT is not a media URL: only Wagtail's document view serves it."""
    document = get_document_model().objects.create(title="보도자료", file=ContentFile(b"%PDF-1.4", name="press.pdf"))
    assert client.get(document.file.url).status_code == 404


@pytest.mark.django_db
def test_move_video_files_takes_old_files_out_of_media_root(settings, tmp_path):
    """`manage.py move_video_files` moves videos/ and uploads/ from MEDIA_ROOT to the same keys under VIDEO_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    old = settings.MEDIA_ROOT / "videos" / "3" / "hls" / "master.m3u8"
    old.parent.mkdir(parents=True)
    old.write_text("#EXTM3U\n")
    (settings.MEDIA_ROOT / "uploads" / "4").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "4" / "00001.part").write_bytes(b"part")
    assert [warning.id for warning in _video_checks()] == ["films.W001", "films.W001"]

    out = io.StringIO()
    call_command("move_video_files", stdout=out)
    assert out.getvalue().startswith("Moved 2 files")

    assert storage.read_text("videos/3/hls/master.m3u8") == "#EXTM3U\n"
    assert storage.local_path("uploads/4/00001.part").read_bytes() == b"part"
    assert not (settings.MEDIA_ROOT / "videos").exists() and not (settings.MEDIA_ROOT / "uploads").exists()
    assert _video_checks() == []


def _video_checks():
    from films.checks import video_files_outside_media

    return video_files_outside_media(None)
