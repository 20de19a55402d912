"""Loading the YAML knowledge base into typed, frozen records, with every problem located.

`load_knowledge(directory)` reads every `*.yaml` file, validates each record against `schema`,
then checks what needs the whole base: unique ids, existing source ids, existing related ids
and roles. Any problem raises `KnowledgeError` carrying all of them as
`file:line: entry-id: field: reason`, never a traceback. This is the only module that imports
yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from bot.build_cache import BuildCache, file_contents, fingerprint
from bot.knowledge_base import KnowledgeBase, KnowledgeError, Location, Problem
from bot.references import check_help_countries, cross_check
from bot.safety_guide import GUIDE_FILE, GuideError, SafetyGuide, parse_guide
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

__all__ = ["KnowledgeBase", "KnowledgeError", "Location", "Problem", "load_knowledge", "read_yaml"]

KNOWLEDGE_CACHE = "knowledge"
"""The kind under which a loaded base is kept between starts (`build_cache`)."""
MAX_FILE_BYTES = 5_000_000


# --- YAML with line numbers --------------------------------------------------------------


class _LineDict(dict[Any, Any]):
    line: int
    key_lines: dict[Any, int]


class _LineList(list[Any]):
    line: int
    item_lines: list[int]


_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (several times faster), else pure Python."""


class _LineLoader(_SafeLoader):  # type: ignore[misc]
    """A safe loader that remembers the line of every mapping, key and list item."""

    duplicate_keys: list[tuple[int, str]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in result:
            loader.duplicate_keys.append((key_node.start_mark.line + 1, str(key)))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _parse_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one file; a YAML error becomes a located Problem instead of a traceback."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 0, "-", "file", f"cannot be read: {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(display, 0, "-", "file", "is larger than 5 MB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 0, "-", "file", f"is not UTF-8 text ({exc.reason})")]
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return None, [Problem(display, line, "-", "yaml", f"not valid YAML: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 0, "-", "yaml", f"not valid YAML: {exc}")]
    finally:
        loader.dispose()
    problems = [
        Problem(display, line, "-", key, "this key appears twice in the same mapping")
        for line, key in loader.duplicate_keys
    ]
    return data, problems


# --- records ------------------------------------------------------------------------------


def _line_of(raw: Any, loc: tuple[int | str, ...]) -> int:
    """Follow a pydantic error location into the raw YAML to find the closest line."""
    line = getattr(raw, "line", 0)
    node = raw
    for part in loc:
        if isinstance(node, _LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, _LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def _field_lines(raw: Any) -> dict[str, int]:
    if isinstance(raw, _LineDict):
        return {str(k): v for k, v in raw.key_lines.items()}
    return {}


@dataclass
class _Collected:
    records: dict[str, list[Record]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    locations: dict[str, Location] = field(default_factory=dict)
    source_locations: dict[str, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _collect_file(data: Any, display: str, out: _Collected) -> None:
    if data is None:
        return
    if not isinstance(data, _LineDict):
        out.problems.append(
            Problem(display, 1, "-", "file", "the top level must be a mapping of section names")
        )
        return
    for section, items in data.items():
        section_line = data.key_lines.get(section, 1)
        model = SECTIONS.get(str(section))
        if model is None:
            known = ", ".join(SECTIONS)
            out.problems.append(
                Problem(display, section_line, "-", str(section), f"unknown section ({known})")
            )
            continue
        if items is None:
            continue
        if not isinstance(items, _LineList):
            out.problems.append(
                Problem(display, section_line, "-", str(section), "must be a list of records")
            )
            continue
        for index, raw in enumerate(items):
            _collect_record(model, str(section), raw, items.item_lines[index], display, out)


def _collect_record(
    model: type[Record], section: str, raw: Any, line: int, display: str, out: _Collected
) -> None:
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    entry_id = str(raw_id) if raw_id is not None else f"{section}[line {line}]"
    if not isinstance(raw, _LineDict):
        out.problems.append(Problem(display, line, entry_id, "-", "a record must be a mapping"))
        return
    try:
        record = model.model_validate(dict(raw))
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            field_name = ".".join(str(p) for p in loc) or "-"
            reason = error["msg"].removeprefix("Value error, ")
            if error["type"] == "missing":
                reason = "is required"
            elif error["type"] == "extra_forbidden":
                reason = "is not a known field (a typo?)"
            out.problems.append(Problem(display, _line_of(raw, loc), entry_id, field_name, reason))
        return
    location = Location(display, raw.line, _field_lines(raw))
    table = out.source_locations if section == "sources" else out.locations
    if record.id in table:
        first = table[record.id]
        out.problems.append(
            Problem(
                display,
                location.of("id"),
                record.id,
                "id",
                f"duplicate id (first defined at {first.file}:{first.line})",
            )
        )
        return
    table[record.id] = location
    out.records[section].append(record)


T = TypeVar("T", bound=Record)


def _typed(records: list[Record], model: type[T]) -> tuple[T, ...]:
    return tuple(r for r in records if isinstance(r, model))


def load_knowledge(directory: Path, cache: BuildCache | None = None) -> KnowledgeBase:
    """Load and check every YAML file in `directory`; raise KnowledgeError with all problems.
    `cache`: where a base that loaded without problems is kept between starts, under a
    fingerprint of every file's bytes (a changed file is read afresh)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), 0, "-", "directory", "does not exist")])
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise KnowledgeError([Problem(str(directory), 0, "-", "directory", "has no *.yaml files")])
    if cache is None:
        return _read_knowledge(directory, files)
    key = fingerprint(file_contents(directory, directory.rglob("*.yaml")))
    kept = cache.load(KNOWLEDGE_CACHE, key)
    if isinstance(kept, KnowledgeBase):
        return kept
    kb = _read_knowledge(directory, files)
    cache.store(KNOWLEDGE_CACHE, key, kb)
    return kb


def _read_knowledge(directory: Path, files: list[Path]) -> KnowledgeBase:
    out = _Collected()
    for path in files:
        display = path.name
        data, problems = _parse_yaml(path, display)
        out.problems.extend(problems)
        _collect_file(data, display, out)
    records = out.records
    guide = _load_guide(directory, out)
    kb = KnowledgeBase(
        directory=directory,
        sources={s.id: s for s in _typed(records["sources"], Source)},
        facts=_typed(records["facts"], Fact),
        quotes=_typed(records["quotes"], Quote),
        awareness_days=_typed(records["awareness_days"], AwarenessDay),
        participating_states=_typed(records["participating_states"], ParticipatingState),
        partners=_typed(records["partners"], Partner),
        institutions=_typed(records["institutions"], Institution),
        field_operations=_typed(records["field_operations"], FieldOperation),
        roles=_typed(records["roles"], Role),
        office_holders=_typed(records["office_holders"], OfficeHolder),
        help=_typed(records["help"], HelpLine),
        smalltalk=_typed(records["smalltalk"], SmallTalk),
        announcements=_typed(records["announcements"], Announcement),
        locations=dict(out.locations),
        safety_guide=guide,
    )
    out.problems.extend(cross_check(kb, out.source_locations))
    out.problems.extend(check_help_countries(kb))
    if out.problems:
        raise KnowledgeError(out.problems)
    return kb


def _load_guide(directory: Path, out: _Collected) -> SafetyGuide | None:
    """The safety reply's texts, if the base has them (a test base need not)."""
    path = directory / GUIDE_FILE
    if not path.exists():
        return None
    data, problems = _parse_yaml(path, str(GUIDE_FILE))
    out.problems.extend(problems)
    if problems:
        return None
    try:
        return parse_guide(data)
    except GuideError as exc:
        out.problems.append(Problem(str(GUIDE_FILE), 0, "safety", "file", str(exc)))
        return None


def bundled_knowledge_dir() -> Path:
    """The knowledge base shipped with the package (or beside it in a source checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "knowledge_data"  # where pyproject.toml packs knowledge/
    if installed.is_dir():
        return installed
    return here.parent / "knowledge"  # a source checkout


def read_yaml(path: Path) -> Any:
    """Read any YAML file (such as a question set) as plain data, or raise KnowledgeError."""
    data, problems = _parse_yaml(Path(path), Path(path).name)
    if problems:
        raise KnowledgeError(problems)
    return data
