"""DonationTier joins the funding page it belongs to (it moves here from the donations app). Only the
state changes: the table keeps its name (`donations_donationtier`), rows and ids; the content type
is renamed in place, so history and references keep pointing at it."""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models



def _rename(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="donationtier").exists():
        ContentType.objects.filter(app_label=old, model="donationtier").update(app_label=new)


def move_content_type(apps, schema_editor):
    _rename(apps, "donations", "films")


def move_content_type_back(apps, schema_editor):
    _rename(apps, "films", "donations")


class Migration(migrations.Migration):

    dependencies = [
        ('films', '0009_video_models_leave_films_done'),
        ('donations', '0010_alter_donationtier_title'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DonationTier',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                        ('amount', models.PositiveIntegerField(help_text="At least the project's minimum donation.", validators=[django.core.validators.MinValueValidator(100)], verbose_name='amount (KRW)')),
                        ('title', models.CharField(help_text='e.g. A coffee for the crew', max_length=80, verbose_name='title')),
                        ('reward', models.TextField(blank=True, help_text='What the backer gets, if anything.', verbose_name='reward')),
                        ('ships', models.BooleanField(default=False, help_text='Tick it when the reward is something you post: backers then give a shipping address.', verbose_name='sent by post')),
                        ('project', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tiers', to='films.fundingprojectpage')),
                    ],
                    options={
                        'verbose_name': 'donation tier',
                        'verbose_name_plural': 'donation tiers',
                        'db_table': 'donations_donationtier',
                        'ordering': ['sort_order'],
                        'abstract': False,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
