"""Text → search terms: the same analysis for what is indexed and for what is typed.

Korean is analysed with Kiwi, a morphological analyser whose model ships in the
`kiwipiepy-model` package (nothing is downloaded). Kiwi splits compounds and
takes particles and endings off, so the terms are word roots:

- "겨울정류장" and "겨울 정류장" both give 겨울 + 정류장 (spacing does not matter);
- "기다리는 중이에요" and "기다리다" both give 기다리 (particles and conjugations);
- "걸을까요" and "걷다" both give 걷 (irregular verbs come back to their dictionary root).

Only content words become terms: nouns, verb and adjective roots, adverbs,
numbers, foreign words and hanja. Particles, endings, copulas and punctuation
are dropped, and so are a few English function words ("the", "in"), so "Walking
home in the rain" and "walking home" share every term.

Before analysis the text is normalised: NFKC (full-width "ＡＢＣ" becomes "ABC",
and jamo-by-jamo Hangul from some keyboards becomes syllables), then casefolded.

Kiwi takes about a second and some 280 MB to load, so it is loaded once per
process and only when text is first analysed: processes that never index or
search (task workers busy with video, the payment webhooks) never pay for it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Kiwi's part-of-speech tags worth searching for (irregular verbs carry a suffix: VV-I, VA-R).
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SN", "SH", "XR", "VV", "VA", "MAG"})
ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by for from has he i in is it its of on or she that the to was we were with you".split()
)
MAX_TERM_LENGTH = 40
# Partial words: a term of the index also answers to its beginnings from this many characters.
MIN_PREFIX = 2
MAX_PREFIX = 12

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")

_kiwi = None
_kiwi_lock = threading.Lock()


def kiwi():
    """The process's Kiwi, loaded on first use."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def kiwi_loaded() -> bool:
    return _kiwi is not None


def normalise(text: str) -> str:
    """NFKC, casefolded, single-spaced: what both sides of a search are compared in."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


@dataclass(frozen=True)
class Term:
    text: str
    tag: str

    @property
    def is_noun_like(self) -> bool:
        """Nouns, names and foreign words: the terms whose beginnings also find them."""
        return self.tag in {"NNG", "NNP", "SL", "SH", "XR"}


def _base_tag(tag: str) -> str:
    return tag.split("-", 1)[0]


def _terms_of(tokens) -> Iterator[Term]:
    for token in tokens:
        tag = _base_tag(token.tag)
        if tag not in CONTENT_TAGS:
            continue
        form = token.form.casefold()
        if tag == "SL":
            for word in _LATIN_WORD.findall(form):
                word = _latin(word)
                if word and word not in ENGLISH_STOPWORDS:
                    yield Term(word[:MAX_TERM_LENGTH], tag)
            continue
        if form:
            yield Term(form[:MAX_TERM_LENGTH], tag)


def _latin(word: str) -> str:
    """A Latin word as indexed: apostrophes and hyphens inside it dropped ("seo-yeon" → "seoyeon")."""
    return re.sub(r"[-'’]", "", word)


def terms(text: str) -> list[Term]:
    """The content terms of `text`, in order, repeats kept."""
    text = normalise(text)
    if not text:
        return []
    return list(_terms_of(kiwi().tokenize(text)))


def terms_of_many(texts: Iterable[str]) -> list[list[Term]]:
    """`terms` for many texts at once (Kiwi analyses a batch faster than one by one)."""
    texts = [normalise(text) for text in texts]
    analysed = kiwi().tokenize([text or " " for text in texts])
    return [list(_terms_of(tokens)) if text else [] for text, tokens in zip(texts, analysed, strict=True)]


def query_terms(query: str, limit: int = 10) -> list[str]:
    """The distinct terms of a query, in order, at most `limit`."""
    return list(dict.fromkeys(term.text for term in terms(query)))[:limit]


def query_words(query: str, limit: int = 10) -> list[tuple[frozenset[str], ...]]:
    """The query word by word (at most `limit` words), each as the ways it may be found.

    A word is found when an entry holds every term Kiwi makes of it ("정류장에서" → 정류장),
    or the word as typed ("다큐멘", which Kiwi reads as 다큐 + a verb, is the beginning
    of 다큐멘터리). Words that hold no content ("의", "the") are left out.
    """
    text = normalise(query)
    if not text:
        return []
    tokens = kiwi().tokenize(text)
    words = []
    offset = 0
    for raw in text.split(" "):
        start, end = offset, offset + len(raw)
        offset = end + 1
        analysed = frozenset(term.text for term in _terms_of(t for t in tokens if start <= t.start < end))
        as_typed = _as_typed(raw)
        ways = (analysed,) if not as_typed or {as_typed} == analysed else (analysed, frozenset({as_typed}))
        if analysed and ways not in words:
            words.append(ways)
    return words[:limit]


def _as_typed(word: str) -> str:
    word = _latin(re.sub(r"[^\w'’-]", "", word))
    if len(word) < MIN_PREFIX or word in ENGLISH_STOPWORDS:
        return ""
    return word[:MAX_TERM_LENGTH]


def name_terms(name: str) -> set[str]:
    """Extra terms for a person's name, beyond what Kiwi makes of it.

    Kiwi reads a whole Korean name ("박서연") as one noun, so the given name
    ("서연") and the name without spaces are added; romanised names are
    indexed word by word and joined ("Park Seo-yeon" → park, seoyeon, parkseoyeon).
    """
    name = normalise(name)
    extra = set()
    compact = name.replace(" ", "")
    if _HANGUL.search(compact):
        extra.add(compact)
        if 3 <= len(compact) <= 4:
            extra.add(compact[1:])  # the usual one-syllable surname taken off
    else:
        words = [_latin(word) for word in _LATIN_WORD.findall(name)]
        extra.update(word for word in words if word)
        if len(words) > 1:
            extra.add("".join(words))
    return {term[:MAX_TERM_LENGTH] for term in extra if term}


def prefixes(term: str) -> list[str]:
    """The beginnings of `term` that also find it: "다큐멘터리" → 다큐, 다큐멘, 다큐멘터."""
    return [term[:length] for length in range(MIN_PREFIX, min(len(term), MAX_PREFIX + 1))]
