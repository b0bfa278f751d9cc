"""What viewers have of films: the right to watch a paid film, where they stopped, the views counted.

The tables keep the names they had when these models lived in the films app (``films_entitlement``,
…): moving them between apps changed state only, never rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from videos.models import Video


class EntitlementSource(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    GRANT = "grant", _("Granted by staff")


class EntitlementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Entitlement(models.Model):
    """The right to watch one paid film for good. Purchases create it; staff may grant it by hand."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="entitlements"
    )
    film = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("film"), on_delete=models.CASCADE, related_name="entitlements"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=EntitlementSource.choices, default=EntitlementSource.GRANT
    )
    order_reference = models.CharField(_("order"), max_length=64, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        db_table = "films_entitlement"  # the table it had in the films app, kept (no rows move)
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [models.UniqueConstraint(fields=["user", "film"], name="one_entitlement_per_member_film")]

    def __str__(self):
        return f"{self.user} → {self.film}"


def percent_of(position: float, duration: float) -> int:
    """How far `position` is into `duration` (seconds), 0–100."""
    return min(100, round(100 * position / duration)) if duration else 0


class WatchProgress(models.Model):
    """Where a member stopped in a video, for "resume" and "continue watching"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_progress")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="watch_progress")
    film = models.ForeignKey(
        "films.FilmBasePage", null=True, blank=True, on_delete=models.CASCADE, related_name="watch_progress"
    )
    position = models.FloatField(default=0)  # seconds
    duration = models.FloatField(default=0)
    watched_seconds = models.FloatField(default=0)  # total time actually played, across sessions
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = "films_watchprogress"  # the table it had in the films app, kept (no rows move)
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="one_progress_per_member_video")]

    def __str__(self):
        return f"{self.user} @ {self.position:.0f}s of {self.video}"

    @property
    def percent(self) -> int:
        """How far in, 0–100."""
        return percent_of(self.position, self.duration)


class DailyView(models.Model):
    """One row per viewer, video and day: a view counts once per viewer per day."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="daily_views")
    film = models.ForeignKey(
        "films.FilmBasePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="daily_views"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "u<id>" for members; for anonymous viewers a hash of a random id the player keeps in localStorage.
    viewer_key = models.CharField(max_length=64)
    day = models.DateField()
    watched_seconds = models.FloatField(default=0)
    is_trailer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "films_dailyview"  # the table it had in the films app, kept (no rows move)
        constraints = [
            models.UniqueConstraint(fields=["video", "viewer_key", "day"], name="one_view_per_viewer_video_day")
        ]
        indexes = [models.Index(fields=["film", "day"])]

    def __str__(self):
        return f"{self.viewer_key} watched {self.video} on {self.day}"


class AgeCheck(models.Model):
    """A member confirmed they are old enough for films rated 청소년 관람불가 (`watching.age`).

    Only that they did and when is kept, not their date of birth.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="age_check"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("age confirmation")
        verbose_name_plural = _("age confirmations")

    def __str__(self):
        return str(self.user)
