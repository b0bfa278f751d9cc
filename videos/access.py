"""Who may watch what: free films for everyone; paid films for buyers, the film's owners and staff."""

from __future__ import annotations

from django.db.models import Q

from videos.models import Entitlement


def is_staff_member(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name="Staff").exists()


def can_watch(user, film) -> bool:
    if film.price == 0:
        return True
    if not user.is_authenticated:
        return False
    if film.owner_id == user.pk:
        return True
    if film.main_video_id and film.main_video.owner_id == user.pk:
        return True
    if is_staff_member(user):
        return True
    return Entitlement.objects.active().filter(user=user, film_id=film.pk).exists()


def can_stream(user, video) -> bool:
    """Whether the viewer may fetch the video's files now (asked on every /stream/ request).

    A trailer is for everyone; a film's main video for those who may watch that film, so a refund
    or a revoked entitlement ends playback at the player's next request, whatever links it holds.
    A video no film shows is for its owner and staff only (admin previews).
    """
    from films.models import FilmBasePage

    films = list(FilmBasePage.objects.filter(Q(main_video=video) | Q(trailer=video)).select_related("main_video"))
    if any(film.trailer_id == video.pk for film in films):
        return True
    if films:
        return any(can_watch(user, film) for film in films)
    return user.is_authenticated and (video.owner_id == user.pk or is_staff_member(user))
