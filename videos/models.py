"""Videos and their caption tracks.

The videos app's models keep the tables they had in the films app (``films_video``, …). Files live in the default storage
(local media or S3) and are referenced by *key*, not by ``FileField``: the original arrives by
direct multipart upload (the browser writes it, Django never holds it), and the HLS outputs are a
whole directory tree under ``videos/<id>/``.

Status flow::

    uploading ──complete──▶ processing ──▶ ready
        │                       │
        └─abandoned/aborted     └──▶ failed (failure_reason says why, in words a creator understands)
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.search import index


def timecode(seconds: float) -> str:
    """``seconds`` as the player shows a time: 1:05, 1:02:03, with tenths when there are any (0:12.5)."""
    tenths = round(seconds * 10)
    whole, tenth = divmod(tenths, 10)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"{text}.{tenth}" if tenth else text


def time_span(start: float, end: float) -> str:
    """`timecode(start)–timecode(end)`, or one timecode when they are the same moment."""
    return f"{timecode(start)}–{timecode(end)}" if end > start else timecode(start)


class VideoStatus(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class VideoQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def ready(self):
        return self.filter(status=VideoStatus.READY)


class Video(index.Indexed, models.Model):
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="videos",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VideoStatus.choices, default=VideoStatus.UPLOADING, db_index=True
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    # --- the original upload --------------------------------------------------------------
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    original_key = models.CharField(
        _("original file"), max_length=500, blank=True, help_text=_("Storage key of the uploaded original.")
    )
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    # S3 multipart UploadId, or the id of a local chunked-upload session; cleared on completion.
    upload_id = models.CharField(max_length=1024, blank=True)

    # --- what ffprobe found ----------------------------------------------------------------
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=32, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=32, blank=True)
    container = models.CharField(_("container"), max_length=100, blank=True)
    bit_rate = models.BigIntegerField(_("bit rate"), null=True, blank=True)

    # --- outputs (storage keys) ------------------------------------------------------------
    # Normally "videos/<id>/"; a duplicate upload (same SHA-256) points at the first video's outputs.
    storage_prefix = models.CharField(max_length=200, blank=True)
    hls_master_key = models.CharField(max_length=500, blank=True)
    # [{"name": "720p", "width": 1280, "height": 720, "bandwidth": 3100000, "playlist": "<key>"}, ...]
    renditions = models.JSONField(_("renditions"), default=list, blank=True)
    poster_key = models.CharField(max_length=500, blank=True)
    storyboard_image_key = models.CharField(max_length=500, blank=True)
    storyboard_vtt_key = models.CharField(max_length=500, blank=True)
    # The hover preview: a few muted seconds for film cards (videos.preview_clip), under this
    # video's own outputs_prefix even for a duplicate upload, since each video picks its own start.
    preview_key = models.CharField(max_length=500, blank=True)
    preview_start = models.FloatField(
        _("preview clip starts at"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Where the 3-second clip that plays when a visitor points at the film's card begins, as "
            "minutes:seconds (1:05) or seconds. Leave blank to let us pick a cut in the first half."
        ),
    )
    behind_the_scenes = models.BooleanField(
        _("behind-the-scenes footage"),
        default=False,
        help_text=_(
            "Footage of the making of a film: its people can be mosaicked, except those who agreed to be seen."
        ),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same file as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    # --- processing bookkeeping ------------------------------------------------------------
    processing_attempts = models.PositiveSmallIntegerField(default=0)
    # The current job's lease: a run whose token is no longer the video's writes nothing.
    processing_token = models.UUIDField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    objects = VideoQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("owner"),
        index.FilterField("status"),
    ]

    class Meta:
        db_table = "films_video"  # the table it had in the films app, kept (no rows move)
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY

    def clean(self):
        super().clean()
        if self.preview_start is not None and self.duration and self.preview_start >= self.duration:
            raise ValidationError(
                {
                    "preview_start": _("Choose a time within the video: it is %(length)s long.")
                    % {"length": timecode(self.duration)}
                }
            )

    @property
    def outputs_prefix(self) -> str:
        """Where this video's own outputs go (``videos/<id>/``)."""
        return f"videos/{self.pk}/"


class Caption(models.Model):
    """A subtitle track, stored as WebVTT (SRT uploads are converted)."""

    video = models.ForeignKey(Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(_("language"), max_length=16, help_text=_("e.g. ko, en, ja"))
    label = models.CharField(
        pgettext_lazy("caption track", "label"),
        max_length=64,
        blank=True,
        help_text=_("Shown in the player's caption menu; leave blank for the language's own name"),
    )
    vtt_key = models.CharField(max_length=500)
    source_format = models.CharField(max_length=8, blank=True)  # "vtt" or "srt"
    source_encoding = models.CharField(max_length=32, blank=True)
    cue_count = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, help_text="Plain cue text, for search.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "films_caption"  # the table it had in the films app, kept (no rows move)
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["video", "language"], name="one_caption_per_language")]

    def __str__(self):
        return f"{self.video} ({self.language})"


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class VideoAnalysis(models.Model):
    """What the analysis after processing found in a ready video (`videos.analysis`): its scene cuts,
    suggested chapters and poster candidates. One per video; a new run replaces the last one's."""

    video = models.OneToOneField(Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="analysis")
    status = models.CharField(_("status"), max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0, help_text=_("0 to 1 while running."))
    failure_reason = models.TextField(_("failure reason"), blank=True)
    # Seconds from the start: where shots change, and where the suggested chapters begin.
    cuts = models.JSONField(_("scene cuts"), default=list, blank=True)
    chapters = models.JSONField(_("suggested chapters"), default=list, blank=True)
    # [{"time": seconds, "key": storage key of the JPEG, "sharpness": …}], in time order.
    poster_candidates = models.JSONField(_("poster candidates"), default=list, blank=True)
    # Which run may record its results: a run queued later takes the token over.
    run_token = models.UUIDField(null=True, blank=True, editable=False)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("video analysis")
        verbose_name_plural = _("video analyses")

    def __str__(self):
        return f"{self.video} ({self.get_status_display()})"


class Chapter(models.Model):
    """A named point of a video, shown on the player's seek bar and in the playback API. Set by the
    video's owner or staff in the Videos admin, from the analysis's suggestions or by hand."""

    video = models.ForeignKey(Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="chapters")
    start = models.FloatField(_("starts at (seconds)"), validators=[MinValueValidator(0)])
    title = models.CharField(_("title"), max_length=100)
    title_en = models.CharField(_("English title"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["video", "start"], name="one_chapter_per_start")]

    def __str__(self):
        return f"{self.video}: {self.title} ({self.start:.1f}s)"


class AdvisoryKind(models.TextChoices):
    """What a confirmed flag tells viewers about a film."""

    NUDITY = "nudity", _("Nudity")


class FlagStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class ContentFlag(models.Model):
    """A moment of a video the sensitive-content scan flagged (`videos.sensitive`), with a picture of
    it. Seen by staff and the video's owner only; staff confirm it (it becomes an advisory of the
    films that show the video) or dismiss it. A new analysis replaces the flags still waiting and
    keeps those staff decided on."""

    video = models.ForeignKey(Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="content_flags")
    kind = models.CharField(_("kind"), max_length=20, choices=AdvisoryKind.choices, default=AdvisoryKind.NUDITY)
    start = models.FloatField(_("from (seconds)"))
    end = models.FloatField(_("to (seconds)"))
    at = models.FloatField(_("picture at (seconds)"))
    labels = models.JSONField(_("what the detector saw"), default=list)
    score = models.FloatField(_("detector's confidence"))
    thumbnail_key = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("content flag")
        verbose_name_plural = _("content flags")
        ordering = ["start"]

    def __str__(self):
        return f"{self.video} {self.start:.0f}s ({self.get_status_display()})"


class MosaicStatus(models.TextChoices):
    FINDING = "finding", _("Finding the people")
    FOUND = "found", _("People found")
    RENDERING = "rendering", _("Making the mosaic version")
    DONE = "done", _("Viewers see the mosaic version")
    FAILED = "failed", _("Failed")


class VideoMosaic(models.Model):
    """The privacy mosaic of a behind-the-scenes video (`videos.privacy`): the people found in it,
    who agreed to be seen, and the mosaic version viewers get once it is made. The original stays
    in storage for the owner and staff."""

    video = models.OneToOneField(Video, verbose_name=_("video"), on_delete=models.CASCADE, related_name="mosaic")
    status = models.CharField(_("status"), max_length=10, choices=MosaicStatus.choices, default=MosaicStatus.FINDING)
    progress = models.FloatField(_("progress"), default=0.0)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    run_token = models.UUIDField(null=True, blank=True, editable=False)
    # Where the sampled frames' boxes are scaled from: the original's picture size and frame rate.
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    rate = models.FloatField(null=True, blank=True)
    # The outputs the mosaic version replaced are removed; the folder its own outputs are in.
    outputs_prefix = models.CharField(max_length=200, blank=True)
    rendered_at = models.DateTimeField(_("made"), null=True, blank=True)

    class Meta:
        verbose_name = _("privacy mosaic")
        verbose_name_plural = _("privacy mosaics")

    def __str__(self):
        return f"{self.video} ({self.get_status_display()})"


class MosaicPerson(models.Model):
    """One face track of a mosaic: pixelated unless the person agreed to be seen."""

    mosaic = models.ForeignKey(VideoMosaic, on_delete=models.CASCADE, related_name="people")
    number = models.PositiveSmallIntegerField(_("person"))
    start = models.FloatField(_("first seen (seconds)"))
    end = models.FloatField(_("last seen (seconds)"))
    # [[time, x1, y1, x2, y2, score], …] in the sampled frame (videos.mosaic).
    samples = models.JSONField(default=list)
    thumbnail_key = models.CharField(max_length=500, blank=True)
    consented = models.BooleanField(_("agreed to be seen"), default=False)

    class Meta:
        verbose_name = _("person in a mosaic")
        verbose_name_plural = _("people in a mosaic")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["mosaic", "number"], name="one_mosaic_person_per_number")]

    def __str__(self):
        return f"{self.mosaic.video} #{self.number}"
