"""FundingTotal joins the funding page whose figures it holds (it moves here from the donations app,
which keeps it up to date). Only the state changes: the table keeps its name
(`donations_fundingtotal`) and rows; the content type is renamed in place."""

import django.db.models.deletion
from django.db import migrations, models


def _rename(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="fundingtotal").exists():
        ContentType.objects.filter(app_label=old, model="fundingtotal").update(app_label=new)


def move_content_type(apps, schema_editor):
    _rename(apps, "donations", "films")


def move_content_type_back(apps, schema_editor):
    _rename(apps, "films", "donations")


class Migration(migrations.Migration):

    dependencies = [
        ('films', '0010_donation_tier_joins_films'),
        ('donations', '0011_donation_tier_moves_to_films'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FundingTotal',
                    fields=[
                        ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='funding_total', serialize=False, to='films.fundingprojectpage')),
                        ('amount', models.PositiveBigIntegerField(default=0, verbose_name='amount raised (KRW)')),
                        ('backers', models.PositiveIntegerField(default=0, verbose_name='backers')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'funding total',
                        'db_table': 'donations_fundingtotal',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
