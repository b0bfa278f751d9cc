"""Playback sessions as the players report them, and their daily rollups per film.

A `PlaybackSession` is one play: a random id the player makes when it starts, the film and the
video, who (a member, or for an anonymous viewer only a salted hash of the player's random viewer
id, to count unique viewers; nothing else about them), where the play came from, on what kind of
device, and the ranges of seconds watched, merged as reports arrive (`analytics.ranges`). Sessions
are raw data: `rollup.roll_up` turns each day's into one `FilmDay` per film and deletes sessions
older than `ANALYTICS_KEEP_SESSIONS_DAYS`. Rollups are kept forever.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    HOME = "home", _("Home page")
    CATALOGUE = "catalogue", _("Catalogue")
    SEARCH = "search", _("Search")
    DIALOGUE = "dialogue", _("Dialogue search")
    SHARE = "share", _("Shared link")
    DIRECT = "direct", _("Direct")
    OTHER = "other", _("Elsewhere on the site")


class Device(models.TextChoices):
    PHONE = "phone", _("Phone")
    DESKTOP = "desktop", _("Desktop")
    TV = "tv", _("TV")


class PlaybackSession(models.Model):
    key = models.CharField(max_length=64, unique=True)
    film = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    video = models.ForeignKey("videos.Video", on_delete=models.CASCADE, related_name="+")
    is_trailer = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewer = models.CharField(max_length=64, help_text=_("u<id> for a member; a salted hash for anyone else."))
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.DIRECT)
    device = models.CharField(max_length=8, choices=Device.choices, default=Device.DESKTOP)
    duration = models.FloatField(help_text=_("Seconds: the video's length."))
    ranges = models.JSONField(default=list, help_text=_("Merged [start, end) pairs of seconds watched."))
    watched_seconds = models.FloatField(default=0)
    completed = models.BooleanField(default=False)
    day = models.DateField(db_index=True, help_text=_("The day the play started (local time)."))
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("playback session")
        indexes = [models.Index(fields=["day", "film"])]

    def __str__(self):
        return self.key


class FilmDay(models.Model):
    """One film's figures for one day (plays of its main video; trailer plays counted apart)."""

    film = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    plays = models.PositiveIntegerField(default=0)
    viewers = models.PositiveIntegerField(default=0)
    watch_seconds = models.FloatField(default=0)
    average_share = models.FloatField(default=0, help_text=_("Mean share of the film a play watched, 0–1."))
    completions = models.PositiveIntegerField(default=0)
    retention = models.JSONField(default=list, help_text=_("100 shares of plays that watched each point."))
    sources = models.JSONField(default=dict)
    devices = models.JSONField(default=dict)
    trailer_plays = models.PositiveIntegerField(default=0)
    page_views = models.PositiveIntegerField(default=0)
    purchases = models.PositiveIntegerField(default=0)
    purchase_amount = models.PositiveBigIntegerField(default=0)
    donations = models.PositiveIntegerField(default=0)
    donation_amount = models.PositiveBigIntegerField(default=0)
    rolled_up_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("film's day")
        constraints = [models.UniqueConstraint(fields=["film", "day"], name="analytics_one_row_per_film_day")]

    def __str__(self):
        return f"{self.film_id} {self.day}"


class PageViewCount(models.Model):
    """Views of a film's page on one day, counted by a beacon from the page (cached pages too)."""

    film = models.ForeignKey("films.FilmBasePage", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["film", "day"], name="analytics_one_count_per_film_day")]

    def __str__(self):
        return f"{self.film_id} {self.day}: {self.count}"
