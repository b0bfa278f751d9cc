from django.core.management.base import BaseCommand

from notifications import delivery, tasks
from reelvision.tasks import schedule_once


class Command(BaseCommand):
    help = (
        "Resume unfinished deliveries, send e-mails left waiting and, when due, the daily digests. "
        "--schedule queues the periodic task instead (the worker then repeats it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the periodic sweep task.")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = schedule_once(tasks.sweep)
            self.stdout.write("Sweep queued." if queued else "A sweep is already queued.")
            return
        self.stdout.write(str(delivery.sweep()))
