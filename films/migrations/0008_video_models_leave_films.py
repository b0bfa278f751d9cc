"""The video models move to the videos app (part 1): their constraints and fields leave the films
app's state. Nothing changes in the database: the tables keep their names (videos.0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('films', '0007_alter_caption_label_alter_person_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='caption',
                    name='one_caption_per_language',
                ),
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
                migrations.RemoveField(
                    model_name='video',
                    name='duplicate_of',
                ),
                migrations.RemoveField(
                    model_name='video',
                    name='owner',
                ),
            ],
            database_operations=[],
        ),
    ]
