"""Test data for videos."""

from videos.models import Video, VideoStatus


def ready_video_record(duration: float = 60):
    """A `Video` record that is ready to play as far as access and progress rules can tell, with no
    files (`videos.tests.helpers.ready_video` transcodes a real clip)."""
    video = Video.objects.create(title="v", status=VideoStatus.READY, duration=duration)
    video.hls_master_key = f"{video.outputs_prefix}hls/master.m3u8"
    video.save(update_fields=["hls_master_key"])
    return video
