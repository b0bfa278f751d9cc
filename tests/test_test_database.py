"""The test database's own machinery: emptying it after a transactional test (tests/fast_flush.py)
and putting the migrated rows back before the next (tests/fast_restore.py)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from films.tests.factories import FilmPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def links_of_groups() -> dict[str, list[int]]:
    return {group.name: sorted(group.permissions.values_list("pk", flat=True)) for group in Group.objects.all()}


def test_a_flush_empties_every_table_and_the_restore_brings_back_the_same_rows_and_links():
    migrated = connection._test_serialized_contents
    links = links_of_groups()
    assert links and any(links.values())
    FilmPageFactory(title="지워질 영화")

    # As TransactionTestCase empties it after a test.
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True)
    assert [model for model in apps.get_models() if model._meta.managed and model._base_manager.exists()] == []

    connection.creation.deserialize_db_from_string(migrated)
    assert connection.creation.serialize_db_to_string() == migrated
    assert links_of_groups() == links


def test_restoring_over_the_rows_already_there_changes_nothing():
    migrated = connection._test_serialized_contents
    connection.creation.deserialize_db_from_string(migrated)
    assert connection.creation.serialize_db_to_string() == migrated
