"""Keep the anonymous page cache honest: any change visible to visitors empties it.

Page content reaches visitors only through publishing, so each page type's `page_published` covers
edits; its `page_unpublished`, `post_page_move` and `post_delete` (a deleted page takes its subtree
with it) cover the rest. A view restriction added to a live page must take its cached public copy
down at once, and a replaced or deleted image changes the rendition URLs of every page showing it.
Models of our apps that show on pages are declared by their apps (`invalidates_pages`).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import invalidate_all_pages


def invalidate(sender, **kwargs):
    invalidate_all_pages()


def invalidates_pages(*models) -> None:
    """Empty the page cache whenever one of `models` (classes or "app_label.Model") is saved or
    deleted. Changes made with `QuerySet.update()` send no signal and must call
    `invalidate_all_pages()` themselves, if visitors see them at once."""
    for model in models:
        uid = f"page_cache.{model if isinstance(model, str) else model._meta.label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}.delete")


def register_signal_handlers() -> None:
    for model in get_page_models():
        uid = f"page_cache.{model._meta.label}"
        page_published.connect(invalidate, sender=model, dispatch_uid=f"{uid}.published")
        page_unpublished.connect(invalidate, sender=model, dispatch_uid=f"{uid}.unpublished")
        post_page_move.connect(invalidate, sender=model, dispatch_uid=f"{uid}.moved")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}.deleted")
    # The site of each host is remembered for the generation (`sites`).
    invalidates_pages(PageViewRestriction, "wagtailimages.Image", "wagtailcore.Site")
