"""Who may fetch a video's files (asked on every /stream/ request).

A video knows nothing of the pages that show it. The apps that show videos answer through the
`may_stream_video` hook (`fn(user, video)` → True, False, or None when the video is not theirs to
judge): the first True or False decides, so a refund or a revoked entitlement ends playback at the
player's next request, whatever links it holds. A video no app claims is for its owner and staff
only (admin previews).
"""

from __future__ import annotations

from wagtail import hooks


def is_staff_member(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name="Staff").exists()


def can_stream(user, video) -> bool:
    for rule in hooks.get_hooks("may_stream_video"):
        answer = rule(user, video)
        if answer is not None:
            return answer
    return user.is_authenticated and (video.owner_id == user.pk or is_staff_member(user))
