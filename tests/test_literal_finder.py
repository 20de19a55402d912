"""`LiteralFinder` finds exactly the strings a search for each one finds, overlapping, nested
and sharing prefixes included."""

from __future__ import annotations

import random

from bot.regex_literals import LiteralFinder
from bot.text import ENGLISH, normaliser


def _naive(literals: frozenset[str], text: str) -> set[str]:
    return {literal for literal in literals if literal in text}


def test_nested_and_overlapping_strings() -> None:
    finder = LiteralFinder(["who", "who ", "who are you", "are you ", "o a", "(.*)"])
    text = " who are you (.*) "
    assert finder.found_in(text) == _naive(finder.literals, text)
    assert finder.found_in(" whom ") == {"who"}
    assert LiteralFinder([]).found_in("anything") == set()


def test_same_as_searching_each_string_on_random_texts() -> None:
    rng = random.Random(7)
    for reader in (ENGLISH, normaliser("ru")):
        literals = reader._literals.literals
        alphabet = "".join(sorted(set("".join(literals)))) + " x"
        pieces = sorted(literals)
        for _ in range(2000):
            parts = [rng.choice(pieces) if rng.random() < 0.3 else rng.choice(alphabet)]
            for _ in range(rng.randint(0, 12)):
                parts.append(rng.choice(pieces) if rng.random() < 0.3 else rng.choice(alphabet))
            text = "".join(parts)
            assert reader._literals.found_in(text) == _naive(literals, text)
