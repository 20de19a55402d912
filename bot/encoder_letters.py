"""Letters the sentence encoder cannot read, spelled in letters it can (`encoder_letters.yaml`).

The encoder (USE multilingual v3) has no vocabulary piece for Georgian or Armenian letters, nor
for several Romanian and Turkic Cyrillic ones: a word in them falls apart into "unknown" pieces
and every message in that script looks like every other one. The data file says, per script,
what each letter becomes and why; this module only applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.knowledge import KnowledgeError, read_yaml

LETTERS_FILE = Path(__file__).resolve().parent / "encoder_letters.yaml"


class _Script(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    script: str = Field(min_length=1)
    reason: str = Field(min_length=10)
    letters: dict[str, str] = Field(min_length=1)

    @field_validator("letters")
    @classmethod
    def _not_ascii(cls, letters: dict[str, str]) -> dict[str, str]:
        for letters_in in letters:
            if not letters_in or letters_in.isascii():
                raise ValueError(f"{letters_in!r}: only unreadable letters belong here")
        return letters


class _LetterFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scripts: tuple[_Script, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _final(self) -> _LetterFile:
        replaced = {letter for script in self.scripts for seq in script.letters for letter in seq}
        for script in self.scripts:
            for letters_in, replacement in script.letters.items():
                if replaced.intersection(replacement):
                    raise ValueError(f"{letters_in!r}: {replacement!r} has a replaced letter")
        return self


@dataclass(frozen=True)
class _Letters:
    sequences: dict[str, str]
    pattern: re.Pattern[str] | None
    """The sequences, longest first, as one expression (None when there are none)."""
    table: dict[int, str]
    """The single letters, for str.translate."""


def read_letters(path: Path) -> tuple[tuple[str, dict[str, str]], ...]:
    """(script, its letters and their replacements) from a letters file; raises ValueError."""
    try:
        data = read_yaml(path)
    except KnowledgeError as exc:
        raise ValueError(f"{path.name}: " + "; ".join(p.reason for p in exc.problems)) from None
    scripts = _LetterFile.model_validate(data).scripts
    return tuple((script.script, script.letters) for script in scripts)


@cache
def _letters() -> _Letters:
    single: dict[str, str] = {}
    sequences: dict[str, str] = {}
    for _script, letters in read_letters(LETTERS_FILE):
        for letters_in, replacement in letters.items():
            (sequences if len(letters_in) > 1 else single)[letters_in] = replacement
    for letter, replacement in list(single.items()):
        upper = letter.upper()
        if len(upper) == 1 and upper != letter:
            single.setdefault(upper, replacement.capitalize())
    ordered = sorted(sequences, key=lambda seq: (-len(seq), seq))
    pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
    return _Letters(sequences, pattern, str.maketrans(single))


def readable_letters(text: str) -> str:
    """`text` with the letters the encoder cannot read spelled in letters it can."""
    if text.isascii():
        return text
    letters = _letters()
    if letters.pattern is not None:
        text = letters.pattern.sub(lambda found: letters.sequences[found.group()], text)
    return text.translate(letters.table)
