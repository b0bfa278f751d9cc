"""A premiere: one live screening of a film or project page, and its chat."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_stream_key() -> str:
    """A stream key: 32 URL-safe random characters (192 bits), typed into OBS once."""
    return secrets.token_urlsafe(24)


class PremiereStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    LIVE = "live", _("live")
    ENDED = "ended", _("ended")
    CANCELLED = "cancelled", _("cancelled")


class Premiere(models.Model):
    page = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("film or project"), on_delete=models.CASCADE, related_name="premieres"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    # Free when 0; otherwise a ticket (KRW) gives an entitlement to this premiere alone.
    ticket_price = models.PositiveIntegerField(_("ticket price (KRW)"), default=0)
    has_qa = models.BooleanField(_("Q&A with the director"), default=False)
    stream_key = models.CharField(_("stream key"), max_length=64, unique=True, default=new_stream_key)
    status = models.CharField(
        _("status"), max_length=10, choices=PremiereStatus.choices, default=PremiereStatus.SCHEDULED
    )
    went_live_at = models.DateTimeField(_("went live at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The recording, once it has gone through the normal video processing.
    replay = models.ForeignKey(
        "videos.Video", verbose_name=_("replay"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("premiere")
        verbose_name_plural = _("premieres")
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    def regenerate_stream_key(self) -> None:
        self.stream_key = new_stream_key()
        self.save(update_fields=["stream_key"])
