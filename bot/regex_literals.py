"""Strings one of which every match of a regular expression must contain, to skip patterns
that cannot match a text with a plain substring test.

A language file has about 160 phrase patterns, applied one after another to every question
and phrasing; scanning a short text 160 times is most of the cost of reading it. Most
patterns need a word ("trafficking", "co") that the text lacks, and `str.__contains__` finds
that out far faster than the regular expression engine. The analysis is conservative: when
it cannot be sure what a match contains (case-insensitive patterns, character classes,
optional parts, look-arounds), it gives no strings, and the pattern is always applied.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

_sre_parse: Any
_sre_constants: Any
try:  # the standard library's parser of regular expressions (private: re._parser, 3.11+)
    _sre_parse = importlib.import_module("re._parser")
    _sre_constants = importlib.import_module("re._constants")
except ImportError:  # a Python without it: every pattern is then always run
    _sre_parse = None

Literals = frozenset[str] | None
"""One of these strings is in every match; None: nothing is known."""

MIN_LENGTH = 2
"""Shorter required strings are found in nearly every text: no use as a filter."""


def required_literals(pattern: re.Pattern[str]) -> Literals:
    """Strings one of which is in every match of `pattern`, or None when unsure."""
    if _sre_parse is None or pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an analysis that fails only costs speed
        return None
    return _sequence(list(parsed))


def _sequence(items: list[tuple[Any, Any]]) -> Literals:
    """The most selective requirement of a sequence: each of its parts must match."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, argument in [*items, (None, None)]:
        if op is _sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        if op is _sre_constants.AT:
            continue  # an anchor takes no characters, so a run of letters goes on after it
        found = _item(op, argument)
        if found is not None:
            options.append(found)
    usable = [o for o in options if min(map(len, o)) >= MIN_LENGTH]
    if not usable:
        return None
    return max(usable, key=lambda o: (min(map(len, o)), -len(o)))


def _item(op: Any, argument: Any) -> Literals:
    if op is _sre_constants.SUBPATTERN:
        return _sequence(list(argument[-1]))
    if op is _sre_constants.BRANCH:
        found: set[str] = set()
        for branch in argument[1]:
            branch_literals = _sequence(list(branch))
            if branch_literals is None:
                return None
            found |= branch_literals
        return frozenset(found)
    if op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT) and argument[0] >= 1:
        return _sequence(list(argument[2]))
    return None


class LiteralFinder:
    """Which of many strings occur in a text, found in one scan of it rather than one search
    per string: a regular expression that, at each position, follows a trie of the strings to
    the longest one starting there; every string that starts there too is a prefix of it."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals = frozenset(literals)
        self._longest = re.compile(f"(?=({_trie(self.literals)}))") if self.literals else None
        self._prefixes = {
            longest: frozenset(s for s in self.literals if longest.startswith(s))
            for longest in self.literals
        }

    def found_in(self, text: str) -> set[str]:
        """The strings that occur in `text`."""
        if self._longest is None:
            return set()
        return set().union(*map(self._prefixes.__getitem__, self._longest.findall(text)))


def _trie(strings: Iterable[str]) -> str:
    """A regular expression matching any of `strings` (none empty at the top), the longer
    first: branches by first character, then the rest of each string."""
    rests: dict[str, set[str]] = {}
    ends = False
    for string in strings:
        if string:
            rests.setdefault(string[0], set()).add(string[1:])
        else:
            ends = True
    branches = [re.escape(first) + _trie(rest) for first, rest in sorted(rests.items())]
    if ends and branches:
        branches.append("")  # a string ends here: tried only when no longer one matches
    if len(branches) <= 1:
        return "".join(branches)
    return "(?:" + "|".join(branches) + ")"
