"""The watching app's models arrive from the videos app (which had them from films). Only the state
changes: the tables keep their names (`films_entitlement`, `films_watchprogress`,
`films_dailyview`), rows and ids; the content types are renamed in place, so permissions, history
and references keep pointing at them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("entitlement", "watchprogress", "dailyview")


def _rename(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _rename(apps, "videos", "watching")


def move_content_types_back(apps, schema_editor):
    _rename(apps, "watching", "videos")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('films', '0011_funding_total_joins_films'),
        ('videos', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
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
    ]
