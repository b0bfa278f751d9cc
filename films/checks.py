"""System checks for the films app."""

from django.core.checks import Warning, register

from videos import storage


@register()
def video_files_outside_media(app_configs, **kwargs):
    """Video files under MEDIA_ROOT are public wherever a web server serves that folder whole."""

    return [
        Warning(
            f"Video files are still under MEDIA_ROOT: {folder}.",
            hint="Run `manage.py move_video_files` to move them to VIDEO_ROOT, where only the signed "
            "playback views read them.",
            id="films.W001",
        )
        for folder in storage.legacy_media_folders()
    ]
