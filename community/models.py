"""What members say about films (`Review`, `Comment`), how it is kept civil (`Report`,
`ModerationAction`, `PostingBlock`, `WatchedWord`), whom they follow (`Follow`), and what creators
post to their audience (`Post`, public or for backers and buyers).

Reviews and comments share their moderation fields (`Moderated`): a post is public only while its
status is `visible` and its author may still be seen (active, not deleted, not blocked); the rules
that set the status live in `moderation`, the text rules in `text`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REVIEW_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
POST_MAX_LENGTH = 20000
TEASER_MAX_LENGTH = 200


class Status(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Waiting for approval")
    REPORTED = "reported", _("Hidden after reports")
    HIDDEN = "hidden", _("Hidden")
    DELETED = "deleted", _("Deleted")


class HoldReason(models.TextChoices):
    NONE = "", _("—")
    NEW_MEMBER = "new_member", _("A new member's first post")
    LINK = "link", _("Contains a link")
    WATCHED_WORD = "watched_word", _("Contains a watched word")


def blocked_now():
    """Authors under a posting block that is still in force."""
    return PostingBlock.objects.in_force().filter(member=OuterRef("author"))


class ModeratedQuerySet(models.QuerySet):
    def public(self):
        """What everyone sees: visible, by a member who is active, not deleted and not blocked."""
        return self.filter(status=Status.VISIBLE, author__is_active=True, author__deleted_at__isnull=True).exclude(
            Exists(blocked_now())
        )

    def seen_by(self, user):
        """The public ones, and the viewer's own still waiting or hidden after reports (marked so)."""
        if not user.is_authenticated:
            return self.public()
        return self.filter(Q(pk__in=self.public().values("pk")) | self._own_seen(user))

    def own_seen_by(self, user):
        """Of `seen_by(user)`, those the viewer wrote (every public one of theirs is among them)."""
        return self.filter(self._own_seen(user))

    @staticmethod
    def _own_seen(user) -> Q:
        return Q(author=user, status__in=[Status.PENDING, Status.REPORTED, Status.VISIBLE])


class Moderated(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE)
    held_for = models.CharField(_("held because"), max_length=16, choices=HoldReason.choices, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    # Who hid it last (staff, or the creator of the page it is on) and why; shown to staff.
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == Status.VISIBLE


class Review(Moderated):
    """One member's rating (1–5) and words on one film, editable; "watched" when they had watched at
    least half of it or owned it when they wrote."""

    film = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("film"), on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    watched = models.BooleanField(_("watched"), default=False)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["film", "author"], name="community_one_review_per_member_film"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="community_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.rating}★ {self.film_id} by {self.author_id}"


class Comment(Moderated):
    """A comment on a funding project, or on a creator's post; replies are one level deep."""

    page = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("page"), on_delete=models.CASCADE, related_name="comments"
    )
    post = models.ForeignKey(
        "community.Post",
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The page's creator wrote it (marked as such on the page); set when posted.
    by_creator = models.BooleanField(_("by the creator"), default=False)
    pinned_at = models.DateTimeField(_("pinned"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "post", "created_at"], name="community_thread_idx")]

    def __str__(self):
        return f"comment {self.pk} on {self.page_id}"


class Report(models.Model):
    """A member flags a review or a comment; one report per member and post."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, comment__isnull=True) | Q(review__isnull=True, comment__isnull=False),
                name="community_report_one_target",
            ),
            models.UniqueConstraint(fields=["reporter", "review"], name="community_report_review_once"),
            models.UniqueConstraint(fields=["reporter", "comment"], name="community_report_comment_once"),
        ]

    def __str__(self):
        return f"report by {self.reporter_id} on {'review' if self.review_id else 'comment'} {self.review_id or self.comment_id}"


class Action(models.TextChoices):
    APPROVE = "approve", _("Approved")
    HIDE = "hide", _("Hidden")
    CREATOR_HIDE = "creator_hide", _("Hidden by the page's creator")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")
    WARN = "warn", _("Warned")
    BLOCK = "block", _("Blocked from posting")
    UNBLOCK = "unblock", _("Block lifted")
    DISMISS = "dismiss", _("Reports dismissed")
    # In a premiere's chat (live), by the page's owner or staff: the message is the excerpt.
    CHAT_DELETE = "chat_delete", _("Chat message deleted")
    CHAT_TIMEOUT = "chat_timeout", _("Timed out of a chat")


class ModerationAction(models.Model):
    """The log: who did what to which post or member, when and why. Never edited."""

    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The post's words when the action was taken: a deleted post's text stays in the log for staff.
    excerpt = models.CharField(_("excerpt"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.action} {self.member_id} by {self.by_id}"


class PostingBlockQuerySet(models.QuerySet):
    def in_force(self):
        """Blocks not lifted whose end (if any) is still ahead."""
        return self.filter(Q(until__isnull=True) | Q(until__gt=timezone.now()), lifted_at__isnull=True)


class PostingBlock(models.Model):
    """A member may not post (reviews, comments) until `until`, or for good when it is empty."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="posting_blocks"
    )
    until = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: for good."))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = PostingBlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting block")
        verbose_name_plural = _("posting blocks")

    def __str__(self):
        return f"{self.member_id} until {self.until or 'forever'}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > timezone.now())


class WatchedWord(models.Model):
    """Staff's list: a review or comment containing one of these waits for approval."""

    word = models.CharField(_("word or phrase"), max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        ordering = ["word"]

    def __str__(self):
        return self.word


class Follow(models.Model):
    """A member follows a director (a credited person, or a member who creates) or a page (a
    project or a film): exactly one of the three."""

    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following")
    person = models.ForeignKey(
        "films.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    page = models.ForeignKey(
        "films.FilmBasePage", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, member__isnull=True, page__isnull=True)
                    | Q(person__isnull=True, member__isnull=False, page__isnull=True)
                    | Q(person__isnull=True, member__isnull=True, page__isnull=False)
                ),
                name="community_follow_one_target",
            ),
            models.UniqueConstraint(fields=["follower", "person"], name="community_follow_person_once"),
            models.UniqueConstraint(fields=["follower", "member"], name="community_follow_member_once"),
            models.UniqueConstraint(fields=["follower", "page"], name="community_follow_page_once"),
            models.CheckConstraint(condition=~Q(follower=models.F("member")), name="community_no_self_follow"),
        ]

    def __str__(self):
        return f"{self.follower_id} follows {self.person_id or self.member_id or self.page_id}"


class PostAudience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    BACKERS = "backers", _("Backers")
    BUYERS = "buyers", _("Buyers of the film")


class Post(models.Model):
    """A creator's post on their project or film: words, pictures and their own videos, for everyone,
    for backers (any amount, or from a tier up) or for the film's buyers. Others see the title and the
    teaser, never the body or the media."""

    page = models.ForeignKey(
        "films.FilmBasePage", verbose_name=_("page"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    teaser = models.CharField(
        _("teaser"),
        max_length=TEASER_MAX_LENGTH,
        blank=True,
        help_text=_("Shown to everyone, also when the post is locked."),
    )
    body = models.TextField(_("text"), blank=True)
    audience = models.CharField(_("for"), max_length=10, choices=PostAudience.choices, default=PostAudience.PUBLIC)
    minimum_tier = models.ForeignKey(
        "films.DonationTier",
        verbose_name=_("from tier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Backers: empty for any amount, or backers of this tier or a higher one."),
    )
    videos = models.ManyToManyField("videos.Video", verbose_name=_("videos"), blank=True, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    hidden_at = models.DateTimeField(_("hidden by staff"), null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title


def post_image_path(instance, filename):
    # An unguessable name: the file is handed out only through signed, short-lived addresses.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"private/posts/{instance.post_id}/{uuid.uuid4().hex}.{extension[:5]}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(_("image"), upload_to=post_image_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"image {self.pk} of post {self.post_id}"
