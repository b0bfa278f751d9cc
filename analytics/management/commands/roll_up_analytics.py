from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics import rollup, tasks


class Command(BaseCommand):
    help = (
        "Roll up playback sessions, page views, purchases and donations into each film's daily figures "
        "(today and yesterday, or --day), then delete sessions older than ANALYTICS_KEEP_SESSIONS_DAYS. "
        "With --schedule it only makes sure the self-rescheduling rollup task is queued (bin/run calls this)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the periodic rollup; do nothing else.")
        parser.add_argument("--day", help="Roll up this day only (YYYY-MM-DD), while its sessions are kept.")

    def handle(self, *args, schedule=False, day=None, **options):
        if schedule:
            queued = tasks.schedule_rollup()
            self.stdout.write("Analytics rollup: " + ("scheduled." if queued else "already scheduled."))
            return
        if day:
            try:
                films = rollup.roll_up(date.fromisoformat(day))
            except ValueError as error:
                raise CommandError(f"--day must be a date like 2026-12-05: {error}") from None
            self.stdout.write(f"Analytics: {films} films rolled up for {day}.")
            return
        report = rollup.roll_up_recent()
        self.stdout.write(f"Analytics: {report['films']} film-days rolled up, {report['pruned']} old sessions deleted.")
