"""Korean particles (조사) that agree with the word before them.

Whether a word ends in a final consonant (받침) decides the particle: "영화가" but "작품이",
"영화를" but "작품을". 으로/로 is the exception: a word ending in ㄹ takes 로 ("서울로"),
like a word with no final consonant. Words that end in a Latin letter or a digit are read
aloud in Korean to decide ("film" is read 필름 → "film을", "3" is read 삼 → "3이"). A word whose
reading is unknown (a symbol, an empty string) gets both forms, as Korean writing does:
"ReelVision이(가)".

    >>> josa("김지수", "이/가")
    '김지수가'
"""

from __future__ import annotations

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # index of ㄹ among the final consonants

# Pairs as written: the form after a final consonant first, the form after a vowel second.
PAIRS = {
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이에요/예요": ("이에요", "예요"),
    "아/야": ("아", "야"),
}

# How the last digit is read (일, 이, 삼, …): whether it ends in a final consonant, and in ㄹ.
# 0 공/영 and 3 삼, 6 육, 10 십 end in a consonant; 1 일, 7 칠, 8 팔 in ㄹ.
DIGIT_ENDINGS = {
    "0": "consonant",
    "1": "rieul",
    "2": "vowel",
    "3": "consonant",
    "4": "vowel",
    "5": "vowel",
    "6": "consonant",
    "7": "rieul",
    "8": "rieul",
    "9": "vowel",
}

# English words as Koreans read them: a word ending in m, n, ng, k, p, b, t, d, g or ck ends in
# a final consonant ("film" → 필름), in l in ㄹ ("Seoul" → 서울); anything else in a vowel
# ("movie" → 무비). Good enough for names and titles.
LATIN_SINGLE_LETTER = {  # an acronym ends in the letter's name: "KBS" → 에스, "CGV" → 브이
    "l": "rieul",
    "m": "consonant",
    "n": "consonant",
    "r": "rieul",
}


def _ending(word: str) -> str | None:
    """How `word` ends when read aloud: "consonant", "rieul", "vowel", or None when unknown."""
    word = word.rstrip(" )]}\"'”’」』.,!?")
    if not word:
        return None
    last = word[-1]
    code = ord(last)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        final = (code - HANGUL_FIRST) % 28
        if final == 0:
            return "vowel"
        return "rieul" if final == RIEUL else "consonant"
    if last.isdigit() and last.isascii():
        return DIGIT_ENDINGS[last]
    if last.isascii() and last.isalpha():
        letters = "".join(ch for ch in word[-4:] if ch.isascii() and ch.isalpha())
        if letters.isupper():  # an acronym is read letter by letter
            return LATIN_SINGLE_LETTER.get(last.lower(), "vowel")
        lower = letters.lower()
        if lower.endswith("le") or lower.endswith("l"):
            return "rieul"
        if lower.endswith("ng") or lower.endswith("ck") or lower[-1] in "mnkpbtdg":
            return "consonant"
        return "vowel"
    return None


def particle(word: str, pair: str) -> str:
    """The particle of `pair` ("이/가", "을/를", "은/는", "과/와", "으로/로") that follows `word`."""
    after_consonant, after_vowel = PAIRS[pair]
    ending = _ending(str(word))
    if ending is None:
        return f"{after_consonant}({after_vowel})"
    if pair == "으로/로":
        return after_consonant if ending == "consonant" else after_vowel
    return after_vowel if ending == "vowel" else after_consonant


def josa(word, pair: str) -> str:
    """`word` followed by the particle of `pair` that agrees with it: josa("영화", "을/를") → "영화를"."""
    return f"{word}{particle(str(word), pair)}"


# Both forms written out, as translators write them when they cannot know the word: "을(를)",
# "(으)로". `agree` picks the one that fits the word before it.
_WRITTEN_BOTH = {
    "이(가)": "이/가",
    "가(이)": "이/가",
    "을(를)": "을/를",
    "를(을)": "을/를",
    "은(는)": "은/는",
    "는(은)": "은/는",
    "과(와)": "과/와",
    "와(과)": "과/와",
    "(으)로": "으로/로",
    "(이)에요": "이에요/예요",
}
_CLOSING_QUOTES = ("", '"', "”", "’", "'", "」", "』", ")")


def agree(text: str, words) -> str:
    """`text` with each particle written both ways ("을(를)") right after one of `words` made to agree.

    For translated messages that insert a name or title: the translation writes "%(title)s을(를)"
    and this turns "영화을(를)" into "영화를". A closing quote may stand between word and particle.
    """
    for word in sorted({str(w) for w in words if w}, key=len, reverse=True):
        for both, pair in _WRITTEN_BOTH.items():
            for quote in _CLOSING_QUOTES:
                written = f"{word}{quote}{both}"
                if written in text:
                    text = text.replace(written, f"{word}{quote}{particle(word, pair)}")
    return text
