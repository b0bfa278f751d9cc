"""Signal handlers for films (the page cache's live in home)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from videos.signals import video_ready

from .availability import queue_notices_for_film, queue_notices_for_video
from .models import FilmBasePage


@receiver(page_published)
def notify_when_published_available(sender, instance, **kwargs):
    """A film page going live with its video ready: the members who asked about it hear so."""

    if isinstance(instance, FilmBasePage) and instance.is_available:
        queue_notices_for_film(instance.pk)


@receiver(video_ready)
def notify_when_video_ready(sender, video_id, **kwargs):
    """Members who asked about a live film whose main video just became ready hear that it is up."""
    queue_notices_for_video(video_id)
