"""FundingTotal has moved to the films app (films.0011): it leaves this app's state. Nothing changes
in the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('donations', '0011_donation_tier_moves_to_films'),
        ('films', '0011_funding_total_joins_films'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='FundingTotal',
                ),
            ],
            database_operations=[],
        ),
    ]
