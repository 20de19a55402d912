"""Floors on new phrasings of the 33 dev topics (tests/data/devtopics_*.yaml, issue 4).

The tables use the ../shared/eval/dev.yaml format (a question and the regular expressions a
confident answer must contain, or `decline: true`) and were written before the bot was run on
them. devtopics_tune.yaml (6 phrasings a topic) was used to find what to improve in general;
devtopics_check.yaml (4 other phrasings a topic), devtopics_check2.yaml (4 more, written
before the distinctive-token round) and devtopics_check3.yaml (4 more, long chatty questions,
statements and synonyms, written before the context-clause round) are never tuned to and only
measure transfer. devtopics_check4.yaml (6 phrasings a topic, a mix of short, keyword, typo,
chatty and statement rows) was written before the antecedent round, measured, then its failures
were read to find general patterns (it is now a tuning table); devtopics_check5.yaml (5
phrasings a topic, mostly short) was written at the same time and only measures;
devtopics_check6.yaml (4 phrasings a topic) was written near the end of that round to measure
it, then its three failures were read.
`oscebot eval tests/data/devtopics_check2.yaml` lists every failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import Case, evaluate, judge, load_cases
from bot.responder import Responder
from tests.conftest import TODAY

DATA = Path(__file__).parent / "data"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"
TUNE = load_cases(DATA / "devtopics_tune.yaml")
CHECK = load_cases(DATA / "devtopics_check.yaml")
CHECK2 = load_cases(DATA / "devtopics_check2.yaml")
CHECK3 = load_cases(DATA / "devtopics_check3.yaml")
CHECK4 = load_cases(DATA / "devtopics_check4.yaml")
CHECK5 = load_cases(DATA / "devtopics_check5.yaml")
CHECK6 = load_cases(DATA / "devtopics_check6.yaml")

CORRECT_FLOORS = {
    "tune": 0.99,
    "check": 0.99,
    "check2": 0.965,
    "check3": 0.96,
    "check4": 0.96,
    "check5": 0.97,
    "check6": 0.98,
}
"""Share of in-scope rows answered right. Measured when written (before the dev-topic round):
tune 0.864, check 0.894; after it: tune 0.990, check 0.947; after the distinctive-token round
tune 0.995, check 1.0. check2 measured 0.955 when written (before that round), 0.970 after,
0.970 (with all off-topic rows declined) once typos were limited to an edit budget.
check3 measured 0.742 when written (3 wrong), 0.856 (1 wrong) after the context-clause round,
0.970 after the antecedent round. check4 measured 0.854 (3 wrong, 1 off-topic row answered) on
the code it was written against and 0.970 (0 wrong) after the antecedent round; check5 0.939
and 0.976 (0 wrong; its one off-topic failure, "when was the Council of Europe founded", was
fixed by the rule for other organisations). check6 measured 0.947 (1 wrong) on the code of the
start of the antecedent round and 0.977 (1 wrong: "osce explained") when written; 0.992 (0
wrong) after its failures were read. Raise as matching improves."""
WRONG_CEILING = 0.01
"""Confident answers without the expected facts, as a share of in-scope rows (measured 0 on
both after this round; the target is 1%)."""
TABLES = {
    "tune": TUNE,
    "check": CHECK,
    "check2": CHECK2,
    "check3": CHECK3,
    "check4": CHECK4,
    "check5": CHECK5,
    "check6": CHECK6,
}
DECLINES = [c for cases in TABLES.values() for c in cases if c.decline]
"""Every off-topic row of every table. Two were known failures until a general rule fixed
them: devtopics_check2's 'tell me a story' (answered with ODIHR's history until typo
correction got an edit budget: "story" is two edits from "history") and devtopics_check3's
grammar request (answered with the help numbers until "help me with ..." stopped counting as
asking where to get help)."""


def test_table_sizes() -> None:
    assert sum(not c.decline for c in TUNE) == 33 * 6
    assert sum(not c.decline for c in CHECK) == 33 * 4
    assert sum(c.decline for c in TUNE) >= 20
    assert sum(c.decline for c in CHECK) >= 15
    assert sum(not c.decline for c in CHECK2) == 33 * 4
    assert sum(c.decline for c in CHECK2) >= 15
    assert sum(not c.decline for c in CHECK3) == 33 * 4
    assert sum(c.decline for c in CHECK3) >= 15
    assert sum(not c.decline for c in CHECK4) == 33 * 6
    assert sum(c.decline for c in CHECK4) >= 25
    assert sum(not c.decline for c in CHECK5) == 33 * 5
    assert sum(c.decline for c in CHECK5) >= 20
    assert sum(not c.decline for c in CHECK6) == 33 * 4
    assert sum(c.decline for c in CHECK6) >= 20


def test_tables_do_not_overlap() -> None:
    tune = {c.question.casefold() for c in TUNE}
    assert not [c.question for c in CHECK if c.question.casefold() in tune]
    earlier = tune | {c.question.casefold() for c in CHECK}
    assert not [c.question for c in CHECK2 if c.question.casefold() in earlier]
    earlier |= {c.question.casefold() for c in CHECK2}
    for later in (CHECK3, CHECK4, CHECK5, CHECK6):
        assert not [c.question for c in later if c.question.casefold() in earlier]
        earlier |= {c.question.casefold() for c in later}
    dev = {c.question.casefold() for c in load_cases(DEV)} if DEV.exists() else set()
    everything = [c for cases in TABLES.values() for c in cases]
    assert not [c.question for c in everything if c.question.casefold() in dev]


@pytest.mark.parametrize("case", DECLINES, ids=[c.question for c in DECLINES])
def test_off_topic_is_never_answered(real: Responder, case: Case) -> None:
    reply = real.reply(case.question, TODAY)
    assert judge(case, reply) == "correct", (reply.kind, reply.intent, reply.score)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_in_scope_floor_and_wrong_ceiling(real: Responder, name: str) -> None:
    report = evaluate(real, [c for c in TABLES[name] if not c.decline], TODAY)
    counts = report.counts(False)
    total = len(report.results)
    assert counts["correct"] / total >= CORRECT_FLOORS[name], report.lines()
    assert counts["wrong"] / total <= WRONG_CEILING, report.lines()
