"""Bodies described by their seat or role ("the Warsaw human-rights office", "венская
организация по безопасности") are found under their names: the language files map such
periphrases, so every question using one benefits, not one wording."""

from __future__ import annotations

import pytest

from bot.responder import Responder
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        (
            "Which country was the last one admitted to the big Vienna-based security club?",
            "osce-newest-participating-state",
        ),
        (
            "Since what year has the Warsaw human-rights office worked on stopping the trade in "
            "people?",
            "osce-odihr-anti-trafficking",
        ),
        ("The Strasbourg-made treaty on action against trafficking: when", "coe-convention"),
        (
            "С какого года варшавское бюро по правам человека занимается проблемой торговли "
            "людьми?",
            "ru~osce-odihr-anti-trafficking",
        ),
        (
            "Какая страна последней вступила в венскую организацию по безопасности?",
            "ru~osce-newest-participating-state",
        ),
    ],
)
def test_bodies_described_by_their_seat_or_role_are_found(
    real: Responder, question: str, intent: str
) -> None:
    """The language files map periphrases ("the Warsaw human-rights office") to the name."""
    reply = real.reply(question, TODAY)
    assert reply.kind == "answer" and reply.intent.rsplit("~", 1)[-1] == intent.rsplit("~", 1)[-1]


def test_a_capital_stands_for_its_country(real: Responder) -> None:
    reply = real.reply("When did the OSCE team in Chisinau start work?", TODAY)
    assert (reply.kind, reply.intent) == ("answer", "fieldop-mission-to-moldova")
