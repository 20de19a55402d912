"""The matchable entries: hand-written facts plus lookups generated from the structured data.

Questions about structures (membership, field operations, institutions, office holders,
awareness days, quotes, help numbers) are not written by hand: each record yields entries
with question templates and an answer built from its fields, so the data stays the single
source of truth. An entry's body is a function of `today`, because some answers count days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from bot.entries_days_help import day_entries, help_entries
from bot.entries_people import quote_entries, role_entries
from bot.entries_structures import not_listed_entry, structure_entries
from bot.entry import (
    BUTTON_LABEL_CHARS,
    Body,
    Entry,
    day_entry_id,
    derive_label,
    proclaimer,
    unique,
    written_entries,
)
from bot.knowledge import KnowledgeBase

__all__ = [
    "BUTTON_LABEL_CHARS",
    "MERGED",
    "Body",
    "Entry",
    "build_entries",
    "day_entry_id",
    "derive_label",
    "merge_entries",
    "not_listed_entry",
    "proclaimer",
]
"""The entries' public names, wherever they are defined."""

# --- all -----------------------------------------------------------------------------------


def build_entries(kb: KnowledgeBase) -> tuple[Entry, ...]:
    """Every matchable entry: facts, smalltalk and the generated lookups."""
    entries = written_entries(kb)
    entries += structure_entries(kb)
    entries += role_entries(kb)
    entries += day_entries(kb)
    entries += quote_entries(kb)
    entries += help_entries(kb)
    return tuple(
        entry
        if entry.evidence or entry.kind != "answer"
        else replace(entry, evidence=f"{entry.body(_EVIDENCE_DAY)} {entry.more or ''}".strip())
        for entry in merge_entries(entries)
    )


MERGED: dict[str, str] = {
    "role-odihr-director-list": "osce-odihr-directors",
    "role-secretary-general-list": "osce-secretaries-general-history",
    "osr-global-estimate": "figure-global-victims-27-6-million",
    "osce-parliamentary-assembly-size": "institution-parliamentary-assembly",
    "help-116000": "help-missing-children-116000",
}
"""Entries that answered the same question as another one, absorbed into it (id -> kept id).
Two confident answers to one question make the matcher ask "did you mean" between them, or
pick either; the kept entry's answer says everything the absorbed one did, with sources."""


def merge_entries(entries: Sequence[Entry]) -> list[Entry]:
    """Fold each absorbed entry's phrasings and id into the entry that keeps its answer."""
    by_id = {entry.id: entry for entry in entries}
    absorbed: dict[str, list[Entry]] = defaultdict(list)
    for gone, kept in MERGED.items():
        if gone in by_id and kept in by_id:
            absorbed[kept].append(by_id[gone])
    merged: list[Entry] = []
    for entry in entries:
        if entry.id in MERGED and MERGED[entry.id] in by_id:
            continue
        parts = absorbed.get(entry.id)
        if parts:
            entry = replace(
                entry,
                questions=unique([*entry.questions, *(q for p in parts for q in p.questions)]),
                aliases=tuple(p.id for p in parts),
                related=tuple(r for r in entry.related if r not in {p.id for p in parts}),
            )
        merged.append(entry)
    return merged


_EVIDENCE_DAY = dt.date(2000, 1, 1)
"""Bodies that count days are only read for their words here, so any fixed date will do."""
