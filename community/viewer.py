"""What several parts of one page ask about the viewer, worked out once per request."""

from __future__ import annotations

from page_cache.fragments import for_viewer

from . import posts


def may_write_on(request, page) -> bool:
    """`posts.may_write_on` for the request's user: the page's creator or staff, who write its posts
    and pin its comments. Asked by the posts section and the comment thread alike, answered once
    per request and page (the staff check is a query)."""
    return for_viewer(request, f"community:may-write-on:{page.pk}", lambda: posts.may_write_on(request.user, page))
