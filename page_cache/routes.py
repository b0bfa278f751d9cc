"""Where a path leads, remembered once per generation: one query to find a page instead of two per
level of the tree.

Wagtail finds the page for `/films/winter-bus-stop/` by asking the site's root for its child
`films` and that page's specific row, then that page for its child `winter-bus-stop` and its
specific row: four queries before anything is rendered, on every uncached render. The root page
(`CachedRoutesMixin`) remembers, for each path it has routed, the page that path reached when every
level was a plain walk down the tree (Wagtail's own `Page.route`, no sub-routes), and loads that
page alone next time. Publishing, unpublishing, moving or deleting a page starts a new generation
(`cache.invalidate_all_pages`), which is also when a path can start leading elsewhere, so a
remembered route is never followed after the tree changed. The page's own `route()` is still asked
for the last step, so an unpublished page is still a 404 and view restrictions are still checked
where Wagtail checks them (when serving).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from .cache import current_generation, pages_cache


def _key(root_pk: int, path_components) -> str:
    path = "/".join(path_components)
    return f"route:{current_generation()}:{root_pk}:{hashlib.sha256(path.encode()).hexdigest()}"


class CachedRoutesMixin:
    """For the site's root page model: routes found by walking down the tree are remembered for the
    generation (see the module's docstring)."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        key = _key(self.pk, path_components)
        remembered = pages_cache().get(key)
        if remembered is not None:
            content_type_id, page_id = remembered
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            page = model.objects.filter(pk=page_id).first() if model is not None else None
            if page is not None:
                return page.route(request, [])
        result = super().route(request, path_components)
        reached = result.page
        # A plain walk ends on a page as many levels down as the path has parts, with no sub-route.
        if not result.args and not result.kwargs and reached.depth == self.depth + len(path_components):
            pages_cache().set(key, (reached.content_type_id, reached.pk), timeout=settings.ANONYMOUS_PAGE_CACHE_SECONDS)
        return result
