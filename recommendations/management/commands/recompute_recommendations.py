from django.core.management.base import BaseCommand

from recommendations import recompute, tasks


class Command(BaseCommand):
    help = (
        "Recompute the recommendation, similar-film and weekly popularity tables from what members watched, "
        "bought, backed and picked. Runs once now (for cron); with --schedule it only makes sure the "
        "self-rescheduling recompute task is queued (bin/run calls this before starting the worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the periodic recompute now unless one is already waiting; do nothing else.",
        )

    def handle(self, *args, schedule=False, **options):
        if schedule:
            if tasks.schedule_recompute():
                self.stdout.write("Recommendations: scheduled.")
            else:
                self.stdout.write("Recommendations: already scheduled.")
            return
        report = recompute.recompute_all()
        self.stdout.write(
            f"Recommendations: {report.recommendations} for {report.members} members, similar films for "
            f"{report.films_with_neighbours} films, {report.popular_films} films popular this week "
            f"({report.seconds:.1f} s)."
        )
