"""Loading and validating the knowledge base: every problem located, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import validation
from bot.knowledge import KnowledgeError, load_knowledge
from bot.validation import validate
from tests.conftest import MINI_DIR


def problems_for(tmp_path: Path, name: str, text: str) -> list[str]:
    """Copy the mini base, add or replace one file, and return the problems as strings."""
    base = tmp_path / "kb"
    shutil.copytree(MINI_DIR, base)
    (base / name).write_text(text, encoding="utf-8")
    _kb, problems = validate(base)
    return [str(p) for p in problems]


def test_mini_base_is_valid() -> None:
    kb, problems = validate(MINI_DIR)
    assert problems == []
    assert kb is not None
    assert {f.id for f in kb.facts} == {"osr-created", "palermo-protocol", "sr-tasks"}


def test_records_are_frozen(mini_kb) -> None:
    fact = mini_kb.facts[0]
    with pytest.raises(Exception, match="frozen"):
        fact.id = "other"


FACT = """
facts:
  - id: {id}
    questions:
      en: [{q}]
    answer:
      en: {answer}
    sources: [{source}]
"""
FOUR = "Question one about GRETA, Question two about GRETA, GRETA three, GRETA four"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "broken.yaml",
            "facts:\n  - id: x\n    questions: [unclosed\n",
            "broken.yaml:4: -: yaml: not valid YAML",
        ),
        (
            "dup.yaml",
            FACT.format(id="osr-created", q=FOUR, answer="A.", source="src-osce"),
            "facts.yaml:2: osr-created: id: duplicate id (first defined at dup.yaml:3)",
        ),
        (
            "dangling.yaml",
            FACT.format(id="greta", q=FOUR, answer="A.", source="src-nowhere"),
            "dangling.yaml:8: greta: sources: no source has the id 'src-nowhere'",
        ),
        (
            "few.yaml",
            FACT.format(id="greta", q="only one GRETA", answer="A.", source="src-osce"),
            "few.yaml:4: greta: questions: needs at least 4 'en' phrasings",
        ),
        (
            "badid.yaml",
            FACT.format(id="Bad_Id", q=FOUR, answer="A.", source="src-osce"),
            "badid.yaml:3: Bad_Id: id: must be lowercase letters",
        ),
        (
            "typo.yaml",
            FACT.format(id="greta", q=FOUR, answer="A.", source="src-osce") + "    anwser: oops\n",
            "typo.yaml:9: greta: anwser: is not a known field (a typo?)",
        ),
        (
            "section.yaml",
            "factz: []\n",
            "section.yaml:1: -: factz: unknown section",
        ),
        (
            "day.yaml",
            "awareness_days:\n  - id: bad-day\n    name: {en: Bad}\n    date: '02-31'\n"
            "    origin: {proclaimed_by: X}\n    description: {en: D}\n    sources: [src-un]\n",
            "day.yaml:4: bad-day: date: '02-31' is not a day that exists",
        ),
        (
            "date.yaml",
            FACT.format(id="greta", q=FOUR, answer="A.", source="src-osce")
            + "    as_of: 2024-13\n",
            "date.yaml:9: greta: as_of: '2024-13' has no month 13",
        ),
        (
            "lang.yaml",
            "facts:\n  - id: greta\n    questions: {ru: [a, b, c, d]}\n"
            "    answer: {ru: A}\n    sources: [src-osce]\n",
            "lang.yaml:3: greta: questions: needs 'en' phrasings",
        ),
        (
            "empty.yaml",
            FACT.format(
                id="greta", q="'', b GRETA, c GRETA, d GRETA", answer="A.", source="src-osce"
            ),
            "empty.yaml:4: greta: questions: an empty 'en' phrasing",
        ),
        (
            "dupkey.yaml",
            FACT.format(id="greta", q=FOUR, answer="A.", source="src-osce")
            + "    sources: [src-un]\n",
            "dupkey.yaml:9: -: sources: this key appears twice in the same mapping",
        ),
        (
            "related.yaml",
            FACT.format(id="greta", q=FOUR, answer="A.", source="src-osce")
            + "    related: [nowhere]\n",
            "related.yaml:9: greta: related: no record has the id 'nowhere'",
        ),
        (
            "holder.yaml",
            "office_holders:\n  - id: x-holder\n    role: no-such-role\n    person: X\n"
            "    sources: [src-osce]\n",
            "holder.yaml:3: x-holder: role: no role has the id 'no-such-role'",
        ),
        (
            "list.yaml",
            "facts: {id: x}\n",
            "list.yaml:1: -: facts: must be a list of records",
        ),
        (
            "top.yaml",
            "- just a list\n",
            "top.yaml:1: -: file: the top level must be a mapping of section names",
        ),
    ],
)
def test_problems_are_located(tmp_path: Path, name: str, text: str, expected: str) -> None:
    problems = problems_for(tmp_path, name, text)
    assert any(p.startswith(expected) for p in problems), problems


CLASHING_FACT = FACT.format(
    id="osr-created-again",
    q="When was the Office of the Special Representative created, OSR founding year, "
    "When did the OSCE set up its anti-trafficking office, OSR founding date",
    answer="Again.",
    source="src-osce",
)
"""A fact asked exactly like osr-created: a collision."""


def test_collisions_are_reported(tmp_path: Path) -> None:
    text = CLASHING_FACT
    problems = problems_for(tmp_path, "clash.yaml", text)
    assert any("cannot be told apart from" in p and "osr-created" in p for p in problems)


def test_binary_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    base = tmp_path / "kb"
    shutil.copytree(MINI_DIR, base)
    (base / "junk.yaml").write_bytes(b"\xff\xfe\x00binary\x00")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(base)
    assert any("is not UTF-8 text" in str(p) for p in caught.value.problems)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path / "nowhere")
    assert "does not exist" in str(caught.value.problems[0])


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert "has no *.yaml files" in str(caught.value.problems[0])


def test_collisions_are_the_same_in_one_process_or_several(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CLASHING_FACT
    shared = problems_for(tmp_path / "a", "clash.yaml", text)
    monkeypatch.setattr(validation, "WORKERS", 1)
    alone = problems_for(tmp_path / "b", "clash.yaml", text)
    assert shared == alone and any("cannot be told apart" in p for p in shared)
