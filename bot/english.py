"""Which words are everyday words (English, Russian), so that typo correction leaves them alone.

A word the knowledge base does not know is read as a typo of a close known word only when it
is not itself a common English word: "gseta" is GRETA mistyped, but "great" (two letters
swapped from "greta") is a word, and "what a great bot" is not about GRETA. The word counts
come from pyspellchecker's English frequency list (built from film subtitles); a word counts as
English from COMMON_COUNT uses, which keeps names like "Isaac" and drops the subtitles' own
typos ("sate").
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker

COMMON_COUNT = 300
"""Uses in the frequency list from which a word is a common English word."""


@lru_cache(maxsize=4)
def _common_words(language: str) -> frozenset[str]:
    counts = SpellChecker(language=language, distance=1).word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= COMMON_COUNT)


def is_common_word(word: str, language: str = "en") -> bool:
    """Whether a folded, lower-case word is an everyday word of `language` (pyspellchecker
    has lists for English and Russian among others)."""
    return word in _common_words(language)
