"""Coming soon → available: asking to be told, and telling the members who asked.

A finished film can be watched (and bought) only once its main video is ready
(`FilmBasePage.is_available`). Until then its page offers "notify me"; when the
video becomes ready on a live page, or a page whose video is ready goes live,
each member who asked gets one e-mail.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import AvailabilityNotice, FilmBasePage

logger = logging.getLogger(__name__)


def ask_to_be_notified(user, film: FilmBasePage) -> bool:
    """Record that `user` wants an e-mail when `film` can be watched; False if they had already asked."""
    _, created = AvailabilityNotice.objects.get_or_create(user=user, film=film)
    return created


def is_waiting(user, film: FilmBasePage) -> bool:
    """Whether `user` asked about `film` and has not been told yet."""
    if not user.is_authenticated:
        return False
    return AvailabilityNotice.objects.filter(user=user, film=film, notified_at__isnull=True).exists()


def queue_notices_for_video(video_id: int) -> None:
    """After commit, queue the e-mails for every live film whose main video `video_id` is."""
    from .tasks import send_availability_notices  # films.tasks imports this module (and the name is ours too)

    film_ids = FilmBasePage.objects.live().filter(main_video_id=video_id).values_list("pk", flat=True)
    for film_id in film_ids:
        transaction.on_commit(lambda film_id=film_id: send_availability_notices.enqueue(film_id))


def queue_notices_for_film(film_id: int) -> None:
    """After commit, queue the e-mails for `film_id` if anyone is still waiting for it."""
    from .tasks import send_availability_notices  # films.tasks imports this module (and the name is ours too)

    if AvailabilityNotice.objects.filter(film_id=film_id, notified_at__isnull=True).exists():
        transaction.on_commit(lambda: send_availability_notices.enqueue(film_id))


def send_availability_notices(film_id: int) -> int:
    """E-mail everyone waiting for `film_id`, once each, if it is live and can be watched; returns how many.

    Each notice is claimed (notified_at set where it was empty) before its e-mail goes out, so two
    runs at once never send the same one twice; a failed send releases the claim for the next run.
    """
    film = FilmBasePage.objects.live().public().select_related("main_video").filter(pk=film_id).first()
    if film is None or not film.is_available:
        return 0
    film = film.specific
    sent = 0
    waiting = AvailabilityNotice.objects.filter(film=film, notified_at__isnull=True).select_related("user")
    for notice in waiting:
        claimed = AvailabilityNotice.objects.filter(pk=notice.pk, notified_at__isnull=True)
        if not claimed.update(notified_at=timezone.now()):
            continue  # another run took it
        if getattr(notice.user, "deleted_at", None) or not notice.user.email:
            continue
        try:
            _send(notice.user, film)
        except Exception:
            logger.exception("film %s: could not e-mail %s that it is available", film_id, notice.user.email)
            AvailabilityNotice.objects.filter(pk=notice.pk).update(notified_at=None)
            continue
        sent += 1
    return sent


def _language_of(user) -> str:
    """The member's own language (kept on the user by the members app), else the site's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _send(user, film: FilmBasePage) -> None:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(_language_of(user)):
        context = {
            "film_title": film.display_title,
            "film_url": base + film.get_url(),
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", "ReelVision"),
        }
        subject = " ".join(render_to_string("films/email/film_available_subject.txt", context).split())
        body = render_to_string("films/email/film_available.txt", context)
    send_mail(subject, body, None, [user.email])
