"""Floors on the second held-out table (tests/data/heldout2.yaml), which is never tuned to.

It was written before the second round of matching work of issue 4, when the first held-out
table had been measured often enough to be partly learnt from; it is only used to measure.
`python -m tests.test_heldout2` prints every failure.
"""

from __future__ import annotations

import pytest

from bot.responder import Responder
from tests.conftest import TODAY
from tests.test_paraphrases import load_table, outcomes, report

ANSWER_ROWS, DECLINE_ROWS = load_table("heldout2.yaml")

CORRECT_FLOOR = 0.965
"""Measured at 0.881 when written, 0.925 after the second round, 0.935 after the dev-topic
round and 0.970 after the distinctive-token round; raised to just under."""
WRONG_CEILING = 0.01
"""Confident answers naming another entry, as a share of in-scope rows (measured 2.5% when
written, 0.5% after the second round; the target is 1%)."""


def test_table_size() -> None:
    assert len(ANSWER_ROWS) >= 150
    assert len(DECLINE_ROWS) >= 40


def test_intents_exist(real: Responder) -> None:
    missing = [intent for _, intent in ANSWER_ROWS if real.entry(intent) is None]
    assert not missing


@pytest.mark.parametrize("message", DECLINE_ROWS)
def test_off_topic_is_never_answered(real: Responder, message: str) -> None:
    reply = real.reply(message, TODAY)
    assert reply.kind not in ("answer", "safety"), (reply.intent, reply.score)


def test_in_scope_floor_and_wrong_ceiling(real: Responder) -> None:
    counts = outcomes(real, ANSWER_ROWS)
    total = len(ANSWER_ROWS)
    assert counts["correct"] / total >= CORRECT_FLOOR, counts
    assert counts["wrong"] / total <= WRONG_CEILING, counts


if __name__ == "__main__":  # pragma: no cover
    report(ANSWER_ROWS, DECLINE_ROWS)
