"""Keep the anonymous page cache honest: any change visible to visitors empties it.

Page content changes reach visitors only through publishing, so `page_published`
covers edits; `post_delete` on `Page` covers deletion (including the subtree a
deleted page takes with it). Genres and people are snippets shown on many pages
(film credits, person pages, catalogue filters). A view restriction added to a
live page must take its cached public copy down at once. A funding total saved
through the ORM (not an `F()` update, which sends no signal) changes the figures
on the project page and the funding rows. A poster replaced or deleted changes
the rendition URLs every page showing it links to.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .page_cache import invalidate_all_pages


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def invalidate_on_page_change(sender, **kwargs):
    invalidate_all_pages()


@receiver(post_delete)
def invalidate_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_all_pages()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender="films.Genre")
@receiver(post_save, sender="films.Person")
@receiver(post_delete, sender="films.Genre")
@receiver(post_delete, sender="films.Person")
@receiver(post_save, sender="donations.FundingTotal")
@receiver(post_save, sender="wagtailimages.Image")
@receiver(post_delete, sender="wagtailimages.Image")
def invalidate_on_related_change(sender, **kwargs):
    invalidate_all_pages()
