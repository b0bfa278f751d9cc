"""What the videos app does when its own signals fire: a video that became ready is analysed
(`videos.analysis`: scene cuts, suggested chapters, poster candidates), in the background."""

from .signals import video_ready


def analyse_when_ready(sender, video_id: int, **kwargs) -> None:
    from .models import Video
    from .tasks import start_analysis

    video = Video.objects.filter(pk=video_id).first()
    if video is not None:
        start_analysis(video)


def connect() -> None:
    video_ready.connect(analyse_when_ready, dispatch_uid="videos.analyse_when_ready")
