"""Keep the search index up to date: every change that alters what a search finds marks its objects.

Marks (`search.models.PendingIndex`) are written in the changing transaction; the
indexing itself runs later (`search.tasks`), after the change has committed, so a
page's credits, genres and updates (saved after the page row) are in what is indexed.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction

from films.models import Credit, FilmBasePage, FilmPage, FundingProjectPage, Genre, Person, ProductionUpdate
from videos.models import Caption

from .indexing import mark, pages_crediting, pages_in_genre
from .models import Entry, PendingIndex
from .tasks import index_soon

# Saves that change only the page's revision bookkeeping leave what is live (and indexed) alone.
BOOKKEEPING_FIELDS = frozenset(
    {"latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes", "locked", "locked_at"}
)


def _page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and set(update_fields) <= BOOKKEEPING_FIELDS):
        return
    mark("page", [instance.pk])
    index_soon()


def _page_deleted(sender, instance, **kwargs):
    Entry.objects.filter(owner_kind__in=["film", "project"], owner_id=instance.pk).delete()
    PendingIndex.objects.filter(owner_kind="page", owner_id=instance.pk).delete()


def _page_part_changed(sender, instance, raw=False, **kwargs):
    """A credit or a production update saved or deleted on its own (the admin saves them with the page)."""
    if raw:
        return
    mark("page", [instance.page_id])
    index_soon()


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    under = FilmBasePage.objects.descendant_of(instance.page, inclusive=True)
    mark("page", list(under.values_list("pk", flat=True)))
    index_soon()


def _person_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    mark("person", [instance.pk])
    mark("page", pages_crediting(instance.pk))
    index_soon()


def _person_deleted(sender, instance, **kwargs):
    Entry.objects.filter(owner_kind="person", owner_id=instance.pk).delete()
    PendingIndex.objects.filter(owner_kind="person", owner_id=instance.pk).delete()


def _genre_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    mark("page", pages_in_genre(instance.pk))
    index_soon()


def _caption_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    mark("caption", [instance.pk])
    index_soon()


def _caption_deleted(sender, instance, **kwargs):
    PendingIndex.objects.filter(owner_kind="caption", owner_id=instance.pk).delete()


def connect() -> None:
    for model in (FilmPage, FundingProjectPage):
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"search-page-saved-{model.__name__}")
        post_delete.connect(_page_deleted, sender=model, dispatch_uid=f"search-page-deleted-{model.__name__}")
    for model in (Credit, ProductionUpdate):
        post_save.connect(_page_part_changed, sender=model, dispatch_uid=f"search-part-saved-{model.__name__}")
        post_delete.connect(_page_part_changed, sender=model, dispatch_uid=f"search-part-deleted-{model.__name__}")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="search-person-saved")
    post_delete.connect(_person_deleted, sender=Person, dispatch_uid="search-person-deleted")
    post_save.connect(_genre_saved, sender=Genre, dispatch_uid="search-genre-saved")
    post_save.connect(_caption_saved, sender=Caption, dispatch_uid="search-caption-saved")
    post_delete.connect(_caption_deleted, sender=Caption, dispatch_uid="search-caption-deleted")
