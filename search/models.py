"""The search index: word roots of everything a visitor can search, with where each came from.

An `Entry` is one piece of searchable text: a film's title, a sentence of its
synopsis, a credited person's name, a genre, a production update, or one line
of its captions (with the time it is spoken). A `Posting` says that a term (a
word root, see `search.analysis`) occurs in an entry. Queries are analysed the
same way and looked up by exact term, so the results are the same on SQLite and
PostgreSQL (no database-specific text search is involved).

Entries are rebuilt whole per object (a page, a person, a caption track) by
`search.indexing`, never edited in place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchField(models.TextChoices):
    """What a hit matched, best first: the API reports it as each match's `kind`."""

    TITLE = "title", _("Title")
    PERSON = "person", _("Person")
    GENRE = "genre", _("Genre")
    LOGLINE = "logline", _("Logline")
    SYNOPSIS = "synopsis", _("Synopsis")
    UPDATE = "update", _("Production update")
    BIO = "bio", _("Biography")
    DIALOGUE = "dialogue", _("Dialogue")


# Rank of a match by field: a title hit comes before a synopsis hit.
FIELD_RANK = {value: rank for rank, value in enumerate(MatchField.values)}


class Entry(models.Model):
    # What the entry belongs to: a film or project page, or a person ("film", "project", "person");
    # caption lines belong to a caption track instead (the films showing its video are looked up
    # when searching, so moving a video to another page needs no re-indexing).
    owner_kind = models.CharField(max_length=16, blank=True)
    owner_id = models.PositiveIntegerField(null=True)
    caption = models.ForeignKey("videos.Caption", null=True, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=16, choices=MatchField.choices)
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField()
    start = models.FloatField(null=True)  # caption lines: seconds into the video
    end = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["owner_kind", "owner_id"], name="search_entry_owner")]

    def __str__(self):
        return f"{self.field}: {self.text[:40]}"


class Posting(models.Model):
    term = models.CharField(max_length=40)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="postings")
    # Copied from the entry, so that a lookup reads postings alone (no join): whether it is a caption
    # line's, and for the others whose they are and which field they come from.
    dialogue = models.BooleanField(default=False)
    owner_kind = models.CharField(max_length=16, blank=True)
    owner_id = models.PositiveIntegerField(null=True)
    field = models.CharField(max_length=16, blank=True)
    # False when the term is only the beginning of a word in the entry ("다큐" of "다큐멘터리").
    exact = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["term", "dialogue", "owner_kind"], name="search_posting_term")]

    def __str__(self):
        return self.term


class PendingIndex(models.Model):
    """An object whose entries are out of date: written in the same transaction as the change.

    `search.indexing.index_pending` brings them up to date (a task queued after the change
    commits, and a search before it looks); a row written here cannot be lost with a task.
    """

    owner_kind = models.CharField(max_length=16)  # "page", "person" or "caption"
    owner_id = models.PositiveIntegerField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner_kind", "owner_id"], name="search_pending_once")]

    def __str__(self):
        return f"{self.owner_kind} {self.owner_id}"
