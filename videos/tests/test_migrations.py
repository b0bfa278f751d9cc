"""Moving the video models from the films app to this one changes state, never rows.

The database is taken back to before the move (films.0007), given a video, a caption, a permission
on videos and a queued video task, and migrated forward through the move (films.0009 and what it
depends on, not every later migration): the same rows under the same ids, the same content type
(renamed in place), the permission still held, the task pointed at its new module. The database is
then copied from the template again.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("films", "0007_alter_caption_label_alter_person_name")]
AFTER = [("films", "0009_video_models_leave_films_done")]  # after videos.0001, which takes the models


def migrate(targets):
    """Migrate to `targets`; the models as every migration now applied leaves them."""
    MigrationExecutor(connection).migrate(targets)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_keeps_rows_ids_content_types_permissions_and_queued_tasks(database_restored_afterwards):
    old = migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    OldVideo, OldCaption = old.get_model("films", "Video"), old.get_model("films", "Caption")
    video = OldVideo.objects.create(title="Before the move", status="ready", duration=12.5)
    caption = OldCaption.objects.create(video=video, language="ko", vtt_key="videos/1/captions/ko.vtt")
    video_type, _ = ContentType.objects.get_or_create(app_label="films", model="video")
    permission, _ = Permission.objects.get_or_create(
        content_type=video_type, codename="add_video", defaults={"name": "Can add video"}
    )
    group = Group.objects.create(name="Uploaders before the move")
    group.permissions.add(permission)
    Task = old.get_model("django_tasks_database", "DBTaskResult")
    queued = Task.objects.create(
        status="READY",
        args_kwargs={"args": [video.pk], "kwargs": {}},
        task_path="films.video.tasks.process_video",
        queue_name="transcode",
        backend_name="db",
        run_after=timezone.now() + datetime.timedelta(minutes=5),
        exception_class_path="",
        traceback="",
    )

    new = migrate(AFTER)
    NewContentType = new.get_model("contenttypes", "ContentType")

    assert new.get_model("videos", "Video").objects.get(pk=video.pk).title == "Before the move"
    assert new.get_model("videos", "Caption").objects.get(pk=caption.pk).video_id == video.pk
    moved = NewContentType.objects.get(pk=video_type.pk)
    assert (moved.app_label, moved.model) == ("videos", "video")
    assert NewContentType.objects.get_for_model(new.get_model("videos", "Video")).pk == video_type.pk
    new_group = new.get_model("auth", "Group").objects.get(pk=group.pk)
    assert new_group.permissions.filter(content_type=moved, codename="add_video").exists()
    task = new.get_model("django_tasks_database", "DBTaskResult").objects.get(pk=queued.pk)
    assert task.task_path == "videos.tasks.process_video"
