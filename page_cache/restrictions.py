"""Which pages have view restrictions, remembered once per generation: no query to learn that a
page has none.

Before serving a page Wagtail asks for the restrictions on it and its ancestors
(`Page.get_view_restrictions`): one query for the ancestors, one for their restrictions, on every
uncached render, though nearly every page has none. The tree paths of the pages that carry a
restriction, and of the alias pages (whose restrictions are their source page's), change only when
a restriction is saved or deleted or a page is published, unpublished, moved or deleted, each of
which starts a new generation (`signal_handlers`); so they are kept in the pages cache for the
generation. A page whose path starts with none of them has no restriction, and the check costs no
query; any other page is answered by Wagtail's own query, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page, PageViewRestriction

from .cache import kept_for_generation


@dataclass(frozen=True)
class _Paths:
    """Tree paths of the restricted pages and of the alias pages."""

    restricted: tuple[str, ...]
    aliases: tuple[str, ...]


def _paths() -> _Paths:
    return kept_for_generation(
        "view-restrictions",
        lambda: _Paths(
            restricted=tuple(PageViewRestriction.objects.values_list("page__path", flat=True).distinct()),
            aliases=tuple(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
        ),
    )


def may_be_restricted(page) -> bool:
    """False when neither `page` nor any of its ancestors has a view restriction (or is an alias,
    which takes its source page's)."""
    if page.alias_of_id:
        return True
    paths = _paths()
    return any(page.path.startswith(path) for path in (*paths.restricted, *paths.aliases))


class CachedViewRestrictionsMixin:
    """For page models: `get_view_restrictions()` answered without a query for a page that has none
    (see the module's docstring)."""

    def get_view_restrictions(self):
        if not may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
