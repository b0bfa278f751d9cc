"""Ask the providers about orders left pending; with --schedule, only queue the periodic task."""

from django.core.management.base import BaseCommand

from donations.tasks import reconcile_pending, schedule_reconciliation


class Command(BaseCommand):
    help = (
        "Settle or expire orders still pending by asking their provider (timeouts, lost redirects, abandoned "
        "checkouts). With --schedule it only makes sure the self-rescheduling task is queued (bin/run calls this)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the periodic task unless one is waiting.")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            queued = schedule_reconciliation()
            self.stdout.write("Payment reconciliation: " + ("scheduled." if queued else "already scheduled."))
            return
        asked = reconcile_pending.call()
        self.stdout.write(f"Payment reconciliation: asked about {asked} pending orders.")
