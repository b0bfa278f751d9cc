"""Models that moved between apps changed state, never rows.

Four moves, in the order they were made: the video models from films to videos (films.0008-0009),
the donation tier and the funding total from donations to films (films.0010-0011), and
entitlements, watch progress and daily views from videos to watching (watching.0001,
videos.0002). Each keeps the rows under the same ids, the rows pointing at them, the content
types (renamed in place) and the permissions groups hold through them.

Migrating backwards costs far more than forwards (Django rebuilds the models of every later
migration), so the database goes back once, to before the first move, and then forwards one move
at a time, rows planted before each move and read after it. Rows made with today's models go
back through all four moves and come forward again. The database is then copied from the template
again (`database_restored_afterwards`).
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from donations.models import Order
from films.models import DonationTier, FundingTotal
from films.tests.factories import DonationTierFactory, FilmPageFactory, FundingProjectPageFactory
from members.tests.factories import UserFactory
from videos.tests.factories import ready_video_record

BEFORE_VIDEO_MOVE = [("films", "0007_alter_caption_label_alter_person_name")]
AFTER_VIDEO_MOVE = [("films", "0009_video_models_leave_films_done")]  # after videos.0001, which takes the models
BEFORE_TIER_MOVE = [("donations", "0010_alter_donationtier_title"), ("films", "0009_video_models_leave_films_done")]
AFTER_TIER_MOVE = [("donations", "0011_donation_tier_moves_to_films"), ("films", "0010_donation_tier_joins_films")]
AFTER_FUNDING_TOTAL_MOVE = [
    ("donations", "0012_funding_total_moves_to_films"),
    ("films", "0011_funding_total_joins_films"),
]
BEFORE_WATCHING_MOVE = [("watching", None), *AFTER_FUNDING_TOTAL_MOVE]
AFTER_WATCHING_MOVE = [("videos", "0002_watching_models_leave_videos")]  # after watching.0001


def migrate(targets):
    """Migrate to `targets`; the models as every migration now applied leaves them."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def already_at(targets) -> bool:
    """Whether the database is at `targets` already: nothing to apply or unapply to reach them."""
    return not MigrationExecutor(connection).migration_plan(targets)


def content_type(apps, pk):
    found = apps.get_model("contenttypes", "ContentType").objects.get(pk=pk)
    return found.app_label, found.model


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_moves_back_and_forth_keep_rows_ids_content_types_permissions_and_queued_tasks(
    database_restored_afterwards,
):
    # Today's rows, which go back through every move and come forward again.
    project = FundingProjectPageFactory()
    tier = DonationTierFactory(project=project, amount=5000, title="A coffee")
    order = Order.objects.create(
        member=UserFactory(),
        kind="donation",
        project=project,
        tier=tier,
        provider="sandbox",
        amount=5000,
        client_token="t" * 20,
    )
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 12000, "backers": 3})
    tier_type = ContentType.objects.get_for_model(DonationTier).pk
    total_type = ContentType.objects.get_for_model(FundingTotal).pk
    film, member, watched = FilmPageFactory(price=3000), UserFactory(), ready_video_record()

    # Before the video models left films: the tier and the total are back in donations.
    old = migrate(BEFORE_VIDEO_MOVE)
    assert old.get_model("donations", "DonationTier").objects.get(pk=tier.pk).title == "A coffee"
    assert old.get_model("donations", "Order").objects.get(pk=order.pk).tier_id == tier.pk
    assert content_type(old, tier_type) == ("donations", "donationtier")
    row = old.get_model("donations", "FundingTotal").objects.get(project_id=project.pk)
    assert (row.amount, row.backers) == (12000, 3)
    assert content_type(old, total_type) == ("donations", "fundingtotal")
    assert old.get_model("films", "Video").objects.filter(pk=watched.pk).exists()

    # Move 1: the video models, films → videos. A video, its caption, a permission a group holds on
    # videos and a queued video task, all made with the models of before.
    OldVideo, OldCaption = old.get_model("films", "Video"), old.get_model("films", "Caption")
    video = OldVideo.objects.create(title="Before the move", status="ready", duration=12.5)
    caption = OldCaption.objects.create(video=video, language="ko", vtt_key="videos/1/captions/ko.vtt")
    video_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(app_label="films", model="video")
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=video_type, codename="add_video", defaults={"name": "Can add video"}
    )
    uploaders = old.get_model("auth", "Group").objects.create(name="Uploaders before the move")
    uploaders.permissions.add(permission)
    queued = old.get_model("django_tasks_database", "DBTaskResult").objects.create(
        status="READY",
        args_kwargs={"args": [video.pk], "kwargs": {}},
        task_path="films.video.tasks.process_video",
        queue_name="transcode",
        backend_name="db",
        run_after=timezone.now() + datetime.timedelta(minutes=5),
        exception_class_path="",
        traceback="",
    )

    new = migrate(AFTER_VIDEO_MOVE)
    assert new.get_model("videos", "Video").objects.get(pk=video.pk).title == "Before the move"
    assert new.get_model("videos", "Caption").objects.get(pk=caption.pk).video_id == video.pk
    assert content_type(new, video_type.pk) == ("videos", "video")
    NewContentType = new.get_model("contenttypes", "ContentType")
    assert NewContentType.objects.get_for_model(new.get_model("videos", "Video")).pk == video_type.pk
    held = new.get_model("auth", "Group").objects.get(pk=uploaders.pk).permissions
    assert held.filter(content_type_id=video_type.pk, codename="add_video").exists()
    task = new.get_model("django_tasks_database", "DBTaskResult").objects.get(pk=queued.pk)
    assert task.task_path == "videos.tasks.process_video"

    # Move 2: the donation tier, donations → films; the order still points at it.
    # Where the video move left the database is where the tier move starts: no migrating (each call
    # rebuilds every model's state), the same models.
    assert already_at(BEFORE_TIER_MOVE)
    old = new
    assert old.get_model("donations", "DonationTier").objects.get(pk=tier.pk).title == "A coffee"
    assert content_type(old, tier_type) == ("donations", "donationtier")
    new = migrate(AFTER_TIER_MOVE)
    assert new.get_model("films", "DonationTier").objects.get(pk=tier.pk).project_id == project.pk
    assert new.get_model("donations", "Order").objects.get(pk=order.pk).tier_id == tier.pk
    assert content_type(new, tier_type) == ("films", "donationtier")

    # Move 3: the funding total, donations → films.
    row = new.get_model("donations", "FundingTotal").objects.get(project_id=project.pk)
    assert (row.amount, row.backers) == (12000, 3)
    new = migrate(AFTER_FUNDING_TOTAL_MOVE)
    row = new.get_model("films", "FundingTotal").objects.get(project_id=project.pk)
    assert (row.amount, row.backers) == (12000, 3)
    assert content_type(new, total_type) == ("films", "fundingtotal")

    # Move 4: entitlements, watch progress and daily views, videos → watching, with a permission a
    # group holds on entitlements.
    assert already_at(BEFORE_WATCHING_MOVE)  # where the funding total move left it
    old = new
    entitlement = old.get_model("videos", "Entitlement").objects.create(
        user_id=member.pk, film_id=film.pk, source="grant", note="before"
    )
    progress = old.get_model("videos", "WatchProgress").objects.create(
        user_id=member.pk, video_id=watched.pk, film_id=film.pk, position=42, duration=100
    )
    view = old.get_model("videos", "DailyView").objects.create(
        video_id=watched.pk, film_id=film.pk, viewer_key=f"u{member.pk}", day=datetime.date(2026, 12, 1)
    )
    entitlement_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="videos", model="entitlement"
    )
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=entitlement_type, codename="add_entitlement", defaults={"name": "Can add entitlement"}
    )
    granters = old.get_model("auth", "Group").objects.create(name="Granters before the move")
    granters.permissions.add(permission)

    new = migrate(AFTER_WATCHING_MOVE)
    assert new.get_model("watching", "Entitlement").objects.get(pk=entitlement.pk).note == "before"
    assert new.get_model("watching", "WatchProgress").objects.get(pk=progress.pk).position == 42
    assert new.get_model("watching", "DailyView").objects.get(pk=view.pk).viewer_key == f"u{member.pk}"
    assert content_type(new, entitlement_type.pk) == ("watching", "entitlement")
    held = new.get_model("auth", "Group").objects.get(pk=granters.pk).permissions.get()
    assert (held.content_type.app_label, held.codename) == ("watching", "add_entitlement")
