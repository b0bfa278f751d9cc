"""Models moving from the donations app to films change state, never rows: back and forth, the same
rows under the same ids, orders still pointing at them, the same content types."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from donations.models import Order
from films.models import DonationTier
from films.tests.factories import DonationTierFactory, FundingProjectPageFactory
from members.tests.factories import UserFactory

BEFORE = [("donations", "0010_alter_donationtier_title"), ("films", "0009_video_models_leave_films_done")]


def migrate(targets):
    """Migrate to `targets`; the models as every migration now applied leaves them."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_tier_move_keeps_rows_ids_orders_and_the_content_type():
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

    old = migrate(BEFORE)
    assert old.get_model("donations", "DonationTier").objects.get(pk=tier.pk).title == "A coffee"
    assert old.get_model("donations", "Order").objects.get(pk=order.pk).tier_id == tier.pk
    old_type = old.get_model("contenttypes", "ContentType").objects.get(pk=tier_type.pk)
    assert (old_type.app_label, old_type.model) == ("donations", "donationtier")

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    assert DonationTier.objects.get(pk=tier.pk).project_id == project.pk
    assert Order.objects.get(pk=order.pk).tier_id == tier.pk
    # Read from the table (get_for_model would answer from its cache).
    assert ContentType.objects.get(app_label="films", model="donationtier").pk == tier_type.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_funding_total_move_keeps_the_row_and_the_content_type():
    from django.contrib.contenttypes.models import ContentType

    from films.models import FundingTotal

    project = FundingProjectPageFactory()
    FundingTotal.objects.update_or_create(project=project, defaults={"amount": 12000, "backers": 3})
    total_type = ContentType.objects.get_for_model(FundingTotal)

    old = migrate([("donations", "0011_donation_tier_moves_to_films"), ("films", "0010_donation_tier_joins_films")])
    row = old.get_model("donations", "FundingTotal").objects.get(project_id=project.pk)
    assert (row.amount, row.backers) == (12000, 3)
    old_type = old.get_model("contenttypes", "ContentType").objects.get(pk=total_type.pk)
    assert (old_type.app_label, old_type.model) == ("donations", "fundingtotal")

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    assert FundingTotal.objects.values_list("amount", "backers").get(project=project) == (12000, 3)
    assert ContentType.objects.get(app_label="films", model="fundingtotal").pk == total_type.pk
