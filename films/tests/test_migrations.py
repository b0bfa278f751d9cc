"""Models moving from the donations app to films change state, never rows: back and forth, the same
rows under the same ids, orders still pointing at them, the same content types.

Each test takes the database back to before a move and forward through the move's migrations only
(not every later one); the database is then copied from the template again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from donations.models import Order
from films.models import DonationTier
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import UserFactory

BEFORE_TIER_MOVE = [("donations", "0010_alter_donationtier_title"), ("films", "0009_video_models_leave_films_done")]
AFTER_TIER_MOVE = [("donations", "0011_donation_tier_moves_to_films"), ("films", "0010_donation_tier_joins_films")]
AFTER_FUNDING_TOTAL_MOVE = [
    ("donations", "0012_funding_total_moves_to_films"),
    ("films", "0011_funding_total_joins_films"),
]


def migrate(targets):
    """Migrate to `targets`; the models as every migration now applied leaves them."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_tier_move_keeps_rows_ids_orders_and_the_content_type(database_restored_afterwards):
    from django.contrib.contenttypes.models import ContentType

    project = FundingProjectPageFactory()
    tier = DonationTierFactory(project=project, amount=5000, title="A coffee")
    order = Order.objects.create(
        member=UserFactory(),
        kind="donation",
        project=project,
        tier=tier,
        provider="sandbox",
        amount=5000,
        client_token="t" * 20,
    )
    tier_type = ContentType.objects.get_for_model(DonationTier)

    old = migrate(BEFORE_TIER_MOVE)
    assert old.get_model("donations", "DonationTier").objects.get(pk=tier.pk).title == "A coffee"
    assert old.get_model("donations", "Order").objects.get(pk=order.pk).tier_id == tier.pk
    old_type = old.get_model("contenttypes", "ContentType").objects.get(pk=tier_type.pk)
    assert (old_type.app_label, old_type.model) == ("donations", "donationtier")

    new = migrate(AFTER_TIER_MOVE)
    assert new.get_model("films", "DonationTier").objects.get(pk=tier.pk).project_id == project.pk
    assert new.get_model("donations", "Order").objects.get(pk=order.pk).tier_id == tier.pk
    new_type = new.get_model("contenttypes", "ContentType").objects.get(app_label="films", model="donationtier")
    assert new_type.pk == tier_type.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_funding_total_move_keeps_the_row_and_the_content_type(database_restored_afterwards):
    from django.contrib.contenttypes.models import ContentType

    from films.models import FundingTotal

    project = FundingProjectPageFactory()
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 12000, "backers": 3})
    total_type = ContentType.objects.get_for_model(FundingTotal)

    old = migrate(AFTER_TIER_MOVE)
    row = old.get_model("donations", "FundingTotal").objects.get(project_id=project.pk)
    assert (row.amount, row.backers) == (12000, 3)
    old_type = old.get_model("contenttypes", "ContentType").objects.get(pk=total_type.pk)
    assert (old_type.app_label, old_type.model) == ("donations", "fundingtotal")

    new = migrate(AFTER_FUNDING_TOTAL_MOVE)
    row = new.get_model("films", "FundingTotal").objects.get(project_id=project.pk)
    assert (row.amount, row.backers) == (12000, 3)
    new_type = new.get_model("contenttypes", "ContentType").objects.get(app_label="films", model="fundingtotal")
    assert new_type.pk == total_type.pk
