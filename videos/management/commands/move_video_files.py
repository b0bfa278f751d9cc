from django.core.management.base import BaseCommand

from videos import storage


class Command(BaseCommand):
    help = (
        "Move video files left under MEDIA_ROOT (videos/, uploads/) to VIDEO_ROOT, out of reach of "
        "whatever serves media. Safe to run again; does nothing with S3."
    )

    def handle(self, *args, **options):
        folders = storage.legacy_media_folders()
        moved = storage.move_legacy_media_files()
        names = ", ".join(str(folder) for folder in folders) or "nothing to move"
        self.stdout.write(f"Moved {moved} files to {storage.storage().location} ({names}).")
