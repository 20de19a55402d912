"""The loaded knowledge base and its problems: `KnowledgeBase` (every section as typed, frozen
records, with where each was written), `Problem` (one located problem) and `KnowledgeError`.
Loading is `knowledge.load_knowledge`; the checks across records are in `references`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.safety_guide import SafetyGuide
from bot.schema import (
    SECTIONS,
    Announcement,
    AwarenessDay,
    Fact,
    FieldOperation,
    HelpLine,
    Institution,
    OfficeHolder,
    ParticipatingState,
    Partner,
    Quote,
    Record,
    Role,
    SmallTalk,
    Source,
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the knowledge base, located as precisely as the YAML allows."""

    file: str
    line: int
    entry_id: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.entry_id}: {self.field}: {self.reason}"


class KnowledgeError(Exception):
    """The knowledge base could not be loaded; `problems` says everything that is wrong."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base")


@dataclass(frozen=True)
class Location:
    """Where a record was defined, with the line of each of its fields."""

    file: str
    line: int
    field_lines: Mapping[str, int] = field(default_factory=dict)

    def of(self, field_name: str) -> int:
        """The line of a field, or of the record when the field is not written."""
        return self.field_lines.get(field_name, self.line)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the bot knows, as loaded from one directory."""

    directory: Path
    sources: Mapping[str, Source]
    facts: tuple[Fact, ...] = ()
    quotes: tuple[Quote, ...] = ()
    awareness_days: tuple[AwarenessDay, ...] = ()
    participating_states: tuple[ParticipatingState, ...] = ()
    partners: tuple[Partner, ...] = ()
    institutions: tuple[Institution, ...] = ()
    field_operations: tuple[FieldOperation, ...] = ()
    roles: tuple[Role, ...] = ()
    office_holders: tuple[OfficeHolder, ...] = ()
    help: tuple[HelpLine, ...] = ()
    smalltalk: tuple[SmallTalk, ...] = ()
    announcements: tuple[Announcement, ...] = ()
    locations: Mapping[str, Location] = field(default_factory=dict)
    safety_guide: SafetyGuide | None = None
    """The safety reply's texts per language (`safety/replies.yaml`); None in a test base."""

    def problem(self, record_id: str, field_name: str, reason: str, file: str = "-") -> Problem:
        """A problem with one field of a record, at the line where it was written (`file` when
        the record has no location: a generated or test record)."""
        location = self.locations.get(record_id)
        if location is None:
            return Problem(file, 0, record_id, field_name, reason)
        return Problem(location.file, location.of(field_name), record_id, field_name, reason)

    def records(self) -> Iterator[Record]:
        """Every record except sources, in section order."""
        for name in SECTIONS:
            if name != "sources":
                yield from getattr(self, name)

    def role(self, role_id: str) -> Role:
        """The role with this id (roles are checked to exist at load time)."""
        return next(r for r in self.roles if r.id == role_id)
