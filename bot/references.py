"""Checks that need the whole knowledge base, run as it loads (`knowledge.load_knowledge`):
references between records (sources, related entries, roles, announcements' quote and fact),
dates in order, and the help lines' countries against the safety guide."""

from __future__ import annotations

from collections.abc import Mapping

from bot.knowledge_base import KnowledgeBase, Location, Problem
from bot.safety_guide import GUIDE_FILE
from bot.schema import (
    Announcement,
    OfficeHolder,
)


def _before(later: str, earlier: str) -> bool:
    """Whether partial date `later` is certainly before `earlier` ("2022" is not before
    "2022-01-01": they share a year)."""
    common = min(len(later), len(earlier))
    return later[:common] < earlier[:common]


def cross_check(kb: KnowledgeBase, source_locations: Mapping[str, Location]) -> list[Problem]:
    problems: list[Problem] = []
    record_ids = set(kb.locations)
    role_ids = {r.id for r in kb.roles}
    cited: set[str] = set()
    for record in kb.records():
        where = kb.locations[record.id]
        for source_id in getattr(record, "sources", ()):
            cited.add(source_id)
            if source_id not in kb.sources:
                problems.append(
                    Problem(
                        where.file,
                        where.of("sources"),
                        record.id,
                        "sources",
                        f"no source has the id {source_id!r}",
                    )
                )
        for related in getattr(record, "related", ()):
            if related == record.id:
                reason = "a record cannot be related to itself"
            elif related not in record_ids:
                reason = f"no record has the id {related!r}"
            else:
                continue
            problems.append(Problem(where.file, where.of("related"), record.id, "related", reason))
        if isinstance(record, Announcement):
            problems.extend(_check_announcement(kb, record))
        if isinstance(record, OfficeHolder):
            if record.role not in role_ids:
                problems.append(
                    Problem(
                        where.file,
                        where.of("role"),
                        record.id,
                        "role",
                        f"no role has the id {record.role!r} (define it under roles)",
                    )
                )
            if record.from_ and record.to and _before(record.to, record.from_):
                problems.append(
                    Problem(where.file, where.of("to"), record.id, "to", "is before 'from'")
                )
    for role in kb.roles:
        current = [h for h in kb.office_holders if h.role == role.id and h.to is None]
        if len(current) > 1:
            for holder in current[1:]:
                where = kb.locations[holder.id]
                problems.append(
                    Problem(
                        where.file,
                        where.of("to"),
                        holder.id,
                        "to",
                        f"two current holders of {role.id!r} ({current[0].id} too): "
                        "give the earlier one a 'to' date",
                    )
                )
    for source_id, where in source_locations.items():
        if source_id not in cited:
            problems.append(
                Problem(where.file, where.line, source_id, "id", "this source is never cited")
            )
    return problems


def _check_announcement(kb: KnowledgeBase, record: Announcement) -> list[Problem]:
    where = kb.locations[record.id]
    targets = {
        "day": (record.day, {d.id for d in kb.awareness_days}, "awareness day"),
        "quote": (record.quote, {q.id for q in kb.quotes}, "quote"),
        "fact": (record.fact, {f.id for f in kb.facts}, "fact"),
    }
    problems = [
        Problem(
            where.file,
            where.of(field_name),
            record.id,
            field_name,
            f"no {what} has the id {value!r}",
        )
        for field_name, (value, known, what) in targets.items()
        if value not in known
    ]
    same = [a for a in kb.announcements if a.day == record.day and a.from_year == record.from_year]
    if same[0] is not record:
        problems.append(
            Problem(
                where.file,
                where.of("from_year"),
                record.id,
                "from_year",
                f"{same[0].id} already starts in {record.from_year} for {record.day}",
            )
        )
    return problems


def check_help_countries(kb: KnowledgeBase) -> list[Problem]:
    """Every country a help line serves is one the safety reply can name."""
    if kb.safety_guide is None:
        return []
    problems = []
    for line in kb.help:
        for code in line.countries:
            if code not in kb.safety_guide.countries:
                problems.append(
                    kb.problem(
                        line.id,
                        "countries",
                        f"{code} is not in {GUIDE_FILE}'s countries (add its names there)",
                        "help.yaml",
                    )
                )
    return problems
