"""The periodic recompute keeps exactly one round queued; the command queues the first or runs one now."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.tests.factories import UserFactory
from recommendations import tasks
from recommendations.models import Recommendation
from recommendations.tests.factories import watchable_film, watched

pytestmark = pytest.mark.django_db


def pending(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path))


def test_the_recompute_task_reschedules_itself_once(settings):
    """Each run queues the next RECOMMENDATIONS_RECOMPUTE_INTERVAL ahead, unless one is already waiting."""
    settings.RECOMMENDATIONS_RECOMPUTE_INTERVAL = 900
    assert pending(tasks.recompute_recommendations) == []
    tasks.recompute_recommendations.call()
    [scheduled] = pending(tasks.recompute_recommendations)
    assert scheduled.queue_name == "recommendations"
    assert scheduled.run_after - timezone.now() == pytest.approx(timedelta(seconds=900), abs=timedelta(seconds=10))
    tasks.recompute_recommendations.call()
    assert len(pending(tasks.recompute_recommendations)) == 1


def test_a_failed_round_still_schedules_the_next(monkeypatch):
    """A recompute that raises does not stop the ones after it."""

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks.recompute, "recompute_all", broken)
    with pytest.raises(RuntimeError):
        tasks.recompute_recommendations.call()
    assert len(pending(tasks.recompute_recommendations)) == 1


def test_schedule_option_queues_one_task_never_two():
    """`recompute_recommendations --schedule` (bin/run, at every start) queues one round, due now."""
    call_command("recompute_recommendations", "--schedule", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("recompute_recommendations", "--schedule", stdout=open(os.devnull, "w"))  # noqa: SIM115
    [scheduled] = pending(tasks.recompute_recommendations)
    assert scheduled.run_after <= timezone.now()


def test_the_command_without_options_recomputes_now(capsys):
    """For cron: one round at once, and a line saying what it wrote."""
    a, b = watchable_film(), watchable_film()
    member, other = UserFactory(), UserFactory()
    watched(member, a)
    watched(other, a)
    watched(other, b)
    call_command("recompute_recommendations")
    assert "1 for 2 members" in capsys.readouterr().out
    assert Recommendation.objects.filter(user=member, film=b).exists()
