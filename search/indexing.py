"""Writing the search index (`search.models`): one object's entries at a time, or everything.

`index_page`, `index_person` and `index_caption` replace every entry of one
object in one transaction, from the object as it is in the database now: an
unpublished, private or deleted page, or a deleted caption track, ends with no
entries. `search.tasks` runs them after the changes (`search.signals`), so the
analyser is loaded by whoever runs the tasks, not by every web process.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from films.models import FilmBasePage, FilmPage, FundingProjectPage, Person
from videos import storage
from videos.captions import ANY_TAG, parse
from videos.models import Caption

from . import analysis
from .models import Entry, PendingIndex, Posting

_SENTENCE_END = re.compile(r"(?<=[.!?。…])\s+|\n+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
MAX_ENTRY_TEXT = 500


@dataclass
class _Draft:
    field: str
    text: str
    language: str = ""
    start: float | None = None
    end: float | None = None
    extra_terms: set[str] = dataclasses.field(default_factory=set)


@dataclass
class _Owner:
    kind: str = ""
    id: int | None = None
    caption: Caption | None = None
    drafts: list[_Draft] = dataclasses.field(default_factory=list)

    def add(self, field_name: str, text: str, *, language: str = "", **extra) -> None:
        text = " ".join((text or "").split())
        if text:
            self.drafts.append(_Draft(field_name, text[:MAX_ENTRY_TEXT], language or _language_of(text), **extra))

    def add_sentences(self, field_name: str, rich_text: str, *, language: str = "") -> None:
        for sentence in _SENTENCE_END.split(plain_text(rich_text)):
            self.add(field_name, sentence, language=language)

    def add_name(self, field_name: str, name: str) -> None:
        if name:
            self.add(field_name, name, extra_terms=analysis.name_terms(name))


def plain_text(rich_text: str) -> str:
    return html.unescape(strip_tags(rich_text or ""))


def _language_of(text: str) -> str:
    return "ko" if _HANGUL.search(text) else "en"


def _write(owner: _Owner) -> int:
    """Replace the owner's entries with its drafts; the number of entries written."""
    analysed = analysis.terms_of_many(draft.text for draft in owner.drafts) if owner.drafts else []
    dialogue = owner.caption is not None
    with transaction.atomic():
        _existing(owner).delete()
        entries = Entry.objects.bulk_create(
            Entry(
                owner_kind=owner.kind,
                owner_id=owner.id,
                caption=owner.caption,
                field=draft.field,
                language=draft.language,
                text=draft.text,
                start=draft.start,
                end=draft.end,
            )
            for draft in owner.drafts
        )
        postings = []
        for entry, draft, terms in zip(entries, owner.drafts, analysed, strict=True):
            exact = {term.text for term in terms} | draft.extra_terms
            partial = set()
            if not dialogue:
                for term in [*(t.text for t in terms if t.is_noun_like), *draft.extra_terms]:
                    partial.update(analysis.prefixes(term))
            common = {
                "entry": entry,
                "dialogue": dialogue,
                "owner_kind": owner.kind,
                "owner_id": owner.id,
                "field": "" if dialogue else draft.field,
            }
            postings += [Posting(term=term, **common) for term in sorted(exact)]
            postings += [Posting(term=term, exact=False, **common) for term in sorted(partial - exact)]
        Posting.objects.bulk_create(postings, batch_size=2000)
    return len(entries)


def _existing(owner: _Owner):
    if owner.caption is not None:
        return Entry.objects.filter(caption=owner.caption)
    return Entry.objects.filter(owner_kind=owner.kind, owner_id=owner.id)


def page_kind(page) -> str:
    return "project" if isinstance(page, FundingProjectPage) else "film"


def index_page(page_id: int) -> int:
    """(Re)index a film or funding project page; entries go away when it is not live and public."""
    page = FilmBasePage.objects.filter(pk=page_id).specific().first()
    if not isinstance(page, FilmPage | FundingProjectPage):
        Entry.objects.filter(owner_kind__in=["film", "project"], owner_id=page_id).delete()
        return 0
    kind = page_kind(page)
    owner = _Owner(kind, page.pk)
    if FilmBasePage.objects.live().public().filter(pk=page.pk).exists():
        owner.add("title", page.title)
        owner.add("title", page.title_en, language="en")
        owner.add("title", page.original_title)
        owner.add("logline", page.logline)
        owner.add("logline", page.logline_en, language="en")
        owner.add_sentences("synopsis", page.synopsis)
        owner.add_sentences("synopsis", page.synopsis_en, language="en")
        for genre in page.genres.all():
            owner.add("genre", genre.name, language="ko")
            owner.add("genre", genre.name_en, language="en")
        for credit in page.credits.select_related("person"):
            owner.add_name("person", credit.person.name)
            owner.add_name("person", credit.person.name_en)
        if kind == "project":
            for update in page.updates.all():
                owner.add("update", update.title)
                owner.add("update", update.title_en, language="en")
                owner.add_sentences("update", update.body)
                owner.add_sentences("update", update.body_en, language="en")
    # A page of the other kind under the same id cannot exist (ids are the page tree's).
    Entry.objects.filter(owner_kind__in=["film", "project"], owner_id=page.pk).exclude(owner_kind=kind).delete()
    return _write(owner)


def index_person(person_id: int) -> int:
    person = Person.objects.filter(pk=person_id).first()
    owner = _Owner("person", person_id)
    if person is not None:
        owner.add_name("title", person.name)
        owner.add_name("title", person.name_en)
        owner.add_sentences("bio", person.bio)
    return _write(owner)


def caption_cues(caption: Caption):
    """The caption track's cues, read back from the stored WebVTT."""
    cues, _problems, _format = parse(storage.read_text(caption.vtt_key))
    return cues


def index_caption(caption_id: int) -> int:
    """(Re)index the lines of one caption track, each with its time; nothing when it is gone."""
    caption = Caption.objects.filter(pk=caption_id).first()
    if caption is None:
        return 0  # its entries went with it (on delete cascade)
    owner = _Owner(caption=caption)
    for cue in caption_cues(caption):
        text = " ".join(ANY_TAG.sub("", cue.text).split())
        owner.add("dialogue", text, language=caption.language, start=cue.start, end=cue.end)
    return _write(owner)


def pages_crediting(person_id: int) -> list[int]:
    return list(FilmBasePage.objects.filter(credits__person_id=person_id).values_list("pk", flat=True).distinct())


def pages_in_genre(genre_id: int) -> list[int]:
    return list(FilmBasePage.objects.filter(genres__pk=genre_id).values_list("pk", flat=True).distinct())


def rebuild() -> dict[str, int]:
    """Index everything from scratch (`manage.py rebuild_search_index`); the counts of entries by owner kind."""
    started = timezone.now()
    Entry.objects.all().delete()
    counts = {"pages": 0, "people": 0, "captions": 0}
    for page_id in FilmBasePage.objects.values_list("pk", flat=True):
        counts["pages"] += index_page(page_id)
    for person_id in Person.objects.values_list("pk", flat=True):
        counts["people"] += index_person(person_id)
    for caption_id in Caption.objects.values_list("pk", flat=True):
        counts["captions"] += index_caption(caption_id)
    # Everything marked before the rebuild began is in it; later marks stay for the worker.
    PendingIndex.objects.filter(marked_at__lt=started).delete()
    return counts


# Out-of-date objects a search indexes before it looks (the task worker normally has).
CATCH_UP_ON_SEARCH = 50

INDEXERS = {"page": index_page, "person": index_person, "caption": index_caption}


def mark(owner_kind: str, owner_ids) -> None:
    """Note that these objects' entries are out of date (in the caller's transaction)."""
    owner_ids = [pk for pk in owner_ids if pk is not None]
    if not owner_ids:
        return
    PendingIndex.objects.bulk_create(
        [PendingIndex(owner_kind=owner_kind, owner_id=pk) for pk in owner_ids], ignore_conflicts=True
    )
    # Marked again while being indexed: the newer mark must outlive that run's clean-up.
    PendingIndex.objects.filter(owner_kind=owner_kind, owner_id__in=owner_ids).update(marked_at=timezone.now())


def index_pending(limit: int | None = None) -> int:
    """Index the objects marked out of date, oldest first; how many were done.

    Each is indexed under a lock on its mark, so two processes never write the same
    object's entries at once (the second skips it); a mark renewed while its object was
    being indexed stays for the next run.
    """
    done = 0
    for row in list(PendingIndex.objects.order_by("marked_at", "pk")[:limit]):
        with transaction.atomic():
            locked = (
                PendingIndex.objects.select_for_update(skip_locked=True)
                .filter(pk=row.pk, marked_at=row.marked_at)
                .first()
            )
            if locked is None:
                continue
            INDEXERS[locked.owner_kind](locked.owner_id)
            locked.delete()
        done += 1
    return done


def catch_up() -> None:
    """Before a search: index what changed and no worker has indexed yet (a bounded number of objects)."""
    if PendingIndex.objects.exists():
        index_pending(limit=CATCH_UP_ON_SEARCH)
