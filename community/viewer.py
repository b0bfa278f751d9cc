"""What several parts of one page ask about the viewer, worked out once per request."""

from __future__ import annotations

from videos.access import is_staff_member


def is_staff(request) -> bool:
    """Whether the request's user is staff (one query for a member, asked by the posts section and
    the comment thread alike), remembered on the request."""
    answer = getattr(request, "_community_is_staff", None)
    if answer is None:
        answer = is_staff_member(request.user)
        request._community_is_staff = answer
    return answer
