import logging
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError

from demo import data
from demo.loader import load_demo_content

# Every page save logs a line per background task and per Wagtail action at
# INFO; for a thousand pages that buries the summary.
CHATTY_LOGGERS = ("django.tasks", "django_tasks", "wagtail")


@contextmanager
def quiet(logger_names):
    loggers = [logging.getLogger(name) for name in logger_names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo catalogue: films, funding projects, people, collections and the home page sections, "
        "with generated posters. Safe to repeat: only what is missing is created and existing pages are left "
        "as they are. Run `ensure_demo_admin` first so that the demo creators own some of the films."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help=f"Top the catalogue up to N finished films with generated ones, for benchmarks (N ≥ {len(data.FILMS)}).",
        )

    def handle(self, *args, scale=None, verbosity=1, **options):
        if scale is not None and scale < len(data.FILMS):
            raise CommandError(f"--scale must be at least {len(data.FILMS)}, the number of hand-written demo films.")
        started = time.perf_counter()
        try:
            with quiet(CHATTY_LOGGERS if verbosity < 2 else ()):
                result = load_demo_content(scale=scale)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{result.summary()} ({time.perf_counter() - started:.1f}s)"))
