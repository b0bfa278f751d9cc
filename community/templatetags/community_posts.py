"""Creators' posts on their project and film pages.

    {% load community_posts %}
    {% page_posts page as posts %}                   the page's published posts, newest first
    {% include "community/posts/list.html" %}        the "Posts" section (uses `page`)

The list is the same for every visitor (titles, teasers, who each post is for), so the page stays
cacheable; publishing, editing or deleting a post retires the cached pages
(`community.signal_handlers`). Only the page's creator, who is logged in and so never served a
cached page, also sees the links to write and manage posts.
"""

from django import template

from community import posts, viewer

register = template.Library()

LIST_LENGTH = 10


@register.simple_tag
def page_posts(page, limit: int = LIST_LENGTH):
    if page is None or not page.pk:
        return []
    shown = posts.shown().filter(page_id=page.pk).select_related("minimum_tier").order_by("-published_at", "-pk")
    return list(shown[:limit])


@register.simple_tag(takes_context=True)
def may_write_posts(context, page) -> bool:
    request = context.get("request")
    return bool(request and page is not None and viewer.may_write_on(request, page))
