"""Autocomplete: titles, people and genres that start like what the visitor is typing, typos forgiven.

Suggestions come from what the search index holds (titles of live films and
projects, people's names, genres), so they never offer what a search would not
find. Both sides are compared as Hangul letters (jamo), so a syllable still being
typed counts: "겨우" (on the way to "겨울") and "겨울저" (on the way to
"겨울정류장") are beginnings of "겨울 정류장". A final consonant counts as the
next syllable's first ("달" on the way to "다른").

Ranked: the whole name starts with the query, then one of its words does, then it
contains it, then a near miss: the beginning of the name, or of one of its words,
within one typo (two for longer queries) of the query, counted in jamo, so "겨을"
finds "겨울 정류장" and "lighthuose" finds "The Lighthouse Keeper's Song".

The list is kept in memory per process and rebuilt when the index changes (one
cheap aggregate query per request tells).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.db.models import Count, Max
from rapidfuzz.distance import Levenshtein

from .analysis import normalise
from .indexing import catch_up
from .models import Entry, MatchField

MAX_SUGGESTIONS = 8
MAX_QUERY = 50


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "film", "project", "person" or "genre"
    id: int | None  # page or person id; None for genres
    text: str


@cache
def _jamo_table() -> dict[str, str]:
    """Final consonants → the same consonant(s) as a syllable's first ("ᆯ" → "ᄅ", "ᆪ" → "ᄀᄉ")."""
    table = {}
    for code in range(0x11A8, 0x11C3):
        name = unicodedata.name(chr(code))
        parts = name.removeprefix("HANGUL JONGSEONG ").split("-")
        try:
            table[chr(code)] = "".join(unicodedata.lookup(f"HANGUL CHOSEONG {part}") for part in parts)
        except KeyError:
            table[chr(code)] = chr(code)
    return table


def key(text: str) -> str:
    """`text` as compared: normalised, spaces out, Hangul spelled as letters."""
    letters = unicodedata.normalize("NFD", normalise(text).replace(" ", ""))
    table = _jamo_table()
    return "".join(table.get(char, char) for char in letters)


@dataclass(frozen=True)
class _Candidate:
    suggestion: Suggestion
    whole: str
    words: tuple[str, ...]


class _Candidates:
    def __init__(self):
        self._lock = threading.Lock()
        self._fingerprint = None
        self._items: list[_Candidate] = []

    def get(self) -> list[_Candidate]:
        entries = Entry.objects.filter(caption__isnull=True, field__in=[MatchField.TITLE, MatchField.GENRE])
        fingerprint = tuple(entries.aggregate(last=Max("id"), count=Count("id")).values())
        with self._lock:
            if fingerprint != self._fingerprint:
                self._items = _build(entries)
                self._fingerprint = fingerprint
            return self._items


def _build(entries) -> list[_Candidate]:
    seen = set()
    items = []
    for owner_kind, owner_id, field, text in entries.order_by("owner_kind", "-owner_id", "id").values_list(
        "owner_kind", "owner_id", "field", "text"
    ):
        if field == MatchField.GENRE:
            suggestion = Suggestion("genre", None, text)
        else:
            suggestion = Suggestion(owner_kind, owner_id, text)
        if suggestion in seen:
            continue
        seen.add(suggestion)
        items.append(_Candidate(suggestion, key(text), tuple(key(word) for word in normalise(text).split())))
    return items


_candidates = _Candidates()


def _rank(query: str, candidate: _Candidate) -> tuple | None:
    if candidate.whole.startswith(query):
        return (0, 0)
    if any(word.startswith(query) for word in candidate.words):
        return (1, 0)
    if query in candidate.whole:
        return (2, 0)
    allowed = 2 if len(query) >= 8 else 1 if len(query) >= 3 else 0
    if not allowed:
        return None
    beginnings = [candidate.whole, *candidate.words]
    distance = min(
        Levenshtein.distance(query, text[: len(query) + extra], score_cutoff=allowed)
        for text in beginnings
        for extra in (-1, 0, 1)
    )
    return (3, distance) if distance <= allowed else None


def suggest(query: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """At most `limit` suggestions for what has been typed so far, best first; one per film, person or genre."""
    query = key(query[:MAX_QUERY])
    if not query:
        return []
    catch_up()
    ranked = []
    for order, candidate in enumerate(_candidates.get()):
        rank = _rank(query, candidate)
        if rank is not None:
            ranked.append((rank, len(candidate.whole), order, candidate.suggestion))
    ranked.sort(key=lambda item: item[:3])
    picked: list[Suggestion] = []
    owners = set()
    for *_key, suggestion in ranked:
        owner = (suggestion.kind, suggestion.id if suggestion.id is not None else suggestion.text)
        if owner not in owners:
            owners.add(owner)
            picked.append(suggestion)
        if len(picked) == limit:
            break
    return picked
