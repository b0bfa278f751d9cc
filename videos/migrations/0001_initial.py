"""The video models, moved here from the films app with their tables, rows and ids unchanged.

Their content types are renamed in place (same ids), so permissions, Wagtail's reference index,
search entries and history keep pointing at them; tasks still waiting in the queue under their
old module path are pointed at the new one.
"""

import django.db.models.deletion
import modelsearch.index
from django.conf import settings
from django.db import migrations, models


MODELS = ("video", "caption", "entitlement", "watchprogress", "dailyview")
# Where each video task lived before the move, and where it lives now.
TASK_PATHS = {
    "films.video.tasks.process_video": "videos.tasks.process_video",
    "films.video.tasks.housekeeping": "videos.housekeeping.housekeeping",
}


def _rename_content_types(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _rename_content_types(apps, "films", "videos")


def move_content_types_back(apps, schema_editor):
    _rename_content_types(apps, "videos", "films")


def _repoint_tasks(apps, paths: dict[str, str]) -> None:
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in paths.items():
        DBTaskResult.objects.filter(status="READY", task_path=old).update(task_path=new)


def move_queued_tasks(apps, schema_editor):
    _repoint_tasks(apps, TASK_PATHS)


def move_queued_tasks_back(apps, schema_editor):
    _repoint_tasks(apps, {new: old for old, new in TASK_PATHS.items()})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('films', '0008_video_models_leave_films'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (made by films.0004 under these names): only the state is created here.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Video',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=255, verbose_name='title')),
                        ('status', models.CharField(choices=[('uploading', 'Uploading'), ('processing', 'Processing'), ('ready', 'Ready'), ('failed', 'Failed')], db_index=True, default='uploading', max_length=12, verbose_name='status')),
                        ('failure_reason', models.TextField(blank=True, verbose_name='failure reason')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('original_filename', models.CharField(blank=True, max_length=255, verbose_name='original file name')),
                        ('original_key', models.CharField(blank=True, help_text='Storage key of the uploaded original.', max_length=500, verbose_name='original file')),
                        ('content_type', models.CharField(blank=True, max_length=100)),
                        ('size', models.BigIntegerField(blank=True, null=True, verbose_name='size (bytes)')),
                        ('sha256', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('upload_id', models.CharField(blank=True, max_length=1024)),
                        ('duration', models.FloatField(blank=True, null=True, verbose_name='duration (seconds)')),
                        ('width', models.PositiveIntegerField(blank=True, null=True, verbose_name='width')),
                        ('height', models.PositiveIntegerField(blank=True, null=True, verbose_name='height')),
                        ('video_codec', models.CharField(blank=True, max_length=32, verbose_name='video codec')),
                        ('audio_codec', models.CharField(blank=True, max_length=32, verbose_name='audio codec')),
                        ('container', models.CharField(blank=True, max_length=100, verbose_name='container')),
                        ('bit_rate', models.BigIntegerField(blank=True, null=True, verbose_name='bit rate')),
                        ('storage_prefix', models.CharField(blank=True, max_length=200)),
                        ('hls_master_key', models.CharField(blank=True, max_length=500)),
                        ('renditions', models.JSONField(blank=True, default=list, verbose_name='renditions')),
                        ('poster_key', models.CharField(blank=True, max_length=500)),
                        ('storyboard_image_key', models.CharField(blank=True, max_length=500)),
                        ('storyboard_vtt_key', models.CharField(blank=True, max_length=500)),
                        ('processing_attempts', models.PositiveSmallIntegerField(default=0)),
                        ('processing_token', models.UUIDField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('ready_at', models.DateTimeField(blank=True, null=True)),
                        ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duplicates', to='videos.video', verbose_name='same file as')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='videos', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                    ],
                    options={
                        'verbose_name': 'video',
                        'verbose_name_plural': 'videos',
                        'db_table': 'films_video',
                        'ordering': ['-created_at'],
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name='Entitlement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(choices=[('purchase', 'Purchase'), ('grant', 'Granted by staff')], default='grant', max_length=16, verbose_name='source')),
                        ('order_reference', models.CharField(blank=True, max_length=64, verbose_name='order')),
                        ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='granted')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('film', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entitlements', to='films.filmbasepage', verbose_name='film')),
                        ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='granted by')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entitlements', to=settings.AUTH_USER_MODEL, verbose_name='member')),
                    ],
                    options={
                        'verbose_name': 'entitlement',
                        'verbose_name_plural': 'entitlements',
                        'db_table': 'films_entitlement',
                        'constraints': [models.UniqueConstraint(fields=('user', 'film'), name='one_entitlement_per_member_film')],
                    },
                ),
                migrations.CreateModel(
                    name='DailyView',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('viewer_key', models.CharField(max_length=64)),
                        ('day', models.DateField()),
                        ('watched_seconds', models.FloatField(default=0)),
                        ('is_trailer', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('film', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='daily_views', to='films.filmbasepage')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('video', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='daily_views', to='videos.video')),
                    ],
                    options={
                        'db_table': 'films_dailyview',
                        'indexes': [models.Index(fields=['film', 'day'], name='films_daily_film_id_81b9df_idx')],
                        'constraints': [models.UniqueConstraint(fields=('video', 'viewer_key', 'day'), name='one_view_per_viewer_video_day')],
                    },
                ),
                migrations.CreateModel(
                    name='Caption',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(help_text='e.g. ko, en, ja', max_length=16, verbose_name='language')),
                        ('label', models.CharField(blank=True, help_text="Shown in the player's caption menu; leave blank for the language's own name", max_length=64, verbose_name='label')),
                        ('vtt_key', models.CharField(max_length=500)),
                        ('source_format', models.CharField(blank=True, max_length=8)),
                        ('source_encoding', models.CharField(blank=True, max_length=32)),
                        ('cue_count', models.PositiveIntegerField(default=0)),
                        ('text', models.TextField(blank=True, help_text='Plain cue text, for search.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('video', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='captions', to='videos.video', verbose_name='video')),
                    ],
                    options={
                        'verbose_name': 'caption track',
                        'verbose_name_plural': 'caption tracks',
                        'db_table': 'films_caption',
                        'ordering': ['language'],
                        'constraints': [models.UniqueConstraint(fields=('video', 'language'), name='one_caption_per_language')],
                    },
                ),
                migrations.CreateModel(
                    name='WatchProgress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.FloatField(default=0)),
                        ('duration', models.FloatField(default=0)),
                        ('watched_seconds', models.FloatField(default=0)),
                        ('completed', models.BooleanField(default=False)),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                        ('film', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='watch_progress', to='films.filmbasepage')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='watch_progress', to=settings.AUTH_USER_MODEL)),
                        ('video', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='watch_progress', to='videos.video')),
                    ],
                    options={
                        'db_table': 'films_watchprogress',
                        'constraints': [models.UniqueConstraint(fields=('user', 'video'), name='one_progress_per_member_video')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
        migrations.RunPython(move_queued_tasks, move_queued_tasks_back, elidable=True),
    ]
