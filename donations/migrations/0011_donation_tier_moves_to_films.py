"""DonationTier has moved to the films app (films.0010): orders point at it there, and it leaves this
app's state. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('donations', '0010_alter_donationtier_title'),
        ('films', '0010_donation_tier_joins_films'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='order',
                    name='tier',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='orders', to='films.donationtier'),
                ),
                migrations.DeleteModel(
                    name='DonationTier',
                ),
            ],
            database_operations=[],
        ),
    ]
