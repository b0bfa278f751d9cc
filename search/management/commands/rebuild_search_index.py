from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the site search index (word roots of pages, people and caption lines) from scratch."

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write(
            f"Indexed {counts['pages']} page entries, {counts['people']} person entries "
            f"and {counts['captions']} caption lines."
        )
