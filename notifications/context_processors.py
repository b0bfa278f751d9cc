from django.utils.functional import SimpleLazyObject

from .delivery import unread_count


def unread_notifications(request):
    """`unread_notifications` for the header's bell: counted (from the cache) only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
