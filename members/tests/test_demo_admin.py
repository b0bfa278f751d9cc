"""`manage.py ensure_demo_admin`: demo logins for development, never in production."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from members.roles import CREATORS, STAFF

User = get_user_model()
DEMO_EMAILS = ["admin@reelvision.local", "staff@reelvision.local", "creator1@dongguk.edu", "creator2@dongguk.edu"]


def ensure_demo_admin(*args):
    call_command("ensure_demo_admin", *args, stdout=StringIO())


@override_settings(DEBUG=False)
class WithoutDebugTests(TestCase):
    def test_refuses_without_debug(self):
        """Outside DEBUG the command stops with an explanation and creates no account."""
        with self.assertRaisesMessage(CommandError, "development only"):
            ensure_demo_admin()
        self.assertFalse(User.objects.filter(email__in=DEMO_EMAILS).exists())


@override_settings(DEBUG=True)
class WithDebugTests(TestCase):
    def test_creates_the_four_demo_accounts(self):
        """admin is a superuser, staff is in Staff, the creators in Creators; all log in with 'reelvision'."""
        ensure_demo_admin()
        admin = User.objects.get(email="admin@reelvision.local")
        self.assertTrue(admin.is_superuser and admin.is_staff)
        self.assertTrue(User.objects.get(email="staff@reelvision.local").groups.filter(name=STAFF).exists())
        for email in ("creator1@dongguk.edu", "creator2@dongguk.edu"):
            with self.subTest(email=email):
                user = User.objects.get(email=email)
                self.assertTrue(user.groups.filter(name=CREATORS).exists())
                self.assertFalse(user.is_superuser)
        for user in User.objects.filter(email__in=DEMO_EMAILS):
            with self.subTest(email=user.email):
                self.assertTrue(user.check_password("reelvision"))
                self.assertRegex(user.display_name, "[가-힣]")
        self.assertTrue(self.client.login(email="creator1@dongguk.edu", password="reelvision"))

    def test_running_twice_changes_nothing(self):
        """A second run creates no users and no extra group memberships."""
        ensure_demo_admin()
        memberships = User.groups.through.objects.count()
        ensure_demo_admin()
        self.assertEqual(User.objects.filter(email__in=DEMO_EMAILS).count(), 4)
        self.assertEqual(User.groups.through.objects.count(), memberships)

    def test_keeps_a_changed_password(self):
        """A demo account whose password someone changed keeps it on the next run."""
        ensure_demo_admin()
        admin = User.objects.get(email="admin@reelvision.local")
        admin.set_password("changed-by-me")
        admin.save()
        ensure_demo_admin()
        admin.refresh_from_db()
        self.assertTrue(admin.check_password("changed-by-me"))

    def test_reset_passwords_restores_the_demo_password(self):
        """--reset-passwords puts 'reelvision' back."""
        ensure_demo_admin()
        admin = User.objects.get(email="admin@reelvision.local")
        admin.set_password("changed-by-me")
        admin.save()
        ensure_demo_admin("--reset-passwords")
        admin.refresh_from_db()
        self.assertTrue(admin.check_password("reelvision"))

    def test_restores_missing_groups(self):
        """If the Staff and Creators groups are gone, they are recreated and the accounts put back in them."""
        Group.objects.filter(name__in=[STAFF, CREATORS]).delete()
        ensure_demo_admin()
        self.assertTrue(User.objects.get(email="staff@reelvision.local").groups.filter(name=STAFF).exists())
        self.assertTrue(User.objects.get(email="creator2@dongguk.edu").groups.filter(name=CREATORS).exists())
