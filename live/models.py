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
    # Seconds a member waits between two chat messages (0: only LIVE_CHAT_MIN_INTERVAL); the page's
    # owner and staff set it from the chat, and are never slowed themselves.
    chat_slow_mode_seconds = models.PositiveSmallIntegerField(_("chat slow mode (seconds)"), default=0)
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
    # The broadcast's recording while it is being processed; it becomes the replay once ready.
    recording = models.ForeignKey(
        "videos.Video", verbose_name=_("recording"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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


class PremiereReminder(models.Model):
    """A member asked to be told shortly before a premiere starts ("remind me").

    `reminded_for` is the start time the reminder went out for: a premiere moved to another time is
    due again (one reminder per member and start time), a reminder already sent is not sent twice.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    premiere = models.ForeignKey(
        Premiere, verbose_name=_("premiere"), on_delete=models.CASCADE, related_name="reminders"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    reminded_for = models.DateTimeField(_("reminded for the start at"), null=True, blank=True)

    class Meta:
        verbose_name = _("premiere reminder")
        verbose_name_plural = _("premiere reminders")
        constraints = [models.UniqueConstraint(fields=["member", "premiere"], name="live_one_reminder_per_member")]

    def __str__(self):
        return f"{self.member_id} → {self.premiere_id}"


class ChatKind(models.TextChoices):
    MESSAGE = "message", _("message")
    QUESTION = "question", _("question")


class ChatMessage(models.Model):
    """One line of a premiere's chat, kept as its replay's chat history.

    Its id is the chat's cursor: ids are handed out under a lock on the premiere (live/chat.py), so
    within a premiere a larger id was always committed, and broadcast, later. A reconnecting client
    asks for the ids after the last one it has.
    """

    premiere = models.ForeignKey(
        Premiere, verbose_name=_("premiere"), on_delete=models.CASCADE, related_name="chat_messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.CharField(_("message"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ChatKind.choices, default=ChatKind.MESSAGE)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    pinned = models.BooleanField(_("pinned"), default=False)
    answered = models.BooleanField(_("answered"), default=False)
    # A deleted message stays for the moderators' record but is never shown or sent again.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [models.Index(fields=["premiere", "author", "created_at"])]

    def __str__(self):
        return self.body[:50]


class ChatTimeout(models.Model):
    """A member may not write in one premiere's chat until `until` (set by its page's owner or staff).
    Site-wide blocks are community's `PostingBlock`, which the chat honours too."""

    premiere = models.ForeignKey(
        Premiere, verbose_name=_("premiere"), on_delete=models.CASCADE, related_name="chat_timeouts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateTimeField(_("until"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("chat time-out")
        verbose_name_plural = _("chat time-outs")
        indexes = [models.Index(fields=["premiere", "member", "until"])]

    def __str__(self):
        return f"{self.member_id} until {self.until}"
