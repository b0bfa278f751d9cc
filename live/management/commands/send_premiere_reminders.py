from django.core.management.base import BaseCommand

from live import reminders, tasks
from reelvision.tasks import schedule_once


class Command(BaseCommand):
    help = (
        'Send the "remind me" reminders of premieres starting soon. '
        "--schedule queues the periodic task instead (the worker then repeats it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the periodic reminder task.")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = schedule_once(tasks.send_reminders)
            self.stdout.write("Reminders queued." if queued else "A reminder run is already queued.")
            return
        self.stdout.write(f"{reminders.send_due()} reminded.")
