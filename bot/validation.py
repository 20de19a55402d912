"""Whole-base checks run by `oscebot validate`, at start-up and in CI.

Loading (`knowledge.load_knowledge`) already checks each record and the references between
them. This module adds what needs the matcher: entry ids that clash between hand-written and
generated entries, and collisions — phrasings that the matcher sends to another entry, or
cannot tell apart from another entry's, so that a user asking them would not get this answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.announcement import announcement_record, next_announcement_year, stale_office_holders
from bot.curation import check_sources
from bot.distress import EXEMPLARS_FILE, ExemplarError, load_exemplars
from bot.entries import Entry
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.matching import ANSWER_MARGIN, Matcher
from bot.responder import Responder
from bot.text import tokens


@dataclass(frozen=True)
class Collision:
    """A phrasing of `entry` that the matcher does not confidently send to `entry`."""

    entry: Entry
    phrasing: str
    other: Entry
    own_score: float
    other_score: float


def _locate(kb: KnowledgeBase, entry: Entry, field: str) -> tuple[str, int]:
    location = kb.locations.get(entry.record or "")
    if location is None:
        return ("(generated)", 0)
    return (location.file, location.of(field))


def find_collisions(entries: tuple[Entry, ...], matcher: Matcher) -> list[Collision]:
    """Phrasings that rank another entry first, or within the answer margin of their own."""
    found: list[Collision] = []
    reported: set[tuple[str, str]] = set()
    for entry in entries:
        for phrasing in entry.questions:
            ranked = matcher.rank(phrasing)
            own = next((c for c in ranked if c.entry.id == entry.id), None)
            rivals = [c for c in ranked if c.entry.id != entry.id]
            if own is None or not rivals:
                continue
            rival = rivals[0]
            if rival.score < own.score - ANSWER_MARGIN + 0.05:
                continue
            pair = (min(entry.id, rival.entry.id), max(entry.id, rival.entry.id))
            if pair in reported:
                continue
            reported.add(pair)
            found.append(Collision(entry, phrasing, rival.entry, own.score, rival.score))
    return found


def check_entries(kb: KnowledgeBase) -> list[Problem]:
    """Clashing entry ids, phrasings with no content words, and collisions."""
    responder = Responder(kb)  # built once: its entries, and the matcher the bot answers with
    entries = responder.entries
    problems: list[Problem] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            file, line = _locate(kb, entry, "id")
            problems.append(
                Problem(file, line, entry.id, "id", "clashes with a generated entry of that id")
            )
        seen[entry.id] = entry
        for phrasing in entry.questions:
            if not tokens(phrasing):
                file, line = _locate(kb, entry, "questions")
                problems.append(
                    Problem(
                        file,
                        line,
                        entry.id,
                        "questions",
                        f"{phrasing!r} has only common words; the matcher cannot use it",
                    )
                )
    # the matcher the bot answers with (membership questions are answered from the lists)
    matcher = responder.matcher
    for collision in find_collisions(matcher.entries, matcher):
        file, line = _locate(kb, collision.entry, "questions")
        problems.append(
            Problem(
                file,
                line,
                collision.entry.id,
                "questions",
                f"{collision.phrasing!r} cannot be told apart from {collision.other.id!r} "
                f"(scores {collision.own_score:g} vs {collision.other_score:g}); "
                "make the phrasings of one of them more specific",
            )
        )
    return problems


def check_dated_texts(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """The next 30 July announcement must not name, in its own words, someone who has left the
    office the roles' data give them by that day (it would present them as current)."""
    year = next_announcement_year(kb, today)
    record = announcement_record(kb, year)
    if record is None:
        return []
    location = kb.locations.get(record.id)
    return [
        Problem(
            location.file if location else "announcements.yaml",
            location.of("intro") if location else 0,
            record.id,
            "intro",
            f"names {person}, who by the roles' data has left office before the {year} "
            "announcement: add a record for that year",
        )
        for person in stale_office_holders(kb, year)
    ]


def validate(
    directory: Path, today: dt.date | None = None
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and fully check a knowledge base; the base is None when it could not be loaded.
    With `today`, dated texts are also checked against the roles' data for their date."""
    try:
        kb = load_knowledge(directory)
    except KnowledgeError as exc:
        return None, list(exc.problems)
    problems = check_entries(kb)
    problems += check_sources(kb)[0]
    if today is not None:
        problems += check_dated_texts(kb, today)
    if (directory / EXEMPLARS_FILE).exists() or (directory / "help.yaml").exists():
        # the real base (it has help lines) must ship the safety exemplars; a test base need not
        try:
            load_exemplars(directory)
        except ExemplarError as exc:
            problems.append(Problem(str(EXEMPLARS_FILE), 0, "exemplars", "file", str(exc)))
    return kb, sorted(problems)
