"""Who may watch what: free films for everyone; paid films for buyers, the film's owners and staff."""

from __future__ import annotations

from films.video.models import Entitlement


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
