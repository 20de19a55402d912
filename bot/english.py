"""Which words are everyday words (English, Russian), so that typo correction leaves them alone.

A word the knowledge base does not know is read as a typo of a close known word only when it
is not itself a common English word: "gseta" is GRETA mistyped, but "great" (two letters
swapped from "greta") is a word, and "what a great bot" is not about GRETA. The word counts
come from pyspellchecker's English frequency list (built from film subtitles); a word counts as
English from COMMON_COUNT uses, which keeps names like "Isaac" and drops the subtitles' own
typos ("sate").
"""

from __future__ import annotations

from bot.build_cache import BuildCache, fingerprint

COMMON_COUNT = 300
"""Uses in the frequency list from which a word is a common English word."""

_loaded: dict[str, frozenset[str]] = {}
"""Each language's word list, read once per process (it depends on nothing a user sends)."""


def _read(language: str) -> frozenset[str]:
    from spellchecker import SpellChecker  # deferred: only when the list is not cached

    counts = SpellChecker(language=language, distance=1).word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= COMMON_COUNT)


def load_common_words(language: str, cache: BuildCache | None = None) -> frozenset[str]:
    """The everyday words of `language`, read now rather than on a user's first typo; from
    `cache` when it holds them (reading pyspellchecker's compressed list takes 0.1-0.2 s)."""
    kind = f"common-words-{language}"
    key = fingerprint([kind, str(COMMON_COUNT)])
    words = _loaded.get(language)
    if words is None and cache is not None:
        kept = cache.load(kind, key)
        words = kept if isinstance(kept, frozenset) else None
    if words is None:
        words = _read(language)
    if cache is not None and not cache.path(kind, key).exists():
        cache.store(kind, key, words)
    _loaded[language] = words
    return words


def is_common_word(word: str, language: str = "en") -> bool:
    """Whether a folded, lower-case word is an everyday word of `language` (pyspellchecker
    has lists for English and Russian among others)."""
    return word in load_common_words(language)
