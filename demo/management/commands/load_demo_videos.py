import time

from django.core.management.base import BaseCommand

from demo.videos import load_demo_videos


class Command(BaseCommand):
    help = (
        "Give a few demo films short generated videos (a free film with captions, a paid film with a trailer, "
        "a funding project's trailer) and queue them for processing. Run a task worker to transcode them. "
        "Safe to repeat: films that have their video are skipped."
    )

    def handle(self, *args, verbosity=1, **options):
        started = time.perf_counter()
        made = load_demo_videos(stdout=self.stdout if verbosity else None)
        elapsed = time.perf_counter() - started
        if made:
            self.stdout.write(
                self.style.SUCCESS(f"Demo videos: {made} queued for processing ({elapsed:.1f}s).")
                + " The task worker transcodes them in the background."
            )
        else:
            self.stdout.write("Demo videos: nothing new.")
