"""The 30 July announcement: its text from the knowledge base, and who is owed it when."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.announcement import Owed, Subscriber, announcement, announcement_record, owed
from bot.knowledge import KnowledgeBase
from bot.responder import Responder

VIENNA = ZoneInfo("Europe/Vienna")
NINE = dt.time(9, 0)


def at(year: int, month: int, day: int, hour: int, minute: int, zone: str) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def test_text_is_the_curators_record_with_every_source(real: Responder) -> None:
    record = announcement_record(real.kb, 2027)
    assert record is not None
    reply = announcement(real, 2027)
    assert reply is not None
    assert reply.body.startswith(record.intro["en"])
    assert reply.body.endswith(record.outro["en"])
    quote = real.kb.quotes[[q.id for q in real.kb.quotes].index(record.quote)]
    assert quote.text in reply.body
    fact_reply = real.reply_to_intent(record.fact, dt.date(2027, 7, 30))
    assert fact_reply is not None and fact_reply.body in reply.body
    titles = {s.title for s in reply.sources}
    for source_id in (*record.sources, *quote.sources):
        assert real.kb.sources[source_id].title in titles
    assert "/days" in reply.text


def test_no_record_before_the_first_year(real: Responder) -> None:
    first = min(a.from_year for a in real.kb.announcements)
    assert announcement(real, first - 1) is None
    assert announcement(real, first + 10) is not None


# (now, chat time zone, already in the ledger) -> owed?
CASES = [
    (at(2027, 7, 30, 9, 0, "Europe/Vienna"), "Europe/Vienna", False, True),
    (at(2027, 7, 30, 8, 59, "Europe/Vienna"), "Europe/Vienna", False, False),
    (at(2027, 7, 30, 23, 30, "Europe/Vienna"), "Europe/Vienna", False, True),  # catch-up
    (at(2027, 7, 31, 0, 5, "Europe/Vienna"), "Europe/Vienna", False, False),  # too late
    (at(2027, 7, 30, 12, 0, "Europe/Vienna"), "Europe/Vienna", True, False),  # already done
    (at(2027, 7, 29, 12, 0, "Europe/Vienna"), "Europe/Vienna", False, False),
    (at(2027, 7, 30, 4, 0, "UTC"), "Asia/Almaty", False, True),  # 09:00 in Almaty
    (at(2027, 7, 30, 4, 0, "UTC"), "Europe/Vienna", False, False),  # 06:00 in Vienna
    (at(2027, 7, 30, 15, 59, "UTC"), "America/Los_Angeles", False, False),  # 08:59 there
    (at(2027, 7, 30, 16, 0, "UTC"), "America/Los_Angeles", False, True),
    (at(2027, 7, 31, 6, 0, "UTC"), "America/Los_Angeles", False, True),  # still 30 July there
    (at(2027, 7, 30, 10, 0, "Europe/Vienna"), "Not/AZone", False, True),  # falls back to Vienna
    (at(2028, 7, 30, 9, 0, "Europe/Vienna"), "Europe/Vienna", False, True),
]


@pytest.mark.parametrize(("now", "zone", "done", "expected"), CASES)
def test_who_is_owed(
    real_kb: KnowledgeBase, now: dt.datetime, zone: str, done: bool, expected: bool
) -> None:
    ledger = {now.year: {-1: "sent"}} if done else {}
    result = owed(real_kb, [Subscriber(-1, zone)], ledger, now, NINE, VIENNA)
    assert result == ([Owed(-1, now.astimezone(ZoneInfo("UTC")).year)] if expected else [])


def test_only_the_chats_without_a_ledger_row_are_owed(real_kb: KnowledgeBase) -> None:
    now = at(2027, 7, 30, 10, 0, "Europe/Vienna")
    subscribers = [Subscriber(-chat, "Europe/Vienna") for chat in range(1, 6)]
    ledger = {2027: {-2: "sent", -4: "sending"}, 2026: {-1: "sent"}}
    result = owed(real_kb, subscribers, ledger, now, NINE, VIENNA)
    assert [o.chat_id for o in result] == [-5, -3, -1]
