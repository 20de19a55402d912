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
