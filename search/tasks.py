"""Background indexing: the analyser runs in the task worker, after the change has committed."""

from django.conf import settings
from django.db import transaction
from django.tasks import task

from . import indexing


@task(backend="db", queue_name="default")
def index_pending() -> int:
    return indexing.index_pending()


def index_soon() -> None:
    """Queue a run of `index_pending` once the current transaction commits."""
    transaction.on_commit(
        lambda: index_pending.using(backend=settings.SEARCH_INDEX_TASK_BACKEND).enqueue(), robust=True
    )
