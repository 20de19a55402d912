"""The phrasing notes of `oscebot validate`: too few, too alike, all in the answer's own words."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge import KnowledgeBase
from bot.phrasing_coverage import check_phrasings, key_terms
from bot.schema import Fact

WIDE = (
    "OSR founding year",
    "What year was the anti-trafficking office of the OSCE established?",
    "Since when does the OSCE have a Special Representative on trafficking?",
    "Since when has the Special Representative post existed?",
    "I am a student writing an essay on Vienna's security organisation and need the year "
    "its anti-trafficking office was set up, can you help?",
    "A journalist here: for a profile of the OSCE's work against modern slavery I need to know "
    "since when it has had a dedicated office for it.",
    "Since when has the Vienna security body had a unit against modern slavery?",
    "Is the Vienna security body's unit against the sale of people new or old?",
)


def _with_questions(kb: KnowledgeBase, questions: tuple[str, ...]) -> KnowledgeBase:
    fact = next(f for f in kb.facts if f.id == "osr-created")
    fact = Fact.model_validate(
        {**fact.model_dump(), "label": "OSR founding year", "questions": {"en": questions}}
    )
    return replace(kb, facts=(fact,))


def test_key_terms_are_the_label_and_topics(mini_kb: KnowledgeBase) -> None:
    fact = _with_questions(mini_kb, WIDE).facts[0]
    assert {"special", "repres", "offic", "establish"} <= key_terms(fact)
    assert "when" not in key_terms(fact)  # a question word is no key term


def test_a_narrow_fact_gets_each_note(mini_kb: KnowledgeBase) -> None:
    narrow = _with_questions(
        mini_kb, ("OSR founding year", "osr founding year?", "When was the OSR founded?", "OSR")
    )
    notes = [p.reason for p in check_phrasings(narrow)]
    assert any("4 'en' phrasings; 8 wanted" in n for n in notes)
    assert any(n.startswith("0 long phrasings") for n in notes)
    assert any(n.startswith("0 phrasings without a key term") for n in notes)
    assert any("says the same as 'OSR founding year'" in n for n in notes)
    assert all(
        p.entry_id == "osr-created" and p.field == "questions" for p in check_phrasings(narrow)
    )


def test_a_wide_fact_gets_none(mini_kb: KnowledgeBase) -> None:
    assert check_phrasings(_with_questions(mini_kb, WIDE)) == []
