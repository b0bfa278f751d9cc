"""Background work of the catalogue (the video pipeline's tasks are in videos.tasks)."""

from __future__ import annotations

from django.tasks import task

from . import availability


@task(backend="db", queue_name="email")
def send_availability_notices(film_id: int) -> int:
    """E-mail the members who asked to hear when the film can be watched (once each)."""

    return availability.send_availability_notices(film_id)
