"""Premieres show on film and project pages, the home page and the catalogue: any saved change
(scheduled, changed, cancelled, gone live, ended, replay attached) retires the cached pages."""

from page_cache.signal_handlers import invalidates_pages
from videos.signals import video_ready

from . import ingest


def attach_replay(sender, video_id: int, **kwargs) -> None:
    """A broadcast's recording, processed: it becomes the premiere's replay."""
    ingest.attach_replay(video_id)


def register_signal_handlers() -> None:
    invalidates_pages("live.Premiere")
    video_ready.connect(attach_replay, dispatch_uid="live.attach_replay")
