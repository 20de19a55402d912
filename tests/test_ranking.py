"""Scoring only the entries that can matter (`bot.ranking`) decides exactly what scoring every
entry decides, on every question of every table in tests/data and the development set, in
both languages; and it does leave entries unscored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.matching import Matcher
from bot.ranking import TOP, WINDOW
from bot.responder import Responder

DATA = Path(__file__).parent / "data"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"
TEXT_KEYS = ("q", "question", "text", "message")


def _texts(node: Any) -> Iterator[str]:
    """Every question or message of a table, whatever its layout."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, str):
                yield value
            else:
                yield from _texts(value)


def _questions() -> list[str]:
    files = sorted(DATA.glob("**/*.yaml"))
    if DEV.exists():
        files.append(DEV)
    found = {t for f in files for t in _texts(yaml.safe_load(f.read_text(encoding="utf-8")))}
    return sorted(found)


QUESTIONS = _questions()
BY_LANGUAGE = {
    "ru": [q for q in QUESTIONS if any("\u0400" <= c <= "\u04ff" for c in q)],
    "en": [q for q in QUESTIONS if not any("\u0400" <= c <= "\u04ff" for c in q)],
}
"""Each matcher on the questions in its script (a Russian matcher reads no English)."""


def _matchers(real: Responder) -> dict[str, Matcher]:
    """The responder's own matchers, one per language it reads."""
    found = {"en": real.matcher}
    for language, localised in real._localised.items():
        found[language] = localised.matcher
    return found


def test_the_tables_are_many() -> None:
    assert len(BY_LANGUAGE["en"]) > 3000
    assert len(BY_LANGUAGE["ru"]) > 500


@pytest.mark.parametrize("language", ["en", "ru"])
def test_pruned_ranking_decides_as_the_complete_one(real: Responder, language: str) -> None:
    """The pruned ranking is the head of the complete one, down to the lowest score the
    decision reads, so every decision (`match` ranks only through `_rank`) is the same."""
    matcher = _matchers(real)[language]
    pruned_somewhere = 0
    for question in BY_LANGUAGE[language]:
        analysis = matcher.analyse(question)
        pruned = matcher._rank(analysis)
        complete = matcher._rank(analysis, complete=True)
        assert pruned == complete[: len(pruned)]
        if complete:
            cut = min(complete[0].score - WINDOW, complete[min(TOP, len(complete)) - 1].score)
            assert pruned == [c for c in complete if c.score >= cut]
            assert matcher._decide(analysis, pruned) == matcher._decide(analysis, complete)
        pruned_somewhere += len(pruned) < len(complete)
    assert pruned_somewhere > len(BY_LANGUAGE[language]) // 4  # it does leave entries unscored
