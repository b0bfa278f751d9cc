"""Who may watch what: free films for everyone; paid films for buyers, the film's owners and staff;
films rated 청소년 관람불가, and their trailers, only after the viewer's age is confirmed (`age`)."""

from __future__ import annotations

from films.models import FilmBasePage
from videos.access import is_staff_member

from .age import gate
from .models import Entitlement


def can_watch(user, film) -> bool:
    if gate(user, film) is not None:
        return False
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


def may_stream_video(user, video) -> bool | None:
    """The films' answer to `videos.access.can_stream`: a trailer is for everyone (but an adults-only
    film's, for those past its age gate); a film's main video
    for those who may watch that film; a video no film shows is not ours to judge (None)."""
    films = list(FilmBasePage.objects.showing(video).select_related("main_video"))
    if not films:
        return None
    if any(film.trailer_id == video.pk and gate(user, film) is None for film in films):
        return True
    return any(can_watch(user, film) for film in films)
