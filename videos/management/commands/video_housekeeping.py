from django.core.management.base import BaseCommand

from videos import housekeeping


class Command(BaseCommand):
    help = (
        "Video housekeeping: re-queue processing jobs whose worker stopped (or fail them after "
        "VIDEO_PROCESSING_MAX_ATTEMPTS), remove orphaned work directories and abandoned uploads. "
        "Runs once now (for cron); with --schedule it only makes sure the self-rescheduling housekeeping "
        "task is queued (bin/run calls this before starting the worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the periodic housekeeping task now unless one is already waiting; do nothing else.",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            if housekeeping.schedule_housekeeping():
                self.stdout.write("Video housekeeping: scheduled.")
            else:
                self.stdout.write("Video housekeeping: already scheduled.")
            return
        report = housekeeping.run_housekeeping()
        self.stdout.write(
            f"Video housekeeping: re-queued {len(report.requeued)}, failed {len(report.failed)}, "
            f"removed {report.work_dirs_removed} work directories and {report.abandoned_uploads} abandoned uploads."
        )
