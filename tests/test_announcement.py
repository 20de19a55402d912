"""The 30 July announcement: its text from the knowledge base, and who is owed it when."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.announcement import (
    Owed,
    Subscriber,
    announcement,
    announcement_record,
    next_announcement_year,
    owed,
)
from bot.knowledge import KnowledgeBase
from bot.responder import Responder
from bot.validation import check_dated_texts

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


ZONES = ["Europe/Vienna", "Asia/Almaty", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"]


@settings(max_examples=60, deadline=None)
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=5),
    outages=st.lists(st.tuples(st.integers(0, 72 * 4), st.integers(1, 72 * 4)), max_size=4),
)
def test_minute_ticks_with_restarts_send_once_inside_the_window(
    real_kb: KnowledgeBase, zones: list[str], outages: list[tuple[int, int]]
) -> None:
    """A model of the scheduler: a tick every 15 minutes from 29 July to 1 August (UTC), the
    process down during random outages. Each chat gets exactly one announcement if the process
    was up at some tick between 09:00 and midnight of 30 July in its zone, and none otherwise;
    no send ever falls outside that window."""
    subscribers = [Subscriber(-i, zone) for i, zone in enumerate(zones, start=1)]
    start = dt.datetime(2027, 7, 29, 0, 0, tzinfo=dt.UTC)
    down = {tick for first, length in outages for tick in range(first, first + length)}
    ledger: dict[int, dict[int, str]] = {}
    sends: dict[int, list[dt.datetime]] = {s.chat_id: [] for s in subscribers}
    up_in_window: dict[int, bool] = {s.chat_id: False for s in subscribers}
    for tick in range(72 * 4):
        now = start + dt.timedelta(minutes=15 * tick)
        for subscriber in subscribers:
            local = now.astimezone(ZoneInfo(subscriber.timezone))
            in_window = (local.month, local.day) == (7, 30) and local.time() >= NINE
            if in_window and tick not in down:
                up_in_window[subscriber.chat_id] = True
        if tick in down:
            continue
        for due in owed(real_kb, subscribers, ledger, now, NINE, VIENNA):
            ledger.setdefault(due.year, {})[due.chat_id] = "sent"
            sends[due.chat_id].append(now)
    for subscriber in subscribers:
        times = sends[subscriber.chat_id]
        assert len(times) == (1 if up_in_window[subscriber.chat_id] else 0)
        for moment in times:
            local = moment.astimezone(ZoneInfo(subscriber.timezone))
            assert (local.month, local.day) == (7, 30) and local.time() >= NINE


@pytest.mark.parametrize(
    ("today", "year"),
    [(dt.date(2027, 1, 1), 2027), (dt.date(2027, 7, 30), 2027), (dt.date(2027, 7, 31), 2028)],
)
def test_the_next_announcement_year(real_kb: KnowledgeBase, today: dt.date, year: int) -> None:
    assert next_announcement_year(real_kb, today) == year


def test_a_former_office_holder_is_quoted_as_then_and_an_old_figure_says_so(
    real: Responder,
) -> None:
    reply = announcement(real, 2027)
    assert reply is not None
    assert "— Helga Maria Schmid, then OSCE Secretary General" in reply.body
    assert "(As of July 2023; it may have changed since.)" in reply.body


def test_the_announcement_of_its_own_year_quotes_the_holder_as_current(real: Responder) -> None:
    reply = announcement(real, 2024)
    assert reply is not None
    assert "— Helga Maria Schmid, OSCE Secretary General" in reply.body


def test_validation_flags_a_former_office_holder_named_as_current(real_kb: KnowledgeBase) -> None:
    [record] = real_kb.announcements
    intro = {"en": "Today OSCE Secretary General Helga Maria Schmid asks everyone to act."}
    changed = replace(real_kb, announcements=(record.model_copy(update={"intro": intro}),))
    [problem] = check_dated_texts(changed, dt.date(2026, 12, 7))
    assert "names Helga Maria Schmid" in problem.reason and "2027" in problem.reason
    assert check_dated_texts(changed, dt.date(2024, 7, 1)) == []
    assert check_dated_texts(real_kb, dt.date(2026, 12, 7)) == []
