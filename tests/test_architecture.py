"""The core stays pure: no Telegram, no clock, no environment; one owner per library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE = [
    "schema",
    "knowledge",
    "text",
    "matching",
    "entries",
    "answers",
    "awareness",
    "responder",
    "rendering",
    "validation",
    "evaluation",
    "dates",
    "announcement",
    "calendar_ics",
    "day_replies",
    "safety",
    "safety_reply",
    "flood",
    "live",
    "misses",
    "english",
    "distress",
    "language_id",
    "safety_guide",
    "answerability",
    "phrasing_coverage",
    "curation",
    "i18n",
    "lookups",
    "translation_checks",
    "languages",
    "membership",
    "lookup_base",
    "lookups_structures",
    "entry",
    "entries_structures",
    "entries_people",
    "entries_days_help",
    "deciding",
    "typos",
    "knowledge_base",
    "references",
]


def imports_of(module: str) -> set[str]:
    return imports_of_path(BOT / f"{module}.py")


@pytest.mark.parametrize("module", CORE)
def test_core_imports_no_telegram_and_no_environment(module: str) -> None:
    imported = imports_of(module)
    assert not any(name.split(".")[0] == "telegram" for name in imported)
    assert not any(name.startswith("bot.telegram") for name in imported)
    assert "os" not in imported
    assert "bot.settings" not in imported


@pytest.mark.parametrize("module", CORE)
def test_core_reads_no_clock(module: str) -> None:
    source = (BOT / f"{module}.py").read_text(encoding="utf-8")
    for call in ("date.today(", "datetime.now(", "time.time(", ".utcnow("):
        assert call not in source, f"{module} reads the clock with {call}"


@pytest.mark.parametrize(
    ("library", "owner"),
    [("yaml", "knowledge"), ("rapidfuzz", None), ("snowballstemmer", "text"), ("babel", "i18n")],
)
def test_one_module_owns_each_library(library: str, owner: str | None) -> None:
    owners = {
        path.stem
        for path in BOT.rglob("*.py")
        if any(name.split(".")[0] == library for name in imports_of_path(path))
    }
    if owner is not None:
        assert owners == {owner}
    else:  # rapidfuzz: the matcher, the country-name lookup (membership), and the
        # validation note on phrasings that say the same
        assert owners <= {"matching", "typos", "membership", "phrasing_coverage"}


def imports_of_path(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_only_settings_reads_the_environment() -> None:
    readers = {
        path.stem
        for path in BOT.rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8")
        or "os.getenv" in path.read_text(encoding="utf-8")
    }
    assert readers <= {"settings"}
