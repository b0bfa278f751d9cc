"""`PermissionsInOneQuery`: the same answers as Django's `ModelBackend`, in one query per request."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import User
from members.permission_backend import PermissionsInOneQuery
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "password"  # UserFactory's


def permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user) -> User:
    """The member as a new request loads them: nothing cached on the object."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def member_with_both():
    """A member given one permission directly and two through two groups (one shared with the first)."""
    member = UserFactory()
    member.user_permissions.add(permission("wagtailadmin.access_admin"))
    editors, reviewers = Group.objects.create(name="Poster editors"), Group.objects.create(name="Document reviewers")
    editors.permissions.add(permission("wagtailadmin.access_admin"), permission("wagtailimages.add_image"))
    reviewers.permissions.add(permission("wagtaildocs.add_document"))
    member.groups.add(editors, reviewers)
    return member


def test_the_same_permissions_as_django_reads_in_two_queries(member_with_both):
    ours = PermissionsInOneQuery().get_all_permissions(fresh(member_with_both))
    assert ours == ModelBackend().get_all_permissions(fresh(member_with_both))
    assert ours == {"wagtailadmin.access_admin", "wagtailimages.add_image", "wagtaildocs.add_document"}


def test_a_request_reads_them_once_in_one_query(member_with_both):
    member = fresh(member_with_both)
    with CaptureQueriesContext(connection) as queries:
        assert member.has_perm("wagtailimages.add_image")
        assert not member.has_perm("wagtailimages.delete_image")  # asks every backend: none reads again
        assert member.has_perm("wagtaildocs.add_document")
        assert member.has_module_perms("wagtailadmin")
    assert len(queries) == 1


def test_a_member_without_permissions_has_none():
    member = fresh(UserFactory())
    assert PermissionsInOneQuery().get_all_permissions(member) == set()
    assert not member.has_perm("wagtailadmin.access_admin")


def test_an_inactive_member_has_none_whatever_they_were_given(member_with_both):
    member_with_both.is_active = False
    member_with_both.save(update_fields=["is_active"])
    member = fresh(member_with_both)
    assert PermissionsInOneQuery().get_all_permissions(member) == set()
    assert not member.has_perm("wagtailadmin.access_admin")


def test_a_superuser_has_every_permission():
    admin = fresh(UserFactory(is_superuser=True))
    assert PermissionsInOneQuery().get_all_permissions(admin) == ModelBackend().get_all_permissions(fresh(admin))
    assert len(PermissionsInOneQuery().get_all_permissions(fresh(admin))) == Permission.objects.count()


def test_object_permissions_are_left_to_others(member_with_both):
    assert PermissionsInOneQuery().get_all_permissions(fresh(member_with_both), obj=object()) == set()


def test_it_logs_no_one_in_and_the_backends_after_it_still_do():
    member = UserFactory()
    assert PermissionsInOneQuery().authenticate(None, username=member.email, password=PASSWORD) is None
    assert authenticate(None, username=member.email, password=PASSWORD) == member
