"""The video models move to the videos app (part 2): the film pages' video fields point at
videos.Video and the old models leave the films app's state. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('films', '0008_video_models_leave_films'),
        ('videos', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='filmbasepage',
                    name='main_video',
                    field=models.ForeignKey(blank=True, help_text='The whole film. Upload it under Videos first, then choose it here.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='videos.video', verbose_name='film'),
                ),
                migrations.AlterField(
                    model_name='filmbasepage',
                    name='trailer',
                    field=models.ForeignKey(blank=True, help_text='Everyone can watch the trailer, also when the film itself is paid.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='videos.video', verbose_name='trailer'),
                ),
                migrations.RemoveConstraint(
                    model_name='watchprogress',
                    name='one_progress_per_member_video',
                ),
                migrations.RemoveField(
                    model_name='dailyview',
                    name='film',
                ),
                migrations.RemoveField(
                    model_name='dailyview',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='dailyview',
                    name='video',
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
                    name='Caption',
                ),
                migrations.DeleteModel(
                    name='DailyView',
                ),
                migrations.DeleteModel(
                    name='Entitlement',
                ),
                migrations.DeleteModel(
                    name='Video',
                ),
                migrations.DeleteModel(
                    name='WatchProgress',
                ),
            ],
            database_operations=[],
        ),
    ]
