"""Entitlements, watch progress and daily views have moved to the watching app (watching.0001): they
leave this app's state. Nothing changes in the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('videos', '0001_initial'),
        ('watching', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name='dailyview',
                    name='films_daily_film_id_81b9df_idx',
                ),
                migrations.RemoveConstraint(
                    model_name='dailyview',
                    name='one_view_per_viewer_video_day',
                ),
                migrations.RemoveConstraint(
                    model_name='entitlement',
                    name='one_entitlement_per_member_film',
                ),
                migrations.RemoveConstraint(
                    model_name='watchprogress',
                    name='one_progress_per_member_video',
                ),
                migrations.RemoveField(
                    model_name='entitlement',
                    name='film',
                ),
                migrations.RemoveField(
                    model_name='entitlement',
                    name='granted_by',
                ),
                migrations.RemoveField(
                    model_name='entitlement',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='watchprogress',
                    name='film',
                ),
                migrations.RemoveField(
                    model_name='watchprogress',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='watchprogress',
                    name='video',
                ),
                migrations.DeleteModel(
                    name='DailyView',
                ),
                migrations.DeleteModel(
                    name='Entitlement',
                ),
                migrations.DeleteModel(
                    name='WatchProgress',
                ),
            ],
            database_operations=[],
        ),
    ]
