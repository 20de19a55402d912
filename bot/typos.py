"""Typo correction for the matcher: how far a typo may be from the word it is read as, the
neighbouring-letter swaps, and the misspellings written on purpose in phrasings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence

from rapidfuzz import fuzz, process

TYPO_CUTOFF = 80.0
"""rapidfuzz ratio at which an unknown word is taken as a typo of a known one."""
MIN_TYPO_LENGTH = 4
TYPO_PENALTY = 0.3
"""Score points lost per point of difference between a typo and the word it was taken for."""
SWAP_RATIO = 90.0
"""The ratio a typo of two swapped neighbouring letters is scored as (its penalty)."""
RESPELL_CUTOFF = 90.0
"""rapidfuzz ratio at which a rare word of the phrasings is taken as a typo of a common one."""
COMMON_SPELLING_USES = 3
RESPELL_RATIO = 4
"""A misspelling written on purpose in several phrasings ("trafficing") is still one when the
usual spelling is this many times more common; otherwise a user's same typo would match only
the phrasings that share it."""
MIN_RESPELL_LENGTH = 6


SLIP_MIN_LETTERS = 5
SLIP_RATIO = 85.0
"""`slip_of`: one letter missing from seven is 92, one wrong in seven 86, one wrong in five 80
(too far: short words differ by a letter)."""


def slip_of(word: str, words: Collection[str]) -> bool:
    """Whether `word` is one slip from one of a few `words` (outside the matcher: the words
    that ask for help numbers). Words shorter than SLIP_MIN_LETTERS must match exactly."""
    if len(word) < SLIP_MIN_LETTERS or not words:
        return False
    return process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=SLIP_RATIO) is not None


def edit_budget(word: str) -> int:
    """How many edits a typo may be from the word it is read as: one for short words, then one
    more per four letters. A real word two edits from a known one ("story" and "history",
    "hiring" and "chairing") is then left alone, and sinks an off-topic question."""
    return max(1, len(word) // 4)


def swaps(word: str) -> Iterator[str]:
    """`word` with each pair of different neighbouring letters swapped."""
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def typo_spellings(phrasings: Sequence[Sequence[str]]) -> dict[str, str]:
    """Misspelt words in phrasings (written on purpose, like "protocl"), each mapped to the
    common word it misspells: a rare word that is very close to a word used far more often
    (but not that word with a prefix: "unidentified" is not a typo of "identified")."""
    counts: dict[str, int] = defaultdict(int)
    for found in phrasings:
        for word in set(found):
            counts[word] += 1
    common = sorted(w for w, n in counts.items() if n >= COMMON_SPELLING_USES)
    spellings: dict[str, str] = {}
    for word, n in counts.items():
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            continue
        swapped = next(
            (
                w
                for w in swaps(word)
                if counts.get(w, 0) >= max(COMMON_SPELLING_USES, RESPELL_RATIO * n)
            ),
            None,
        )
        if swapped is not None:
            spellings[word] = swapped
            continue
        if len(word) < MIN_RESPELL_LENGTH:
            continue
        close = process.extract(
            word, common, scorer=fuzz.ratio, processor=None, score_cutoff=RESPELL_CUTOFF, limit=2
        )
        best = next((c for c in close if c[0] != word), None)
        if best is not None and counts[best[0]] >= RESPELL_RATIO * n and not word.endswith(best[0]):
            spellings[word] = best[0]
    return spellings


def choices_by_length(choices: Sequence[str]) -> dict[int, list[str]]:
    """For each length of a word to correct, the `choices` (in their order) that can reach
    TYPO_CUTOFF with it: fuzz.ratio is 100 * (1 - indel distance / the two lengths), and the
    indel distance is at least the difference of the lengths. The best choice among these is
    the best among all (a word longer than any here may be compared with every choice)."""
    lengths = [len(choice) for choice in choices]
    by_length: dict[int, list[str]] = {}
    for length in range(MIN_TYPO_LENGTH, 2 * max(lengths, default=0) + 1):
        reach = {
            other
            for other in set(lengths)
            if 100.0 * (1 - abs(length - other) / (length + other)) >= TYPO_CUTOFF - 1e-6
        }
        by_length[length] = [c for c, n in zip(choices, lengths, strict=True) if n in reach]
    return by_length
