"""The cached pages the community's changes retire: posts and films' rating figures show on pages
(reviews and comments retire them in the services that change what is public); and the cached
follower counts (`follows.follower_count`), dropped whenever a follow starts or ends, however it
is deleted (unfollowing, or with the member or the page)."""

from django.db.models.signals import post_delete, post_save

from page_cache.signal_handlers import invalidates_pages

from . import follows
from .models import Follow

invalidates_pages("community.Post", "community.PostImage", "films.FilmRating")


def _forget_follower_count(sender, instance, **kwargs):
    follows.forget_count(instance)


post_save.connect(_forget_follower_count, sender=Follow, dispatch_uid="community.follow.count.save")
post_delete.connect(_forget_follower_count, sender=Follow, dispatch_uid="community.follow.count.delete")
