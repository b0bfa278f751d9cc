"""A member's permissions in one query instead of two.

Django's `ModelBackend` reads a member's permissions with two queries, those given to them and those
of their groups, the first time a request asks (`perms.wagtailadmin.access_admin` in the site's
header asks on every page a member opens). This backend reads both in one query and leaves them
where `ModelBackend` keeps them (`user._perm_cache`), so every later check in the request, by this
backend or the ones after it, costs nothing. The answers are the same as `ModelBackend`'s: nothing
for an inactive or anonymous user or for object permissions, every permission for a superuser.

It only answers permission checks: `authenticate` returns None, so logging in stays with the
backends listed after it and sessions keep naming them.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PermissionsInOneQuery(ModelBackend):
    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            granted = Permission.objects.all()
            if not user_obj.is_superuser:
                granted = granted.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = granted.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
