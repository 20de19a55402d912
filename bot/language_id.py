"""Which language is a message written in? Script, letters and frequent words, from data.

The data (`bot/language_markers.yaml`) lists, per language, its script, letters only it uses
among the languages here, and short frequent words; this module only counts them. Short
messages defeat statistical identifiers (a general-purpose one read "у меня забрали паспорт"
as Ukrainian and "Hilfe" as Uzbek), while one distinctive letter or word settles most of them.
When nothing decides, the caller's fallback (the sender's Telegram language) is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.knowledge import read_yaml

MARKERS_FILE = Path(__file__).resolve().parent / "language_markers.yaml"
LETTER_POINTS = 2
WORD_POINTS = 1
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


class Markers(BaseModel):
    """What marks one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    script: Literal["latin", "cyrillic"]
    letters: str = ""
    words: tuple[str, ...] = ()
    latin_words: tuple[str, ...] = ()
    """Words of a Cyrillic language typed in Latin letters ("pomogite")."""


class MarkerFile(BaseModel):
    """The whole data file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: dict[str, Markers]


@dataclass(frozen=True)
class _Compiled:
    code: str
    script: str
    letters: frozenset[str]
    words: frozenset[str]
    latin_words: frozenset[str]


@cache
def _languages() -> tuple[_Compiled, ...]:
    data = MarkerFile.model_validate(read_yaml(MARKERS_FILE))
    return tuple(
        _Compiled(
            code,
            m.script,
            frozenset(m.letters),
            frozenset(w.casefold() for w in m.words),
            frozenset(w.casefold() for w in m.latin_words),
        )
        for code, m in data.languages.items()
    )


def known_languages() -> tuple[str, ...]:
    """Every language the markers describe."""
    return tuple(language.code for language in _languages())


def script_of(text: str) -> str | None:
    """'cyrillic', 'latin', 'other' (Arabic, Georgian, ...) by most letters, or None."""
    counts = {"cyrillic": 0, "latin": 0, "other": 0}
    if text.isascii():  # every ASCII letter is a Latin one
        return "latin" if any(map(str.isalpha, text)) else None
    for char in text:
        if not char.isalpha():
            continue
        if char.isascii():
            counts["latin"] += 1
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CYRILLIC"):
            counts["cyrillic"] += 1
        elif name.startswith("LATIN"):
            counts["latin"] += 1
        else:
            counts["other"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def identify(text: str, fallback: str | None = None) -> str | None:
    """The language code of `text`, or `fallback` when its markers do not decide."""
    script = script_of(text)
    if script is None or script == "other":
        return fallback
    folded = text.casefold()
    words = set(_WORD.findall(folded))
    letters = set(folded)
    scores: dict[str, int] = {}
    for language in _languages():
        if language.script == script:
            score = LETTER_POINTS * len(letters & language.letters)
            score += WORD_POINTS * len(words & language.words)
        elif script == "latin":
            score = WORD_POINTS * len(words & language.latin_words)
        else:
            continue
        if score:
            scores[language.code] = score
    if not scores:
        if script == "cyrillic":  # Cyrillic without any marker: Russian is the common language
            return fallback if fallback in ("ru", "uk") else "ru"
        return fallback
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        tied = {code for code, score in ranked if score == ranked[0][1]}
        return fallback if fallback in tied else ranked[0][0]
    return ranked[0][0]
