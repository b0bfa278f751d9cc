"""Site search over films, funding projects and people.

Used by the search page and the search API; no request objects in here.

How a query finds things, in order of rank:

1. **Word roots** (`search.models`, written by `search.indexing`): the query is
   analysed like everything indexed (`search.analysis`: Kiwi for Korean), and a
   result must hold every term of the query: in its titles, the names of the
   people it credits, its genres, logline, synopsis or production updates.
   Spacing, particles and endings do not matter ("겨울정류장" finds "겨울
   정류장", "기다리다" finds "기다리는"), and the beginning of a noun finds it
   ("다큐" finds "다큐멘터리"). A title hit ranks above a synopsis hit, a
   whole word above a beginning.
2. **A bounded substring fallback** (`icontains`) on titles, loglines and names,
   only when 1 found less than one page, and at most one page more. It catches
   what no analyser splits the way the visitor typed it: the middle of a name,
   a few letters inside a word.
3. **Titles and names with other spacing**: titles and names are compared with
   the query with every space taken out of both (`replace(title, ' ', '')`, the
   same SQL function on PostgreSQL and SQLite); bounded like 2.
4. **Words spoken in the film**: caption lines holding every term of the query,
   each with the time it is spoken, ranked after everything written about the film.

Every hit says what it matched (`SearchOutcome.matches`): the field, the text and,
for dialogue, the time. The same code gives the same results on both databases: the
index is looked up by exact term and everything is ranked in Python.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, Prefetch, Q, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from films.models import FilmPage, FundingProjectPage, Person

from . import analysis
from .indexing import catch_up
from .models import FIELD_RANK, Entry, MatchField, Posting

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
# Hits kept per kind. A student-film catalogue has hundreds of films, not
# millions; past ten pages a visitor refines the query instead.
MAX_HITS_PER_KIND = 240
PER_PAGE = 24
PERSON_PHOTO_FILTER = "fill-160x160|format-webp"
# Caption lines looked at per query, and kept per film as its matches.
MAX_DIALOGUE_LINES = 1200
LINES_PER_FILM = 5
MATCHES_PER_HIT = 3


class ResultKind(models.TextChoices):
    FILM = "film", _("Films")
    PROJECT = "project", _("Funding projects")
    PERSON = "person", _("People")


def clean_query(raw: str | None) -> str:
    """The query as we search for it: NFC-normalised, single-spaced, at most MAX_QUERY_LENGTH characters.

    NFC because some keyboards and clipboards hand over Hangul as separate
    jamo (NFD), which would never match the composed syllables we index.
    """
    text = unicodedata.normalize("NFC", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass(frozen=True)
class Match:
    """What one hit matched: the field (`MatchField`), its text and language; `start` for dialogue."""

    kind: str
    text: str
    language: str = ""
    start: float | None = None


@dataclass(frozen=True)
class _Kind:
    """Where one kind of result comes from and which fields the substring fallback looks at."""

    name: str
    model: type[models.Model]
    substring_fields: Sequence[str]
    title_fields: Sequence[str]  # compared without spaces

    def searchable(self):
        if self.model is Person:
            return Person.objects.all()
        # Drafts and pages behind a privacy setting never appear.
        return self.model.objects.live().public()


_FILM_TITLE_FIELDS = ("title", "title_en", "original_title")
_FILM_TEXT_FIELDS = (*_FILM_TITLE_FIELDS, "logline", "logline_en")
KINDS = {
    ResultKind.FILM: _Kind(ResultKind.FILM, FilmPage, _FILM_TEXT_FIELDS, _FILM_TITLE_FIELDS),
    ResultKind.PROJECT: _Kind(ResultKind.PROJECT, FundingProjectPage, _FILM_TEXT_FIELDS, _FILM_TITLE_FIELDS),
    ResultKind.PERSON: _Kind(ResultKind.PERSON, Person, ("name", "name_en"), ("name", "name_en")),
}


def _ids(results: Iterable[models.Model]) -> list[int]:
    return [obj.pk for obj in results]


class _Found:
    """Hits of one kind being collected: ids in rank order, with what each matched."""

    def __init__(self):
        self.matches: dict[int, list[Match]] = {}

    def add(self, pk: int, matches: Sequence[Match] = ()) -> None:
        self.matches.setdefault(pk, []).extend(matches)

    def __contains__(self, pk):
        return pk in self.matches

    def __len__(self):
        return len(self.matches)

    def ids(self) -> list[int]:
        return list(self.matches)


Words = list[tuple[frozenset[str], ...]]  # see analysis.query_words


def _terms(words: Words) -> set[str]:
    return {term for ways in words for way in ways for term in way}


def _found_terms(words: Words, held: set[str]) -> set[str] | None:
    """The terms by which every word of the query is found among `held`, or None when one is missing."""
    found = set()
    for ways in words:
        way = next((way for way in ways if way <= held), None)
        if way is None:
            return None
        found |= way
    return found


def _indexed(kind: _Kind, words: Words) -> list[tuple[int, list[Match]]]:
    """Objects of `kind` whose entries hold every word of the query, best first, with the entries that matched."""
    rows = (
        Posting.objects.filter(term__in=_terms(words), dialogue=False, owner_kind=kind.name)
        .values_list("owner_id", "term", "exact", "field", "entry_id")
        .order_by("entry_id")
    )
    # owner → term → the best (rank, whole word first) entry holding it
    best: dict[int, dict[str, tuple]] = defaultdict(dict)
    for owner_id, term, exact, field_name, entry_id in rows:
        rank = (FIELD_RANK[field_name], not exact)
        held = best[owner_id].get(term)
        if held is None or rank < held[0]:
            best[owner_id][term] = (rank, entry_id)
    scored = []
    for owner_id, by_term in best.items():
        found = _found_terms(words, set(by_term))
        if found is None:
            continue
        used = sorted((by_term[term] for term in found), key=lambda value: value[0])
        key = (max(rank[0] for rank, _entry in used), sum(rank[1] for rank, _entry in used), -owner_id)
        scored.append((key, owner_id, list(dict.fromkeys(entry_id for _rank, entry_id in used))[:MATCHES_PER_HIT]))
    scored.sort(key=lambda item: item[0])
    live = set(
        kind.searchable().filter(pk__in=[owner_id for _key, owner_id, _e in scored]).values_list("pk", flat=True)
    )
    kept = [(owner_id, entry_ids) for _key, owner_id, entry_ids in scored if owner_id in live][:MAX_HITS_PER_KIND]
    # The matched texts, only for the hits kept.
    texts = {
        pk: Match(field_name, text, language)
        for pk, field_name, text, language in Entry.objects.filter(
            pk__in=[entry_id for _owner, entry_ids in kept for entry_id in entry_ids]
        ).values_list("pk", "field", "text", "language")
    }
    return [(owner_id, [texts[entry_id] for entry_id in entry_ids]) for owner_id, entry_ids in kept]


@dataclass(frozen=True)
class SpokenLine:
    video_id: int
    caption_id: int
    language: str
    start: float
    end: float
    text: str


def _entries_holding(ways: tuple[frozenset[str], ...]) -> Q:
    """Caption-line entries holding one word of the query: every term of one of its ways."""
    holding = Q()
    for way in ways:
        postings = Posting.objects.filter(dialogue=True, term__in=way)
        if len(way) > 1:
            postings = postings.values("entry_id").annotate(held=Count("term", distinct=True)).filter(held=len(way))
        holding |= Q(pk__in=postings.values("entry_id"))
    return holding


def dialogue_lines(words: Words, videos=None) -> list[SpokenLine]:
    """Caption lines holding every word of the query, in the order of their videos and times.

    The matching happens in the database (one query, a subquery per word), and only the
    columns a hit shows come back: at most MAX_DIALOGUE_LINES.
    """
    if not words:
        return []
    entries = Entry.objects.filter(caption__isnull=False)
    for ways in words:
        entries = entries.filter(_entries_holding(ways))
    if videos is not None:
        entries = entries.filter(caption__video__in=videos)
    # Entries are written track by track in the order of their times, so their ids are that order,
    # and the database can stop at the limit instead of sorting every match.
    rows = entries.order_by("pk").values_list(
        "caption__video_id", "caption_id", "caption__language", "start", "end", "text"
    )
    return [SpokenLine(*row) for row in rows[:MAX_DIALOGUE_LINES]]


def _spoken(kind: _Kind, words: Words) -> list[tuple[int, list[Match]]]:
    """Films whose main video's captions hold a line with every word of the query, with those lines."""
    if kind.model is not FilmPage or not words:
        return []  # lines are linked to the watch page, which plays films
    lines_by_video: dict[int, list[Match]] = defaultdict(list)
    for line in dialogue_lines(words):
        lines_by_video[line.video_id].append(Match(MatchField.DIALOGUE, line.text, line.language, line.start))
    if not lines_by_video:
        return []
    pages = kind.searchable().filter(main_video_id__in=list(lines_by_video)).values_list("pk", "main_video_id")
    return [(pk, lines_by_video[video_id][:LINES_PER_FILM]) for pk, video_id in sorted(pages, key=lambda row: -row[0])][
        :MAX_HITS_PER_KIND
    ]


def matches_for(kind: _Kind, query: str, words: Words) -> dict[int, list[Match]]:
    """Objects of one kind matching the query, best first (see the module docstring), with what each matched."""
    found = _Found()
    if not query:
        return {}
    queryset = kind.searchable().only("pk")
    if words:
        for pk, matches in _indexed(kind, words):
            found.add(pk, matches)

    if len(found) < PER_PAGE:
        contains = Q()
        for field_name in kind.substring_fields:
            contains |= Q(**{f"{field_name}__icontains": query})
        rows = queryset.filter(contains).exclude(pk__in=found.ids()).order_by("-pk")
        for row in rows.values("pk", *kind.substring_fields)[:PER_PAGE]:
            found.add(row["pk"], _written_match(kind, row, query))

    compact = "".join(query.split())
    if len(found) < PER_PAGE and compact:
        for row in _spacing_insensitive(kind, queryset, compact, exclude=found.ids()):
            found.add(row["pk"], _written_match(kind, row, compact, ignore_spaces=True))

    # Words spoken in the film: its caption lines, after everything written about it; a film
    # found by its title as well keeps the lines that matched, for the dialogue links.
    for pk, lines in _spoken(kind, words):
        if pk in found or len(found) < MAX_HITS_PER_KIND:
            found.add(pk, lines)
    return {pk: found.matches[pk] for pk in found.ids()[:MAX_HITS_PER_KIND]}


def _spacing_insensitive(kind: _Kind, queryset, compact: str, *, exclude: list[int]):
    """At most a page of objects whose title or name, spaces taken out, contains `compact` (a query without spaces)."""
    without_spaces = {f"{name}_without_spaces": Replace(F(name), Value(" "), Value("")) for name in kind.title_fields}
    matches = Q()
    for alias in without_spaces:
        matches |= Q(**{f"{alias}__icontains": compact})
    rows = queryset.alias(**without_spaces).filter(matches).exclude(pk__in=exclude).order_by("-pk")
    return rows.values("pk", *kind.substring_fields)[:PER_PAGE]


def _written_match(kind: _Kind, row: dict, query: str, *, ignore_spaces: bool = False) -> list[Match]:
    """What a substring fallback hit matched: the first of its fields that holds the query."""
    wanted = query.casefold()
    for field_name in kind.substring_fields:
        value = row.get(field_name) or ""
        text = "".join(value.split()) if ignore_spaces else value
        if wanted in text.casefold():
            match_kind = MatchField.LOGLINE if field_name.startswith("logline") else MatchField.TITLE
            return [Match(match_kind, value, "en" if field_name.endswith("_en") else "ko")]
    return []


def load(kind_name: str, ids: Sequence[int]) -> list[models.Model]:
    """The objects for `ids`, in that order, with what a result card needs (no query per result)."""
    if not ids:
        return []
    kind = KINDS[kind_name]
    if kind.model is Person:
        Image = get_image_model()
        objects = Person.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("photo", queryset=Image.objects.prefetch_renditions(PERSON_PHOTO_FILTER))
        )
    else:
        objects = kind.searchable().filter(pk__in=ids).for_cards()
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class SearchOutcome:
    """Every hit of one query, by kind, best first. Objects are loaded per page with `load`."""

    query: str
    ids: dict[str, list[int]] = field(default_factory=dict)
    # (kind, id) → what that hit matched, best first.
    matches: dict[tuple[str, int], list[Match]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(ids) for kind, ids in self.ids.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def hits(self, kind: str | None = None) -> list[tuple[str, int]]:
        """`(kind, id)` pairs of one kind, or of all kinds (films, then projects, then people)."""
        kinds = [kind] if kind else list(self.ids)
        return [(k, pk) for k in kinds for pk in self.ids.get(k, [])]

    def paginator(self, kind: str | None = None, per_page: int = PER_PAGE) -> Paginator:
        return Paginator(self.hits(kind), per_page)


def run_search(query: str, kinds: Iterable[str] | None = None) -> SearchOutcome:
    """Search `query` (already cleaned with `clean_query`) in the given kinds, or in all of them."""
    wanted = list(kinds) if kinds else list(KINDS)
    if not query:
        return SearchOutcome(query=query, ids={kind: [] for kind in wanted})
    catch_up()
    words = analysis.query_words(query, MAX_TERMS)
    outcome = SearchOutcome(query=query)
    for kind in wanted:
        found = matches_for(KINDS[kind], query, words)
        outcome.ids[kind] = list(found)
        outcome.matches.update({(kind, pk): matches for pk, matches in found.items()})
    return outcome


def load_hits(hits: Sequence[tuple[str, int]]) -> list[tuple[str, models.Model]]:
    """`(kind, object)` for a page of hits, in order, with one query (plus prefetches) per kind."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk in hits:
        by_kind.setdefault(kind, []).append(pk)
    loaded = {kind: {obj.pk: obj for obj in load(kind, ids)} for kind, ids in by_kind.items()}
    return [(kind, loaded[kind][pk]) for kind, pk in hits if pk in loaded[kind]]


def watch_url(film, seconds: float) -> str:
    """The watch page of `film`, opening at `seconds` (whole seconds, rounded down)."""
    return reverse("watching:watch_film", args=[film.slug]) + f"?t={int(seconds)}"
