"""Demo premieres: an upcoming one (a week after the first load, at 8 pm in Seoul, free, with a Q&A
and a demo backer's "remind me") and a past one whose replay is the film itself, so the film page,
the home page's row and /api/v2/premieres/ have something to show. Idempotent: films that already
have premieres are left as they are."""

from __future__ import annotations

import datetime

from django.utils import timezone

from live.models import Premiere, PremiereReminder, PremiereStatus


def _evening(days_from_today: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(20, 0)))


def ensure_premieres(upcoming_on, past_on, backers: list) -> int:
    """Returns how many premieres were created."""
    created = 0
    if upcoming_on is not None and not Premiere.objects.filter(page=upcoming_on).exists():
        premiere = Premiere.objects.create(
            page=upcoming_on,
            title="온라인 프리미어 상영과 감독과의 대화",
            starts_at=_evening(7),
            has_qa=True,
            created_by=upcoming_on.owner,
        )
        for backer in backers[:1]:
            PremiereReminder.objects.create(member=backer, premiere=premiere)
        created += 1
    if past_on is not None and not Premiere.objects.filter(page=past_on).exists():
        started = _evening(-30)
        Premiere.objects.create(
            page=past_on,
            title="온라인 첫 상영",
            starts_at=started,
            status=PremiereStatus.ENDED,
            went_live_at=started,
            ended_at=started + datetime.timedelta(hours=2),
            replay=past_on.main_video,
            created_by=past_on.owner,
        )
        created += 1
    return created
