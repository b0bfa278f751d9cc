"""Who may see and use which images and documents, outside the admin as inside it.

In the admin, creators see and choose only the files they uploaded, and Staff all of them
(`members.roles.OwnFilesPermissionPolicy`). Everywhere else the same rule holds, with one addition:
a file that public content uses is public, since that content shows it anyway. Public content is a
live page outside any view restriction, or a person (every person has a public page and is in the
people API). What uses what comes from Wagtail's reference index, the one behind the admin's
"Usage" tab, which follows foreign keys, StreamField blocks, rich text embeds and child objects
such as production updates. A page's drafts do not count: the index holds the live content.

- The API lists public files only, the same answer for everyone (like the pages endpoint, which
  shows no drafts to their owners either); owners manage their own files in the admin.
- Wagtail's document view and our media view (`films.views.media`) serve a file that is public, and
  any other file only to those who may choose it in the admin.
- Page forms refuse a file the editor could not have chosen (`films.forms`).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, QuerySet
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry


def file_models() -> tuple[type[Model], ...]:
    """The image and document models: the files this module is about."""
    return (get_image_model(), get_document_model())


def _public_sources() -> QuerySet:
    """Reference index rows whose source is public content (see the module docstring)."""
    from .models import Person  # films.models imports this module (through films.forms) while it loads

    live_page_keys = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    pages = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=live_page_keys
    )
    people = ReferenceIndex.objects.filter(base_content_type=ContentType.objects.get_for_model(Person))
    return pages | people


def public_files(model: type[Model]) -> QuerySet:
    """The files of ``model`` (the image or document model) that public content uses."""
    used = _public_sources().filter(to_content_type=ContentType.objects.get_for_model(model))
    # The index keeps ids as text (any model may be referenced); compare as text in SQL, which both
    # SQLite and PostgreSQL need for a subquery.
    return model.objects.annotate(reference_key=Cast("pk", CharField())).filter(
        reference_key__in=used.values("to_object_id")
    )


def is_public(file: Model) -> bool:
    return public_files(type(file)).filter(pk=file.pk).exists()


def choosable_files(user, model: type[Model]) -> QuerySet:
    """The files of ``model`` that ``user`` may pick in the admin's choosers (own uploads; Staff all)."""
    if user is None or not user.is_authenticated:
        return model.objects.none()
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, {"choose"})


def may_choose(user, file: Model) -> bool:
    if user is None or not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(type(file))
    return policy.user_has_any_permission_for_instance(user, {"choose", "change"}, file)


def may_see(user, file: Model) -> bool:
    """Whether ``user`` (anonymous included) may download ``file``: public, or theirs to choose."""
    return may_choose(user, file) or is_public(file)
