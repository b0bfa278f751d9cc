"""Test data for recommendations: watchable films and what members did with them."""

from django.utils import timezone

from donations.tests.factories import paid_donation
from films.tests.factories import FilmPageFactory
from videos.tests.factories import ready_video_record
from watching.models import DailyView, Entitlement, EntitlementSource, WatchProgress

MINUTES = 60.0


def watchable_film(**fields):
    """A live, free film page whose video is ready (ten minutes long)."""
    fields.setdefault("main_video", ready_video_record(duration=10 * MINUTES))
    return FilmPageFactory(**fields)


def watched(user, film, share: float = 1.0, *, when=None):
    """`user` got `share` of the way through `film` (1.0: to the end, which counts as finished)."""
    duration = film.main_video.duration
    progress = WatchProgress.objects.create(
        user=user,
        video=film.main_video,
        film=film,
        position=share * duration,
        duration=duration,
        watched_seconds=share * duration,
        completed=share >= 0.95,
    )
    if when is not None:
        WatchProgress.objects.filter(pk=progress.pk).update(updated_at=when)
    return progress


def viewed(film, viewer_key: str, *, user=None, share: float = 1.0, day=None):
    """One day's view of `film` (by a member, or an anonymous viewer's key)."""
    return DailyView.objects.create(
        video=film.main_video,
        film=film,
        user=user,
        viewer_key=viewer_key,
        day=day or timezone.localdate(),
        watched_seconds=share * film.main_video.duration,
    )


def bought(user, film):
    return Entitlement.objects.create(user=user, film=film, source=EntitlementSource.PURCHASE)


def backed(user, project, amount: int = 5000):
    return paid_donation(project, member=user, amount=amount)
