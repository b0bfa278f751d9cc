"""Test databases copied from a template migrated once, instead of migrated in every test process.

Running every migration takes about half a minute of CPU, and each pytest-xdist worker needs its
own test database. So the first worker migrates a template, and every worker (later runs too)
copies it:

- PostgreSQL: the template is the database `test_<NAME>_template` on the same server, and each
  worker's database is `CREATE DATABASE ... TEMPLATE` of it. Its comment holds the key it was
  built for. A PostgreSQL advisory lock makes the workers (and other runs against the same server)
  build it one at a time and never copy it while it is being rebuilt.
- SQLite: the template is a file, `template-<key>.sqlite3` in a folder of the system's temporary
  directory kept for this checkout (`template_folder()`), migrated by a fresh Python process; each
  worker copies it into its in-memory test database with SQLite's backup API. A file lock does what
  the advisory lock does. Templates unused for a day are deleted when another is built.

The key is a hash of everything a fresh migrate's result depends on: the migration files of every
installed app, the project's own code outside its tests (post_migrate handlers such as the roles
run it), the installed packages and their versions, and the database settings. A template whose
key differs is rebuilt, never copied. After the copy pytest-django goes on as usual: the contents
are serialized for `serialized_rollback` tests, and the workers' databases are dropped at the end.
The templates stay, to be reused by the next run with the same key.

A test that migrates its database part-way can put it back with `restore_test_db_from_template()`.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import ENVIRONMENT_VARIABLE, settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

# What the SQLite template's subprocess runs: migrate as Django's test database creation does (with
# syncdb for apps without migrations, then the cache table), and leave a self-contained file.
BUILD_SQLITE_TEMPLATE = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
call_command("createcachetable")
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode=DELETE")
connection.close()
"""


@contextlib.contextmanager
def test_databases_from_templates() -> Iterator[None]:
    """While open, Django's test database creation copies the template instead of migrating.

    For the connections with migrations on whose test database can be copied: every PostgreSQL one
    (each alias has its own template), and a SQLite default (its template is migrated by a process
    of its own, where DATABASE_URL is the default). Asked to keep the database (pytest's --reuse-db),
    Django keeps and migrates an existing one as usual.
    """
    with pytest.MonkeyPatch.context() as patch:
        for connection in connections.all(initialized_only=False):
            copyable = connection.vendor == "postgresql" or (
                connection.vendor == "sqlite" and connection.alias == DEFAULT_DB_ALIAS
            )
            if copyable and connection.settings_dict["TEST"]["MIGRATE"]:
                patch.setattr(connection.creation, "create_test_db", _creation_from_template(connection))
        yield


def _creation_from_template(connection: BaseDatabaseWrapper):
    django_create_test_db = connection.creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, keepdb=False):
        if connection.vendor == "postgresql":
            _postgresql_templates.setdefault(connection.alias, f"test_{connection.settings_dict['NAME']}_template")
        if keepdb:
            return django_create_test_db(verbosity=verbosity, autoclobber=autoclobber, keepdb=True)
        return create_test_db_from_template(connection, verbosity)

    return create_test_db


def create_test_db_from_template(connection: BaseDatabaseWrapper, verbosity: int = 1) -> str:
    """Create `connection`'s test database as a copy of the template (built first when missing or stale).

    Does what Django's `creation.create_test_db()` does, and leaves the connection as it would:
    pointing at the test database, connected. Returns the test database's name.
    """
    test_database_name = connection.creation._get_test_db_name()
    if verbosity >= 1:
        connection.creation.log(f"Copying the test database for alias '{connection.alias}' from its template...")
    if connection.vendor == "postgresql":
        _copy_postgresql_template(connection, test_database_name, verbosity)
    else:
        connection.creation._create_test_db(verbosity, autoclobber=True)  # removes an old test database file
        _point_at(connection, test_database_name)
        _copy_sqlite_template(connection)
    # As Django's own creation does after migrating.
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
    return test_database_name


def restore_test_db_from_template(connection: BaseDatabaseWrapper) -> None:
    """Put `connection`'s test database back to the template, schema and rows (for a test that migrates).

    The connection must not be in a transaction; Django reconnects on the next query.
    """
    if connection.vendor == "postgresql":
        if connection.alias not in _postgresql_templates:
            raise RuntimeError(
                "Only a test database made while test_databases_from_templates() was open can be restored"
            )
        _copy_postgresql_template(connection, connection.settings_dict["NAME"], verbosity=0)
    else:
        _copy_sqlite_template(connection)


# --- the key ---------------------------------------------------------------------------------------


@functools.cache
def template_key(vendor: str) -> str:
    """A hash of what a freshly migrated `vendor` database depends on (see the module docstring).

    Computed once per process, when the code it runs has just been imported: a process that restores
    its database later asks for the template of that code even if the files changed since.
    """
    digest = hashlib.sha256()
    digest.update(repr((vendor, sqlite3.sqlite_version, _settings_module())).encode())
    digest.update(repr(list(settings.INSTALLED_APPS)).encode())
    if vendor == "postgresql":
        for alias, database in settings.DATABASES.items():
            test = database.get("TEST", {})
            digest.update(repr((alias, database["ENGINE"], test.get("CHARSET"), test.get("TEMPLATE"))).encode())
    for distribution in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(distribution.encode())
    for path in _source_files():
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _source_files() -> list[Path]:
    """The migration files of every installed app, the project's Python outside its tests, and this file.

    The project's code is the installed apps inside the project folder and the settings' package.
    """
    base = Path(settings.BASE_DIR).resolve()
    folders: set[Path] = set()
    for app_config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(app_config.label)
        spec = importlib.util.find_spec(module_name) if module_name else None
        if spec is not None and spec.submodule_search_locations:
            folders.update(Path(location) for location in spec.submodule_search_locations)
        if _is_project_code(Path(app_config.path), base):
            folders.add(Path(app_config.path))
    settings_package = importlib.util.find_spec(_settings_module().partition(".")[0])
    folders.update(Path(location) for location in settings_package.submodule_search_locations or ())
    files = {
        path.resolve()
        for folder in folders
        for path in folder.rglob("*.py")
        if "tests" not in path.relative_to(folder).parts and path.name != "conftest.py"
    }
    files.add(Path(__file__).resolve())  # how templates are built
    return sorted(files)


def _is_project_code(path: Path, base: Path) -> bool:
    """Inside the project folder and not an installed package (a virtualenv may sit in the project folder)."""
    path = path.resolve()
    return path.is_relative_to(base) and not {"site-packages", "dist-packages"} & set(path.parts)


def _settings_module() -> str:
    """The settings module Django was set up with (`settings.SETTINGS_MODULE` is None under override_settings)."""
    return os.environ[ENVIRONMENT_VARIABLE]


def _point_at(connection: BaseDatabaseWrapper, database_name: str) -> None:
    """Make `connection` (and the settings it came from) use `database_name`, as Django's creation does."""
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = database_name
    connection.settings_dict["NAME"] = database_name


# --- PostgreSQL ------------------------------------------------------------------------------------

# Alias -> its template's name, remembered when the test database is made (NAME is the test
# database's from then on).
_postgresql_templates: dict[str, str] = {}


def _copy_postgresql_template(connection: BaseDatabaseWrapper, test_database_name: str, verbosity: int) -> None:
    """Drop and create `test_database_name` as a copy of the current template (built first if need be)."""
    template_name = _postgresql_templates.setdefault(
        connection.alias, f"test_{connection.settings_dict['NAME']}_template"
    )
    comment = f"ReelVision test database template {template_key('postgresql')}"
    quote = connection.ops.quote_name
    connection.close()
    connection.close_pool()
    with connection.creation._nodb_cursor() as cursor:
        # Held until this cursor's connection closes: one builder or copier at a time on this server.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template_name])
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template_name]
        )
        row = cursor.fetchone()
        if row is None or row[0] != comment:
            _build_postgresql_template(connection, template_name, verbosity)
            # The comment is written last: a template left half-built by a crash is never taken as current.
            cursor.execute(f"COMMENT ON DATABASE {quote(template_name)} IS '{comment}'")
        # FORCE ends any other session still open on this worker's test database. Only this worker's
        # own tests ever connect to it, but earlier ones can leave a session behind (a thread's
        # connection not yet closed, the backend of a task worker a test killed): without FORCE a
        # restore (`database_restored_afterwards`) failed on one in a full run and left the database
        # half-migrated for the tests after it. Connections Django keeps are checked before reuse
        # (conn_health_checks) and reopened.
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_database_name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(test_database_name)} TEMPLATE {quote(template_name)}")
    _point_at(connection, test_database_name)


def _build_postgresql_template(connection: BaseDatabaseWrapper, template_name: str, verbosity: int) -> None:
    """Migrate a new `template_name` with Django's own test database creation, then disconnect from it."""
    test_settings = connection.settings_dict["TEST"]
    saved_name, saved_test_name = connection.settings_dict["NAME"], test_settings["NAME"]
    test_settings["NAME"] = template_name
    try:
        # The class's method: the instance's may be replaced by create_test_db_from_template.
        type(connection.creation).create_test_db(connection.creation, verbosity=verbosity, autoclobber=True)
    finally:
        connection.close()
        connection.close_pool()  # nobody may be connected to a template while it is copied
        test_settings["NAME"] = saved_test_name
        _point_at(connection, saved_name)


# --- SQLite ----------------------------------------------------------------------------------------


# A SQLite template nobody has used for this long is removed when another is built. Not at once:
# runs of other versions of the code in the same checkout (another branch, a colleague's edits) may
# still be using theirs.
STALE_AFTER_SECONDS = 24 * 3600


def template_folder() -> Path:
    """Where this checkout keeps its SQLite templates: a folder of the temporary directory named after it."""
    checkout = hashlib.sha256(str(Path(settings.BASE_DIR).resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "reelvision-test-databases" / checkout


@contextlib.contextmanager
def sqlite_template() -> Iterator[Path]:
    """The current SQLite template file (built when missing), held under the folder's lock while in use."""
    folder = template_folder()
    folder.mkdir(parents=True, exist_ok=True)
    key = template_key("sqlite")
    template = folder / f"template-{key}.sqlite3"
    with open(folder / "template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not template.exists():
            _build_sqlite_template(template)
            for other in folder.glob("template-*.sqlite3"):
                if time.time() - other.stat().st_mtime > STALE_AFTER_SECONDS:
                    other.unlink()
        os.utime(template)  # in use: not stale
        yield template


def _build_sqlite_template(template: Path) -> None:
    """Migrate a new file under the current settings in a fresh process, then move it into place whole."""
    building = template.with_name(f"building-{os.getpid()}.sqlite3")
    building.unlink(missing_ok=True)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": _settings_module(),
        "DATABASE_URL": f"sqlite:///{building}",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", BUILD_SQLITE_TEMPLATE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        building.unlink(missing_ok=True)
        raise RuntimeError(f"Migrating the SQLite test database template failed:\n{result.stdout}{result.stderr}")
    building.replace(template)


def _copy_sqlite_template(connection: BaseDatabaseWrapper) -> None:
    """Overwrite the database `connection` is connected to with the template, page by page."""
    connection.ensure_connection()
    with (
        sqlite_template() as template,
        contextlib.closing(sqlite3.connect(f"{template.as_uri()}?mode=ro", uri=True)) as source,
    ):
        source.backup(connection.connection)
