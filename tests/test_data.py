"""Data tests over the real, bundled knowledge base and the development question set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import evaluate, judge, load_cases
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir
from bot.responder import Responder
from bot.schema import MIN_PHRASINGS
from bot.validation import validate
from tests.conftest import TODAY

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"
DEV_CASES = load_cases(DEV)

# Claims the fact sheet lists as UNSOURCED: they must never reach a user.
UNSOURCED = ["116 006", "2024/1712", "Article 26", "Decision No. 685 of 7 July"]


def test_bundled_base_is_fully_valid() -> None:
    kb, problems = validate(bundled_knowledge_dir())
    assert kb is not None
    assert [str(p) for p in problems] == []


def test_structures_are_complete(real_kb: KnowledgeBase) -> None:
    assert len(real_kb.participating_states) == 57
    assert len(real_kb.partners) == 11
    assert {p.group for p in real_kb.partners} == {"asian", "mediterranean"}
    assert len(real_kb.field_operations) == 12


def test_every_fact_is_sourced_and_phrased(real_kb: KnowledgeBase) -> None:
    for fact in real_kb.facts:
        assert fact.sources, fact.id
        assert len(fact.questions["en"]) >= MIN_PHRASINGS, fact.id


def test_every_answer_names_a_source(real: Responder) -> None:
    for entry in real.entries:
        if entry.kind == "answer":
            reply = real.render(entry.title, entry, 100, TODAY)
            assert "Source" in reply.text, entry.id


@pytest.mark.parametrize("claim", UNSOURCED)
def test_unsourced_claims_stay_out(real: Responder, claim: str) -> None:
    for entry in real.entries:
        assert claim not in entry.body(TODAY), entry.id


@pytest.mark.parametrize("case", DEV_CASES, ids=[c.question for c in DEV_CASES])
def test_dev_question(real: Responder, case) -> None:
    reply = real.reply(case.question, TODAY)
    assert judge(case, reply) == "correct", (reply.kind, reply.intent, reply.score, reply.text)


def test_dev_targets(real: Responder) -> None:
    report = evaluate(real, DEV_CASES, TODAY)
    in_scope = report.group(False)
    off_topic = report.group(True)
    assert sum(r.outcome == "correct" for r in in_scope) / len(in_scope) >= 0.97
    assert sum(r.outcome == "correct" for r in off_topic) / len(off_topic) >= 0.95
    assert report.wrong_rate <= 0.01
