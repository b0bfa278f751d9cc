import django.core.validators
import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0012_film_rating"),
    ]

    operations = [
        migrations.CreateModel(
            name="Festival",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "name",
                    models.CharField(
                        help_text="Without the year or edition, e.g. 부산국제영화제",
                        max_length=120,
                        verbose_name="festival",
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        blank=True,
                        help_text="e.g. Busan International Film Festival",
                        max_length=120,
                        verbose_name="festival (English)",
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1950),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="year",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("award", "Award winner"),
                            ("special_mention", "Special mention"),
                            ("nominee", "Nominee"),
                            ("official_selection", "Official selection"),
                        ],
                        default="official_selection",
                        max_length=20,
                        verbose_name="result",
                    ),
                ),
                (
                    "award",
                    models.CharField(
                        blank=True,
                        help_text="The prize or the section, e.g. 최우수 작품상. Required for an award.",
                        max_length=120,
                        verbose_name="award",
                    ),
                ),
                (
                    "award_en",
                    models.CharField(
                        blank=True, help_text="e.g. Best Film", max_length=120, verbose_name="award (English)"
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="festivals",
                        to="films.filmbasepage",
                    ),
                ),
            ],
            options={
                "verbose_name": "festival",
                "verbose_name_plural": "festivals",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
    ]
