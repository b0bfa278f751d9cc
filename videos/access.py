"""Who may fetch a video's files (asked on every /stream/ request).

A video knows nothing of the pages that show it. The apps that show videos answer through the
`may_stream_video` hook (`fn(user, video)` → True, False, or None when the video is not theirs to
judge): the first True or False decides, so a refund or a revoked entitlement ends playback at the
player's next request, whatever links it holds. A video no app claims is for its owner and staff
only (admin previews).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail import hooks


def is_staff_member(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name="Staff").exists()


def staff_only(view):
    """A view for staff and superusers only. Wagtail's admin URLs already turn away whoever may not
    use the admin (to the log-in page); a creator who may is sent to the dashboard with Wagtail's
    "no permission" message (the admin's answer to `PermissionDenied`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def can_stream(user, video) -> bool:
    for rule in hooks.get_hooks("may_stream_video"):
        answer = rule(user, video)
        if answer is not None:
            return answer
    return user.is_authenticated and (video.owner_id == user.pk or is_staff_member(user))
