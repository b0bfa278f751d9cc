"""Site search over films, funding projects and people.

Used by the search page and the search API; no request objects in here.

How a query finds things, in order of rank:

1. **Prefix match on titles and names** (`autocomplete`): every word of the
   query may be the *start* of a word in a title (Korean or English), original
   title or a person's name. This is what makes Korean work: Korean writes
   compound words without spaces ("졸업작품"), neither PostgreSQL's "simple"
   text-search configuration nor SQLite FTS5's unicode61 tokenizer splits
   them, so a plain search for "졸업" finds nothing, but the prefix "졸업*" does.
2. **Whole-word full-text search** (`search`) over everything indexed: titles,
   logline, synopsis, genres and the names of credited people.
3. **A bounded substring fallback** (`icontains`) on titles, loglines and names,
   only when 1 and 2 found less than one page, and at most one page more. It
   catches a Korean word *inside* a compound ("작품" in "졸업작품") and the
   middle of a name ("서연" in "박서연"), which no tokenizer here can.
4. **Titles and names with other spacing**: Korean spacing is loose, so people
   type "겨울정류장" or "겨울 정류 장" for "겨울 정류장". Titles (Korean,
   English, original) and names are compared with the query with every space
   taken out of both (`replace(title, ' ', '')`, the same SQL function on
   PostgreSQL and SQLite); bounded like 3.
5. **Words spoken in the film**: a substring match on the caption text of the
   film's main video (`Caption.text`), ranked after everything written about it.

The same code runs on both databases: Wagtail's database backend picks the
PostgreSQL full-text backend on PostgreSQL and SQLite FTS5 on SQLite (see
`WAGTAILSEARCH_BACKENDS`). Only letters and digits reach the full-text
backends, because FTS5 treats `"`, `*`, `:` and friends as query syntax (a
lone `"` is an "unterminated string" error); the substring fallback gets the
query as typed, which the ORM escapes (`%` and `_` are literal there).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _
from modelsearch.query import And, PlainText
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backend

from films.models import FilmPage, FundingProjectPage, Person

MAX_QUERY_LENGTH = 100
MAX_TERMS = 10
# Hits kept per kind. A student-film catalogue has hundreds of films, not
# millions; past ten pages a visitor refines the query instead.
MAX_HITS_PER_KIND = 240
PER_PAGE = 24
PERSON_PHOTO_FILTER = "fill-160x160|format-webp"

_WORD = re.compile(r"\w+")


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


def search_terms(query: str) -> list[str]:
    """The words of the query for the full-text backends: letters and digits only, no query syntax."""
    return _WORD.findall(query)[:MAX_TERMS]


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


def matching_ids(kind: _Kind, query: str) -> list[int]:
    """Primary keys of the objects of one kind matching `query`, best first (see the module docstring)."""
    if not query:
        return []
    backend = get_search_backend()
    queryset = kind.searchable().only("pk")
    ranked: dict[int, None] = {}  # an ordered set

    if terms := search_terms(query):
        # One PlainText per word: the autocomplete compilers treat the *last*
        # word of a PlainText as a prefix, so this makes every word a prefix.
        every_word_a_prefix = And([PlainText(term) for term in terms])
        ranked.update(dict.fromkeys(_ids(backend.autocomplete(every_word_a_prefix, queryset)[:MAX_HITS_PER_KIND])))
        ranked.update(dict.fromkeys(_ids(backend.search(" ".join(terms), queryset)[:MAX_HITS_PER_KIND])))

    if len(ranked) < PER_PAGE:
        contains = Q()
        for field_name in kind.substring_fields:
            contains |= Q(**{f"{field_name}__icontains": query})
        extra = queryset.filter(contains).exclude(pk__in=list(ranked)).order_by("-pk")[:PER_PAGE]
        ranked.update(dict.fromkeys(_ids(extra)))

    compact = "".join(query.split())
    if len(ranked) < PER_PAGE and compact:
        ranked.update(dict.fromkeys(_ids(_spacing_insensitive(kind, queryset, compact, exclude=list(ranked)))))

    if kind.model is not Person and len(ranked) < MAX_HITS_PER_KIND:
        # Words spoken in the film: its captions' text, ranked after everything written about it.
        spoken = (
            queryset.filter(main_video__captions__text__icontains=query)
            .exclude(pk__in=list(ranked))
            .distinct()
            .order_by("-pk")[:PER_PAGE]
        )
        ranked.update(dict.fromkeys(_ids(spoken)))

    return list(ranked)[:MAX_HITS_PER_KIND]


def _spacing_insensitive(kind: _Kind, queryset, compact: str, *, exclude: list[int]):
    """At most a page of objects whose title or name, spaces taken out, contains `compact` (a query without spaces)."""
    without_spaces = {f"{name}_without_spaces": Replace(F(name), Value(" "), Value("")) for name in kind.title_fields}
    matches = Q()
    for alias in without_spaces:
        matches |= Q(**{f"{alias}__icontains": compact})
    return queryset.alias(**without_spaces).filter(matches).exclude(pk__in=exclude).order_by("-pk")[:PER_PAGE]


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
    return SearchOutcome(query=query, ids={kind: matching_ids(KINDS[kind], query) for kind in wanted})


def load_hits(hits: Sequence[tuple[str, int]]) -> list[tuple[str, models.Model]]:
    """`(kind, object)` for a page of hits, in order, with one query (plus prefetches) per kind."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk in hits:
        by_kind.setdefault(kind, []).append(pk)
    loaded = {kind: {obj.pk: obj for obj in load(kind, ids)} for kind, ids in by_kind.items()}
    return [(kind, loaded[kind][pk]) for kind, pk in hits if pk in loaded[kind]]
