"""Moving entitlements, watch progress and daily views from the videos app to this one changes
state, never rows: back to before the move and forward through it again (not every later
migration), the same rows under the same ids, the same content types (renamed in place), the
permission still held. The database is then copied from the template again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from films.tests.factories import FilmPageFactory
from members.tests.factories import UserFactory
from videos.tests.factories import ready_video_record

# Unapplying the watching app takes videos.0002 (which depends on it) back with it.
BEFORE = [("watching", None), ("films", "0011_funding_total_joins_films")]
AFTER = [("videos", "0002_watching_models_leave_videos")]  # after watching.0001, which takes the models


def migrate(targets):
    """Migrate to `targets`; the models as every migration now applied leaves them."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_keeps_rows_ids_content_types_and_permissions(database_restored_afterwards):
    film, member, video = FilmPageFactory(price=3000), UserFactory(), ready_video_record()
    old = migrate(BEFORE)
    Entitlement = old.get_model("videos", "Entitlement")
    entitlement = Entitlement.objects.create(user_id=member.pk, film_id=film.pk, source="grant", note="before")
    progress = old.get_model("videos", "WatchProgress").objects.create(
        user_id=member.pk, video_id=video.pk, film_id=film.pk, position=42, duration=100
    )
    view = old.get_model("videos", "DailyView").objects.create(
        video_id=video.pk, film_id=film.pk, viewer_key=f"u{member.pk}", day=datetime.date(2026, 12, 1)
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    entitlement_type, _ = ContentType.objects.get_or_create(app_label="videos", model="entitlement")
    Permission = old.get_model("auth", "Permission")
    permission, _ = Permission.objects.get_or_create(
        content_type=entitlement_type, codename="add_entitlement", defaults={"name": "Can add entitlement"}
    )
    group = old.get_model("auth", "Group").objects.create(name="Granters before the move")
    group.permissions.add(permission)

    new = migrate(AFTER)

    assert new.get_model("watching", "Entitlement").objects.get(pk=entitlement.pk).note == "before"
    assert new.get_model("watching", "WatchProgress").objects.get(pk=progress.pk).position == 42
    assert new.get_model("watching", "DailyView").objects.get(pk=view.pk).viewer_key == f"u{member.pk}"
    new_type = new.get_model("contenttypes", "ContentType").objects.get(app_label="watching", model="entitlement")
    assert new_type.pk == entitlement_type.pk
    held = new.get_model("auth", "Group").objects.get(name="Granters before the move").permissions.get()
    assert (held.content_type.app_label, held.codename) == ("watching", "add_entitlement")
