"""What a member is told (`Notification`), how they want to be told (`Preferences`), and the
batched deliveries to many members at once (`FanOut`).

A notification stores the facts of its event (`params`: names, titles in both languages, amounts),
never sentences: it is worded when shown or e-mailed, in the language of whoever reads it
(`kinds.describe`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_BACKER = "new_backer", _("Someone backs my project")
    NEW_PURCHASE = "new_purchase", _("Someone buys my film")
    PAGE_REVIEWED = "page_reviewed", _("My film or project is approved or sent back")
    VIDEO_PROCESSED = "video_processed", _("My video is ready, or failed")
    REFUND = "refund", _("I get a refund")
    PROJECT_UPDATE = "project_update", _("A project I back or follow posts an update")
    BACKERS_MESSAGE = "backers_message", _("A creator writes to the backers of a project I back")
    FOLLOWED_PUBLISHED = "followed_published", _("Someone I follow publishes a film or opens a project")
    SUBMISSIONS_WAITING = "submissions_waiting", _("Submissions wait for review (staff, once a day)")
    MODERATION_WARNING = "moderation_warning", _("Staff warn me about something I posted")
    PREMIERE_STARTING = "premiere_starting", _("A premiere I asked to be reminded of starts soon")


# Kinds only creators (and staff) can receive; the preferences page shows them only to them.
CREATOR_KINDS = frozenset({Kind.NEW_BACKER, Kind.NEW_PURCHASE, Kind.PAGE_REVIEWED, Kind.VIDEO_PROCESSED})
STAFF_KINDS = frozenset({Kind.SUBMISSIONS_WAITING})
# Kinds nobody can turn off (the preferences page does not list them): a moderator's warning.
ALWAYS_KINDS = frozenset({Kind.MODERATION_WARNING})


class EmailStatus(models.TextChoices):
    NONE = "none", _("not e-mailed")  # the member's preferences, or no address
    PENDING = "pending", _("to send")
    DIGEST = "digest", _("in the next daily digest")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not sent")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The event's identity: one notification per recipient and key, however often the event is
    # announced (a replayed webhook, a re-run batch).
    key = models.CharField(max_length=120)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notifications_once_per_event")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            models.Index(fields=["email_status", "created_at"], name="notifications_email_queue"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class EmailFrequency(models.TextChoices):
    EACH = "each", _("At once, one e-mail each")
    DAILY = "daily", _("Once a day, in one digest")
    NEVER = "never", _("Never: only on the site")


class Preferences(models.Model):
    """A member's choices; a member without a row has the defaults (everything on, e-mails at once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preferences"
    )
    email = models.CharField(_("e-mails"), max_length=8, choices=EmailFrequency.choices, default=EmailFrequency.EACH)
    # Kinds the member does not want at all, and kinds they want on the site but not by e-mail.
    muted = models.JSONField(default=list, blank=True)
    no_email = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"preferences of {self.user_id}"

    def wants(self, kind: str) -> bool:
        return kind not in self.muted

    def email_status_for(self, kind: str) -> str:
        if kind in self.muted or kind in self.no_email or self.email == EmailFrequency.NEVER:
            return EmailStatus.NONE
        if self.email == EmailFrequency.DAILY and kind != Kind.SUBMISSIONS_WAITING:  # already a daily digest
            return EmailStatus.DIGEST
        return EmailStatus.PENDING


class Audience(models.TextChoices):
    PROJECT_BACKERS = "project_backers", _("the backers of a project")
    FOLLOWERS = "followers", _("the followers of a page and its owner")


class FanOut(models.Model):
    """One event for many members, delivered in batches by a task (`delivery.run_fan_out`).

    `cursor` is the last recipient id done; each batch's notifications and the cursor commit
    together, so a worker that dies mid-batch leaves the batch undone and the next run redoes it
    (notifications are unique per recipient and key: nobody gets one twice).
    """

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    audience_args = models.JSONField(default=dict, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cursor = models.BigIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery to many members")
        verbose_name_plural = _("deliveries to many members")

    def __str__(self):
        return self.key


class DailyRun(models.Model):
    """A once-a-day job done (or being done) for a day: claimed by inserting the row."""

    job = models.CharField(max_length=32)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="notifications_daily_run_once")]

    def __str__(self):
        return f"{self.job} {self.day}"
