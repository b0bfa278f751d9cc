"""Recompute every ledger chain and name the first broken link, if any (exit status 1 then)."""

from django.core.management.base import BaseCommand, CommandError

from donations import ledger


class Command(BaseCommand):
    help = "Verify the hash chains of the funding ledger; names the first entry that does not fit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild-totals", action="store_true", help="Also rebuild project totals from the ledger."
        )

    def handle(self, *args, rebuild_totals=False, **options):
        broken = []
        for result in ledger.verify_all():
            key = result.key
            if result.ok:
                self.stdout.write(f"ok      {key}: {result.entries} entries")
            else:
                broken.append(result)
                self.stdout.write(self.style.ERROR(f"BROKEN  {key}: entry {result.broken_at}: {result.reason}"))
            if rebuild_totals and key.startswith("project:"):
                total = ledger.rebuild_project_total(int(key.split(":", 1)[1]))
                self.stdout.write(f"        total rebuilt: {total.amount:,} KRW from {total.backers} backers")
        if broken:
            first = broken[0]
            raise CommandError(f"The ledger is broken: first at {first.key} entry {first.broken_at} ({first.reason}).")
        self.stdout.write(self.style.SUCCESS("Every ledger chain verifies."))
