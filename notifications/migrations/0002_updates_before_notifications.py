"""Production updates posted before notifications existed are not news: record them as delivered,
so that a project's next publication does not announce its whole history to its backers."""

from django.db import migrations
from django.utils import timezone


def mark_existing_updates_delivered(apps, schema_editor):
    ProductionUpdate = apps.get_model("films", "ProductionUpdate")
    FanOut = apps.get_model("notifications", "FanOut")
    now = timezone.now()
    FanOut.objects.bulk_create(
        [
            FanOut(
                key=f"update:{pk}",
                kind="project_update",
                audience="project_backers",
                audience_args={"project_id": page_id},
                done_at=now,
            )
            for pk, page_id in ProductionUpdate.objects.values_list("pk", "page_id")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("films", "0011_funding_total_joins_films"),
    ]

    operations = [migrations.RunPython(mark_existing_updates_delivered, migrations.RunPython.noop)]
