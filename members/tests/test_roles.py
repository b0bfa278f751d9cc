"""The Staff and Creators roles exist after migrate, and `manage.py setup_roles` can be run again safely."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from films.models import FilmIndexPage
from films.tests.factories import film_index, home_page
from members.roles import CREATORS, FILM_REVIEW_WORKFLOW, STAFF

pytestmark = pytest.mark.django_db


def page_permissions(group_name):
    return set(
        GroupPagePermission.objects.filter(group__name=group_name).values_list("page_id", "permission__codename")
    )


def collection_permissions(group_name):
    return set(
        GroupCollectionPermission.objects.filter(group__name=group_name).values_list(
            "collection_id", "permission__content_type__app_label", "permission__codename"
        )
    )


def model_permissions(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("content_type__app_label", "codename"))


def role_snapshot():
    """Everything `ensure_roles` writes, in comparable form."""
    return (
        page_permissions(STAFF),
        page_permissions(CREATORS),
        collection_permissions(STAFF),
        collection_permissions(CREATORS),
        model_permissions(STAFF),
        model_permissions(CREATORS),
        Workflow.objects.count(),
        WorkflowTask.objects.count(),
        set(WorkflowPage.objects.values_list("page_id", "workflow__name")),
    )


def test_a_migrated_database_has_staff_with_every_page_permission_from_the_root():
    """Staff may add, edit, publish, lock, unlock and bulk-delete every page."""
    root = Page.get_first_root_node()
    assert page_permissions(STAFF) == {
        (root.pk, f"{action}_page") for action in ("add", "change", "publish", "lock", "unlock", "bulk_delete")
    }


def test_a_migrated_database_has_creators_adding_under_the_catalogue_only():
    """Creators' only page permission is "add" on the film catalogue: no publish, no edit of others' pages."""
    assert page_permissions(CREATORS) == {(film_index().pk, "add_page")}


def test_staff_manage_snippets_files_and_collections():
    """Staff hold every permission on the catalogue snippets and on images, documents and collections."""
    staff = model_permissions(STAFF)
    for codename in ("add_genre", "change_genre", "delete_genre", "add_person", "change_person", "delete_person"):
        assert ("films", codename) in staff
    assert ("wagtailadmin", "access_admin") in staff
    root = Collection.get_first_root_node().pk
    files = collection_permissions(STAFF)
    for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "delete", "choose"):
            assert (root, app, f"{action}_{model}") in files
    for action in ("add", "change", "delete"):
        assert (root, "wagtailcore", f"{action}_collection") in files


def test_creators_may_upload_files_and_add_people_but_nothing_more():
    """Creators upload images, documents and videos (seeing only their own) and add people to credit."""
    root = Collection.get_first_root_node().pk
    assert collection_permissions(CREATORS) == {
        (root, "wagtailimages", "add_image"),
        (root, "wagtaildocs", "add_document"),
    }
    assert model_permissions(CREATORS) == {
        ("wagtailadmin", "access_admin"),
        ("films", "add_person"),
        ("videos", "add_video"),
    }


def test_the_catalogue_uses_the_film_review_workflow():
    """Pages under the catalogue are reviewed by Staff; the rest of the site keeps Wagtail's default workflow."""
    assert film_index().get_workflow().name == FILM_REVIEW_WORKFLOW
    assert home_page().get_workflow().name != FILM_REVIEW_WORKFLOW


def test_setup_roles_is_idempotent():
    """Running the command again changes nothing and reports what is in place."""
    before = role_snapshot()
    out = StringIO()

    call_command("setup_roles", stdout=out)
    call_command("setup_roles", stdout=out)

    assert role_snapshot() == before
    assert "Creators may add pages under" in out.getvalue()


def test_setup_roles_restores_what_was_removed():
    """A permission or workflow link deleted by mistake comes back with the command."""
    GroupPagePermission.objects.filter(group__name=CREATORS).delete()
    WorkflowPage.objects.filter(page=film_index()).delete()

    call_command("setup_roles", stdout=StringIO())

    assert page_permissions(CREATORS) == {(film_index().pk, "add_page")}
    assert film_index().get_workflow().name == FILM_REVIEW_WORKFLOW


def test_setup_roles_keeps_what_an_administrator_granted_by_hand():
    """The command only adds: extra permissions given to a role stay."""
    creators = Group.objects.get(name=CREATORS)
    change_person = Permission.objects.get(content_type__app_label="films", codename="change_person")
    creators.permissions.add(change_person)

    call_command("setup_roles", stdout=StringIO())

    assert ("films", "change_person") in model_permissions(CREATORS)


def test_a_catalogue_created_later_is_opened_to_creators():
    """If the catalogue is rebuilt, Creators may add to the new one and it is reviewed by Staff."""
    film_index().delete()
    catalogue = home_page().add_child(instance=FilmIndexPage(title="작품", slug="films"))

    assert (catalogue.pk, "add_page") in page_permissions(CREATORS)
    assert catalogue.get_workflow().name == FILM_REVIEW_WORKFLOW
