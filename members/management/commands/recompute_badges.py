"""Bring every member's badges in line with the rules in members/badges.py."""

from django.core.management.base import BaseCommand

from members import badges
from members.models import User


class Command(BaseCommand):
    help = "Award badges the rules say are earned and take back those no longer earned (e.g. after a refund)."

    def add_arguments(self, parser):
        parser.add_argument("--member", help="Only this member (e-mail address).")

    def handle(self, *args, member=None, **options):
        users = User.objects.filter(deleted_at__isnull=True)
        if member:
            users = users.filter(email__iexact=member)
        awarded = taken = 0
        for user in users.iterator():
            new, gone = badges.recompute(user)
            awarded += len(new)
            taken += len(gone)
            for code in new:
                self.stdout.write(f"+ {user.email}: {code}")
            for code in gone:
                self.stdout.write(f"- {user.email}: {code}")
        self.stdout.write(self.style.SUCCESS(f"Badges: {awarded} awarded, {taken} taken back."))
