"""Who may watch what: free films for everyone; paid films for buyers, the film's owners and staff;
films rated 청소년 관람불가, and their trailers, only after the viewer's age is confirmed (`age`)."""

from __future__ import annotations

from films.models import FilmBasePage
from videos.access import is_staff_member

from .age import AgeGate, has_confirmed
from .models import Entitlement


def is_insider(user, film) -> bool:
    """The film's owner, its video's owner, or staff: they watch whatever the film's price or rating."""
    if not user.is_authenticated:
        return False
    if film.owner_id == user.pk or (film.main_video_id and film.main_video.owner_id == user.pk):
        return True
    return is_staff_member(user)


def age_gate(user, film) -> AgeGate | None:
    """What `user` must do before an adults-only `film` (and its trailer) plays for them, or None
    when nothing: not adults-only, an insider, or age already confirmed."""
    if not film.is_adults_only:
        return None
    if not user.is_authenticated:
        return AgeGate.LOG_IN
    if is_insider(user, film) or has_confirmed(user):
        return None
    return AgeGate.CONFIRM_AGE


def can_watch(user, film) -> bool:
    if age_gate(user, film) is not None:
        return False
    if film.price == 0:
        return True
    if is_insider(user, film):
        return True
    return user.is_authenticated and Entitlement.objects.active().filter(user=user, film_id=film.pk).exists()


def may_stream_video(user, video) -> bool | None:
    """The films' answer to `videos.access.can_stream`: a trailer is for everyone (but an adults-only
    film's, for those past its age gate); a film's main video
    for those who may watch that film; a video no film shows is not ours to judge (None)."""
    films = list(FilmBasePage.objects.showing(video).select_related("main_video"))
    if not films:
        return None
    if any(film.trailer_id == video.pk and age_gate(user, film) is None for film in films):
        return True
    return any(can_watch(user, film) for film in films)
