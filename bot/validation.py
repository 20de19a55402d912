"""Whole-base checks run by `oscebot validate`, at start-up and in CI.

Loading (`knowledge.load_knowledge`) already checks each record and the references between
them. This module adds what needs the matcher: entry ids that clash between hand-written and
generated entries, and collisions — phrasings that the matcher sends to another entry, or
cannot tell apart from another entry's, so that a user asking them would not get this answer.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from bot.announcement import announcement_record, next_announcement_year, stale_office_holders
from bot.build_cache import BuildCache
from bot.curation import check_sources
from bot.deciding import ANSWER_MARGIN
from bot.distress import EXEMPLARS_FILE, ExemplarError, load_exemplars
from bot.entries import Entry
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.matching import Matcher
from bot.responder import Responder
from bot.translation_checks import check_translations

WORKERS = 2
"""Processes that share the collision check (one per core, up to this many)."""


@dataclass(frozen=True)
class Collision:
    """A phrasing of `entry` that the matcher does not confidently send to `entry`."""

    entry: Entry
    phrasing: str
    other: Entry
    own_score: float
    other_score: float


RIVAL_FLOOR = 100.0 - ANSWER_MARGIN - 1.0
"""The lowest score a rival is looked for at, while a phrasing scores its own entry 100."""


def _locate(kb: KnowledgeBase, entry: Entry, field: str) -> tuple[str, int]:
    location = kb.locations.get(entry.record or "")
    if location is None:
        return ("(generated)", 0)
    return (location.file, location.of(field))


def _rivalries(matcher: Matcher, first: int, step: int) -> list[tuple[int, str, str, float, float]]:
    """(entry index, phrasing, rival id, own score, rival score) for the phrasings
    first, first + step, ... of every entry whose best rival comes within the answer margin."""
    found = []
    jobs = [(i, q) for i, entry in enumerate(matcher.entries) for q in entry.questions]
    for entry_index, phrasing in jobs[first::step]:
        entry_id = matcher.entries[entry_index].id
        # A phrasing scores its own entry 100 (it is one of its phrasings), so only entries
        # from a little below the answer margin can be its rivals; when it does not, every
        # entry is ranked.
        ranked = matcher.rank_own(phrasing, RIVAL_FLOOR)
        own = next((c for c in ranked if c.entry.id == entry_id), None)
        if own is None or own.score - ANSWER_MARGIN < RIVAL_FLOOR:
            ranked = matcher.rank_own(phrasing)
            own = next((c for c in ranked if c.entry.id == entry_id), None)
        rival = next((c for c in ranked if c.entry.id != entry_id), None)
        if own is None or rival is None:
            continue
        if rival.score < own.score - ANSWER_MARGIN + 0.05:
            continue
        found.append((entry_index, phrasing, rival.entry.id, own.score, rival.score))
    return found


_SHARED: list[Matcher] = []
"""The matcher a forked worker inherits (set just before the pool starts)."""


def _worker(part: tuple[int, int]) -> list[tuple[int, str, str, float, float]]:
    return _rivalries(_SHARED[0], *part)


def find_collisions(entries: tuple[Entry, ...], matcher: Matcher) -> list[Collision]:
    """Phrasings that rank another entry first, or within the answer margin of their own.
    Every phrasing is ranked, so on a machine with several cores the work is shared between
    forked processes (the same result, in the same order, in less time)."""
    assert entries == matcher.entries
    workers = min(WORKERS, multiprocessing.cpu_count())
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _SHARED[:] = [matcher]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_worker, [(i, workers) for i in range(workers)])
        finally:
            _SHARED.clear()
        rows = [row for part in parts for row in part]
        order = {
            (i, q): n
            for n, (i, q) in enumerate((i, q) for i, e in enumerate(entries) for q in e.questions)
        }
        rows.sort(key=lambda row: order[(row[0], row[1])])
    else:
        rows = _rivalries(matcher, 0, 1)
    by_id = {entry.id: entry for entry in entries}
    found: list[Collision] = []
    reported: set[tuple[str, str]] = set()
    for entry_index, phrasing, rival_id, own_score, rival_score in rows:
        entry = entries[entry_index]
        pair = (min(entry.id, rival_id), max(entry.id, rival_id))
        if pair in reported:
            continue
        reported.add(pair)
        found.append(Collision(entry, phrasing, by_id[rival_id], own_score, rival_score))
    return found


def check_entries(kb: KnowledgeBase, cache: BuildCache | None = None) -> list[Problem]:
    """Clashing entry ids, phrasings with no content words, and collisions, in English and
    in each other language the bot answers in. `cache`: where the matchers are kept."""
    responder = Responder(
        kb, cache=cache
    )  # built once: its entries, and the matchers the bot answers with
    problems = _check_matcher(kb, responder.entries, responder.matcher)
    for language in responder.languages():
        localised = responder.matcher_for(language)
        problems += _check_matcher(kb, localised.entries, localised, language)
    return problems


def _check_matcher(
    kb: KnowledgeBase, entries: tuple[Entry, ...], matcher: Matcher, language: str = "en"
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Entry] = {}
    where = "" if language == "en" else f" ({language})"
    for entry in entries:
        if entry.id in seen and language == "en":
            file, line = _locate(kb, entry, "id")
            problems.append(
                Problem(file, line, entry.id, "id", "clashes with a generated entry of that id")
            )
        seen[entry.id] = entry
        for phrasing in entry.questions:
            if not matcher.phrasing_tokens(phrasing) and not matcher.language.tokens(phrasing):
                file, line = _locate(kb, entry, "questions")
                problems.append(
                    Problem(
                        file,
                        line,
                        entry.id,
                        "questions",
                        f"{phrasing!r}{where} has only common words; the matcher cannot use it",
                    )
                )
    for collision in find_collisions(matcher.entries, matcher):
        file, line = _locate(kb, collision.entry, "questions")
        problems.append(
            Problem(
                file,
                line,
                collision.entry.id,
                "questions",
                f"{collision.phrasing!r}{where} cannot be told apart from {collision.other.id!r} "
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
    return [
        kb.problem(
            record.id,
            "intro",
            f"names {person}, who by the roles' data has left office before the {year} "
            "announcement: add a record for that year",
            "announcements.yaml",
        )
        for person in stale_office_holders(kb, year)
    ]


def validate(
    directory: Path, today: dt.date | None = None, cache: BuildCache | None = None
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and fully check a knowledge base; the base is None when it could not be loaded.
    With `today`, dated texts are also checked against the roles' data for their date."""
    try:
        kb = load_knowledge(directory, cache)
    except KnowledgeError as exc:
        return None, list(exc.problems)
    problems = check_entries(kb, cache)
    problems += check_sources(kb)[0]
    problems += check_translations(kb)
    if today is not None:
        problems += check_dated_texts(kb, today)
    if (directory / EXEMPLARS_FILE).exists() or (directory / "help.yaml").exists():
        # the real base (it has help lines) must ship the safety exemplars; a test base need not
        try:
            load_exemplars(directory, cache)
        except ExemplarError as exc:
            problems.append(Problem(str(EXEMPLARS_FILE), 0, "exemplars", "file", str(exc)))
    return kb, sorted(problems)
