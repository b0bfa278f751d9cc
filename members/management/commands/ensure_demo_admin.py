from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from members.models import UniversityEmail
from members.roles import CREATORS, STAFF, ensure_roles

DEMO_PASSWORD = "reelvision"  # noqa: S105 — a published demo login, refused outside DEBUG


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    group: str = ""
    superuser: bool = False


DEMO_USERS = (
    DemoUser("admin@reelvision.local", "관리자", superuser=True),
    DemoUser("staff@reelvision.local", "학과 사무실 이하늘", group=STAFF),
    # Named like the demo directors whose films they own (demo/data.py).
    DemoUser("creator1@dongguk.edu", "김지수", group=CREATORS),
    DemoUser("creator2@dongguk.edu", "박도윤", group=CREATORS),
)


class Command(BaseCommand):
    help = (
        "Create the demo logins (development only: refuses unless DEBUG is on): "
        "admin@reelvision.local (superuser), staff@reelvision.local (Staff), creator1@dongguk.edu and "
        f"creator2@dongguk.edu (Creators), all with the password '{DEMO_PASSWORD}'. Safe to repeat: existing "
        "accounts get their groups and flags back but keep a password someone has changed, unless "
        "--reset-passwords is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"Set the password of existing demo accounts back to '{DEMO_PASSWORD}'.",
        )

    def handle(self, *args, reset_passwords=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_demo_admin is for development only: it creates accounts with a published password. "
                "It runs only with DEBUG on (reelvision.settings.dev). In production create accounts with "
                "`manage.py createsuperuser`."
            )
        if not Group.objects.filter(name__in=[STAFF, CREATORS]).count() == 2:
            ensure_roles()
        User = get_user_model()
        for demo in DEMO_USERS:
            with transaction.atomic():
                user = User.objects.filter(email__iexact=demo.email).first()
                created = user is None
                if created:
                    user = User(email=demo.email, display_name=demo.display_name)
                if created or reset_passwords:
                    user.set_password(DEMO_PASSWORD)
                user.is_active = True
                user.is_superuser = user.is_staff = demo.superuser
                user.save()
                if demo.group:
                    user.groups.add(Group.objects.get(name=demo.group))
                _mark_email_verified(user)
                if demo.group == CREATORS:
                    _mark_university_verified(user)
            state = "created" if created else ("password reset" if reset_passwords else "already there")
            self.stdout.write(f"{demo.email} ({demo.display_name}): {state}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins ready; new accounts use the password '{DEMO_PASSWORD}'."))


def _mark_email_verified(user) -> None:
    """With allauth installed, a login may need a verified address: the demo ones are."""
    if not apps.is_installed("allauth.account"):
        return

    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )


def _mark_university_verified(user) -> None:
    """Demo creators are creators the way real ones are: through a verified university address."""

    UniversityEmail.objects.get_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "status": UniversityEmail.Status.VERIFIED, "verified_at": timezone.now()},
    )
