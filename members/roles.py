"""Who may do what in the Wagtail admin: the Staff and Creators groups.

Staff run the site: every page (add, edit, publish, lock, unlock, bulk delete
from the root down), every snippet (genres, people, ...), all images and
documents and the collections that hold them, site settings and redirects;
they review what creators submit, see the payout report and record payouts.

Creators make films: they may add pages under the film catalogue only, which
(Wagtail's ownership rule) lets them edit the pages they created but never
publish; every submission goes through the "Film review" workflow to Staff.
They may add people for credits, and upload images and documents that only
they (and Staff) can see, edit and pick in choosers.

`ensure_roles()` builds all of this. It is idempotent and only adds: run it as
often as you like (a `post_migrate` handler and `manage.py setup_roles` do),
and whatever an administrator later grants by hand stays.

The permission policies at the bottom close the gaps Wagtail leaves for this
"own work only" model; `members/wagtail_hooks.py` registers them.
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.registry import registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.models.content_types import get_default_page_content_type
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import get_snippet_models

from donations.models import Order, Payout
from films.models import FilmIndexPage, Genre, Person
from videos.models import Video
from watching.models import Entitlement

from .models import UniversityEmail

STAFF = "Staff"
CREATORS = "Creators"
FILM_REVIEW_WORKFLOW = "Film review"
FILM_REVIEW_TASK = "Film review by Staff"

STAFF_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")
STAFF_FILE_PERMISSIONS = ("add", "change", "delete", "choose")
# Creators only "add" files: Wagtail lets the uploader edit and delete their own
# files, and OwnFilesPermissionPolicy lets them choose them. "choose" or
# "change" on a collection would open every creator's files to every creator.
CREATOR_FILE_PERMISSIONS = ("add",)
# Managing the collections themselves (folders for images and documents).
STAFF_COLLECTION_PERMISSIONS = ("add", "change", "delete")


@dataclass(frozen=True)
class Roles:
    """What `ensure_roles()` found or made."""

    staff: Group
    creators: Group
    workflow: Workflow
    film_index: Page | None


def ensure_roles() -> Roles:
    """Create or complete the Staff and Creators groups and the film review workflow."""
    # post_migrate is sent app by app and `members` comes before Wagtail's apps
    # in INSTALLED_APPS, so on a fresh database their permissions may not exist
    # yet when we run. Creating them here is what Django would do a moment later.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)

    film_index = FilmIndexPage.objects.order_by("path").first()
    with transaction.atomic():
        staff, _ = Group.objects.get_or_create(name=STAFF)
        creators, _ = Group.objects.get_or_create(name=CREATORS)
        admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")

        staff.permissions.add(
            admin_access,
            *_all_permissions_for(Genre, Person, *_snippet_models(), *_redirect_models(), *_setting_models()),
            *_all_permissions_for(Video, Entitlement),
            _permission(UniversityEmail, "view"),
            _permission(UniversityEmail, "change"),
            _permission(Order, "view"),
            _permission(Order, "change"),
            _permission(Payout, "view"),  # the payout report
            _permission(Payout, "add"),  # marking payouts as paid
        )
        root_page = Page.get_first_root_node()
        if root_page is not None:
            _grant_page_permissions(staff, root_page, STAFF_PAGE_PERMISSIONS)

        # "add" on videos: creators upload, and edit or delete what they uploaded (OwnershipPermissionPolicy).
        creators.permissions.add(admin_access, _permission(Person, "add"), _permission(Video, "add"))
        if film_index is not None:
            _grant_page_permissions(creators, film_index, ("add",))

        root_collection = Collection.get_first_root_node()
        if root_collection is not None:
            for model in (get_image_model(), get_document_model()):
                _grant_collection_permissions(staff, root_collection, model, STAFF_FILE_PERMISSIONS)
                _grant_collection_permissions(creators, root_collection, model, CREATOR_FILE_PERMISSIONS)
            _grant_collection_permissions(staff, root_collection, Collection, STAFF_COLLECTION_PERMISSIONS)

        workflow = _ensure_film_review_workflow(staff)
        if film_index is not None:
            # Leaves a workflow an administrator has since chosen for the catalogue alone.
            WorkflowPage.objects.get_or_create(page=film_index, defaults={"workflow": workflow})

    return Roles(staff=staff, creators=creators, workflow=workflow, film_index=film_index)


def _permission(model, action: str) -> Permission:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return Permission.objects.get(content_type=content_type, codename=get_permission_codename(action, model._meta))


def _all_permissions_for(*models) -> list[Permission]:
    if not models:
        return []
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False).values()
    return list(Permission.objects.filter(content_type__in=content_types))


def _snippet_models() -> list:
    """Every registered snippet model, so snippets added later are Staff's too."""

    return list(get_snippet_models())


def _redirect_models() -> list:
    if global_apps.is_installed("wagtail.contrib.redirects"):
        return [Redirect]
    return []


def _setting_models() -> list:
    """The models registered with `@register_setting` (site and generic settings)."""
    if global_apps.is_installed("wagtail.contrib.settings"):
        return list(registry)
    return []


def _grant_page_permissions(group: Group, page: Page, permission_types) -> None:
    content_type = get_default_page_content_type()
    for permission_type in permission_types:
        permission = Permission.objects.get(content_type=content_type, codename=f"{permission_type}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_collection_permissions(group: Group, collection: Collection, model, actions) -> None:
    for action in actions:
        permission = _permission(model, action)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _ensure_film_review_workflow(staff: Group) -> Workflow:
    task = GroupApprovalTask.objects.filter(name=FILM_REVIEW_TASK).order_by("pk").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=FILM_REVIEW_TASK)
    task.groups.add(staff)
    workflow = Workflow.objects.filter(name=FILM_REVIEW_WORKFLOW).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=FILM_REVIEW_WORKFLOW)
    if not workflow.workflow_tasks.exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


# --- what creators may see of each other's work ------------------------------


def without_others_drafts(pages: QuerySet, user) -> QuerySet:
    """`pages` minus the unpublished pages that `user` may not edit: another creator's drafts.

    Live pages stay (the public can see them anyway), and so does everything
    the user may edit or publish, so Staff and superusers lose nothing.
    """
    if user.is_active and user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change", "publish"})
    return pages.filter(Q(live=True) | Q(pk__in=editable.values("pk")))


class OwnDraftsPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, except that another creator's drafts are not explorable.

    Creators hold "add" on the catalogue, which makes every page under it
    explorable: its title and status would show in the explorer, the page
    search, the "pages using this type" listing and the site history report,
    which all read `explorable_instances()`. Direct URLs to the edit, preview,
    history and revision views are already refused by Wagtail (they need edit
    permission).
    """

    def explorable_instances(self, user):
        return without_others_drafts(super().explorable_instances(user), user)


class OwnFilesPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image/document policy, plus: whoever may add files to a collection may choose their own files there.

    Wagtail already lets an uploader with only "add" edit and delete the files
    they uploaded (`owner_field_name`), but picking a file in a chooser needs
    "choose" on the collection, which would show every creator's files to
    every creator. Here "choose" also covers the user's own uploads.
    """

    def _owns(self, user, instance) -> bool:
        return user.is_authenticated and getattr(instance, self.owner_field_name + "_id", None) == user.pk

    def user_has_permission(self, user, action):
        if action == "choose":
            return self._check_perm(user, ["choose", "add"])
        return super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if (
            "choose" in actions
            and self._owns(user, instance)
            and self._check_perm(user, ["add"], collection=instance.collection)
        ):
            return True
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if "choose" not in actions or not (user.is_active and user.is_authenticated) or user.is_superuser:
            return instances
        own = self.model._default_manager.filter(
            collection__in=self._collections_with_perm(user, ["add"]), **{self.owner_field_name: user}
        )
        return instances | own

    def collections_user_has_any_permission_for(self, user, actions):
        if "choose" in actions:
            actions = {*actions, "add"}
        return super().collections_user_has_any_permission_for(user, actions)


def image_permission_policy() -> OwnFilesPermissionPolicy:
    return OwnFilesPermissionPolicy(
        get_image_model(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"
    )


def document_permission_policy() -> OwnFilesPermissionPolicy:
    return OwnFilesPermissionPolicy(
        get_document_model(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
    )
