"""Mark every page, person and caption track as out of date, so the index is built for what exists.

Only marks are written here (no analysis): the task worker, or the first searches, index them.
"""

from django.db import migrations


def mark_everything(apps, schema_editor):
    PendingIndex = apps.get_model("search", "PendingIndex")
    rows = []
    for app_label, model_name, kind in [
        ("films", "FilmPage", "page"),
        ("films", "FundingProjectPage", "page"),
        ("films", "Person", "person"),
        ("videos", "Caption", "caption"),
    ]:
        model = apps.get_model(app_label, model_name)
        rows += [PendingIndex(owner_kind=kind, owner_id=pk) for pk in model.objects.values_list("pk", flat=True)]
    PendingIndex.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_index"),
        ("films", "0011_funding_total_joins_films"),
        ("videos", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_everything, migrations.RunPython.noop)]
