"""Keep the anonymous page cache honest: any change visible to visitors empties it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .page_cache import invalidate_all_pages


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def invalidate_on_page_change(sender, **kwargs):
    invalidate_all_pages()


@receiver(post_delete)
def invalidate_on_page_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_all_pages()


@receiver(post_save, sender="films.Genre")
@receiver(post_save, sender="films.Person")
@receiver(post_delete, sender="films.Genre")
@receiver(post_delete, sender="films.Person")
def invalidate_on_snippet_change(sender, **kwargs):
    invalidate_all_pages()
