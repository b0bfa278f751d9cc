"""Project-wide pytest fixtures."""

import contextlib
import socket
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from tests.database_template import restore_test_db_from_template, test_databases_from_templates


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """Test databases are copies of a template migrated once (tests/database_template.py), not migrated
    in every worker. Runs just before pytest-django creates them; --no-migrations keeps Django's way."""
    if request.config.getvalue("nomigrations"):
        yield
        return
    with test_databases_from_templates():
        yield


@pytest.fixture(scope="session", autouse=True)
def _flush_only_filled_tables():
    """After a transactional test, PostgreSQL deletes from the tables that hold rows instead of
    truncating them all (tests/fast_flush.py)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from tests.fast_flush import sql_flush

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _restore_migrated_rows_in_bulk():
    """Before a transactional test, the migrated rows go back one insert per table, not one per row
    (tests/fast_restore.py)."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    from tests.fast_restore import deserialize_db_from_string

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseCreation, "deserialize_db_from_string", deserialize_db_from_string)
        yield


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction open around a whole test module and rolled back after its last test.

    What a module-scoped fixture makes inside it is made once and seen by each of the module's
    tests, and each test runs in a savepoint of it (pytest-django's `db`), so whatever a test changes
    is undone before the next: Django's `TestCase.setUpTestData`, for pytest
    (`tests.module_data.made_once_per_module`). Not for a module with transactional tests (they
    empty the database)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def database_restored_afterwards(transactional_db):
    """For a test that migrates the test database and leaves it part-way: afterwards the database is
    copied from the template again, schema and rows, before pytest-django empties it for the next test."""
    yield
    from django.db import connection

    restore_test_db_from_template(connection)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request through LocaleMiddleware leaves
    its language active in the thread, which would otherwise carry over to the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches (rate limits in the default one, pages in their own)."""
    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _wagtail_indexes(request, settings):
    """Wagtail's search index and reference index are kept up to date only in tests marked
    `wagtail_indexes` (those that search, or that ask which pages use an image or a document).
    Writing both on every saved page, image and video was about half of an ordinary test's time,
    spent for nothing where the test never reads them. Data made once per module
    (`module_transaction`) is made before this applies, with both indexes kept."""
    if request.node.get_closest_marker("wagtail_indexes"):
        yield
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update

    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**backend, "AUTO_UPDATE": False} for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with disable_reference_index_auto_update(), _search_index_signals_disconnected():
        yield


@contextlib.contextmanager
def _search_index_signals_disconnected():
    """Without the search index's save and delete handlers. With every backend's AUTO_UPDATE off they
    would still run a task per saved object that loads it again (two or three queries) only to find
    no backend to write to: about a tenth of a test that makes pages."""
    from django.db.models.signals import post_delete, post_save
    from modelsearch import index, signal_handlers

    models = [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model)
        post_delete.disconnect(signal_handlers.post_delete_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(signal_handlers.post_save_signal_handler, sender=model)
            post_delete.connect(signal_handlers.post_delete_signal_handler, sender=model)


@pytest.fixture(autouse=True)
def _own_video_root(settings, tmp_path):
    """Each test keeps video files in a folder of its own (ids repeat between tests and runs)."""
    settings.VIDEO_ROOT = tmp_path / "video-files"


@pytest.fixture(scope="session")
def openapi():
    """The OpenAPI schema as served at /api/schema/, fetched once (generating it touches no data, and
    the database stays blocked: a query here would fail rather than reach a real database).

    Check responses against it with `films.tests.openapi.assert_matches_schema`.
    """
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


# --- S3: moto's server over real HTTP ---------------------------------------------------------


@pytest.fixture(scope="session")
def moto_server():
    """An S3-compatible endpoint on loopback (moto's server mode), shared by the session."""
    from moto.server import ThreadedMotoServer  # heavy: loaded only when a test asks for S3

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(moto_server, settings):
    """Point the media and video storages at a fresh bucket on the moto server; yields the boto3 client.

    The bucket is private with the CORS rules a browser upload needs (PUT + ETag exposed), as in
    production.
    """
    import boto3  # heavy: loaded only when a test asks for S3

    bucket = f"test-{uuid.uuid4().hex[:12]}"
    options = {
        "bucket_name": bucket,
        "endpoint_url": moto_server,
        "region_name": "us-east-1",
        "access_key": "testing",
        "secret_key": "testing",
        "signature_version": "s3v4",
        "addressing_style": "path",
        "querystring_auth": True,
        "querystring_expire": 3600,
        "file_overwrite": False,
        "default_acl": None,
    }
    client = boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto accepts any key
    )
    client.create_bucket(Bucket=bucket)
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": ["*"],
                    "AllowedMethods": ["GET", "PUT", "POST", "DELETE", "HEAD"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                }
            ]
        },
    )
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    settings.STORAGES = {**settings.STORAGES, "default": s3, "videos": s3}
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    yield client
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=obj["Key"])
    for upload in client.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        client.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
    client.delete_bucket(Bucket=bucket)


@pytest.fixture
def english(client):
    """English messages: for code (gettext outside a request) and for the test client (Accept-Language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
