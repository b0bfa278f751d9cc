from django.core.management.base import BaseCommand

from members.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or complete the Staff and Creators groups and the 'Film review' workflow (safe to repeat)."

    def handle(self, *args, **options):
        roles = ensure_roles()
        self.stdout.write(f"Groups: {roles.staff.name}, {roles.creators.name}; workflow: {roles.workflow.name}.")
        if roles.film_index is None:
            self.stdout.write(
                self.style.WARNING(
                    "No film catalogue (FilmIndexPage) yet: Creators get their page permission "
                    "and the workflow is attached as soon as one is created."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Creators may add pages under '{roles.film_index.title}'."))
