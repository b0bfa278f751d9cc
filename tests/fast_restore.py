"""Putting the migrated rows back before a transactional test, one insert per table.

Before each `serialized_rollback` test (every browser journey), Django reloads the rows the
migrations made (content types, permissions, roles, the site tree, genres: about 650) from the copy
it serialized when the test database was made, saving them one by one: an UPDATE that finds nothing
and then an INSERT per row, about 0.4 s a test. `deserialize_db_from_string` here reads the same
copy and writes each model's rows with one `bulk_create`, and each many-to-many field's links with
one more. Rows of multi-table inherited models (pages), which `bulk_create` cannot write, are saved
Django's way. As in Django's own, foreign keys are checked once at the end (a row may name one
restored after it), and everything happens in one transaction.

It differs from Django's where the migrated rows never reach: no signals are sent (Django sends
them with `raw=True`), and a field that sets itself on insert (`auto_now`) would take the time of
the restore. `tests/test_test_database.py` compares the restored database with the copy, so a
migration that ever adds such rows fails there first. A row already there under the same id (the
first such test after the database was copied from its template holds them all) is overwritten;
a link already there is kept (the database is then the template's copy, with the same links).
"""

from __future__ import annotations

from collections import defaultdict
from io import StringIO

from django.core import serializers
from django.db import transaction


def deserialize_db_from_string(self, data):
    alias = self.connection.alias
    rows = defaultdict(list)  # model -> instances
    links = defaultdict(list)  # auto-created through model -> instances
    table_names = set()
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
            instance = deserialized.object
            model = type(instance)
            table_names.add(model._meta.db_table)
            if model._meta.parents:
                deserialized.save()
                continue
            rows[model].append(instance)
            for name, targets in (deserialized.m2m_data or {}).items():
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
                links[through].extend(through(**{source: instance.pk, target: pk}) for pk in targets)
                table_names.add(through._meta.db_table)
        for model, instances in rows.items():
            _upsert(model._base_manager.using(alias), instances)
        for through, instances in links.items():  # a link already there is the same link
            through._base_manager.using(alias).bulk_create(instances, ignore_conflicts=True)
        self.connection.check_constraints(table_names=table_names)


def _upsert(queryset, instances) -> None:
    """Insert `instances`, or overwrite the rows already under their ids (a database just copied from
    its template still holds them), as Django's row-by-row save does."""
    meta = queryset.model._meta
    fields = [field.name for field in meta.concrete_fields if not field.primary_key]
    if fields:
        queryset.bulk_create(instances, update_conflicts=True, unique_fields=[meta.pk.name], update_fields=fields)
    else:
        queryset.bulk_create(instances, ignore_conflicts=True)
