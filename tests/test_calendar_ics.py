"""The .ics export: parsed back with icalendar, one yearly all-day event per awareness day."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Event

from bot.calendar_ics import CALENDAR_NAME, calendar_ics, first_date
from bot.entries import proclaimer
from bot.knowledge import KnowledgeBase
from bot.schema import AwarenessDay, Origin

STAMP = dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.UTC)


def events(ics: bytes) -> list[Event]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def at_midnight(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


def day(date: str, *, first_observed: int | None = None, **fields: Any) -> AwarenessDay:
    return AwarenessDay(
        id=fields.pop("id", "test-day"),
        name=fields.pop("name", {"en": "Test Day"}),
        date=date,
        origin=Origin(proclaimed_by="Nobody", first_observed=first_observed),
        description=fields.pop("description", {"en": "A test day."}),
        sources=("src-un",),
    )


def test_calendar_properties(real_kb: KnowledgeBase) -> None:
    cal = Calendar.from_ical(calendar_ics(real_kb, stamp=STAMP))
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == CALENDAR_NAME


def test_one_event_per_day_with_stable_unique_uids(real_kb: KnowledgeBase) -> None:
    first = events(calendar_ics(real_kb, stamp=STAMP))
    again = events(calendar_ics(real_kb, stamp=STAMP + dt.timedelta(days=400)))
    uids = [str(event["UID"]) for event in first]
    assert sorted(uids) == sorted(f"{d.id}@oscebot" for d in real_kb.awareness_days)
    assert len(set(uids)) == len(uids) == len(real_kb.awareness_days)
    assert uids == [str(event["UID"]) for event in again]


def test_every_event_is_a_yearly_all_day_event_on_its_date(real_kb: KnowledgeBase) -> None:
    by_uid = {str(e["UID"]): e for e in events(calendar_ics(real_kb, stamp=STAMP))}
    for d in real_kb.awareness_days:
        event = by_uid[f"{d.id}@oscebot"]
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        assert type(start) is dt.date  # a date, not a date-time: an all-day event
        assert f"{start.month:02d}-{start.day:02d}" == d.date
        if d.origin.first_observed is not None:
            assert start.year == d.origin.first_observed
        assert end == start + dt.timedelta(days=1)
        assert event["RRULE"]["FREQ"] == ["YEARLY"]
        assert str(event["SUMMARY"]) == d.name["en"]
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event.decoded("DTSTAMP") == STAMP
        first_source = real_kb.sources[d.sources[0]]
        assert str(event["URL"]) == first_source.url
        description = str(event["DESCRIPTION"])
        assert description.startswith(f"Proclaimed by {proclaimer(d.origin.proclaimed_by)}")
        assert f"Source: {first_source.title}, {first_source.url}" in description


def test_the_stamp_is_written_in_utc(real_kb: KnowledgeBase) -> None:
    vienna = dt.timezone(dt.timedelta(hours=2))
    ics = calendar_ics(real_kb, stamp=dt.datetime(2026, 7, 30, 10, 0, tzinfo=vienna))
    assert b"DTSTAMP:20260730T080000Z\r\n" in ics
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar_ics(real_kb, stamp=dt.datetime(2026, 7, 30, 10, 0))  # noqa: DTZ001


def test_output_is_deterministic_for_a_given_stamp(real_kb: KnowledgeBase) -> None:
    assert calendar_ics(real_kb, stamp=STAMP) == calendar_ics(real_kb, stamp=STAMP)


def test_lines_end_in_crlf_and_are_folded_to_75_octets(real_kb: KnowledgeBase) -> None:
    ics = calendar_ics(real_kb, stamp=STAMP)
    assert ics.endswith(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long descriptions were folded


def test_text_escapes_round_trip(real_kb: KnowledgeBase) -> None:
    tricky = "Commas, semicolons; a backslash \\ and\na new line"
    kb = KnowledgeBase(
        directory=real_kb.directory,
        sources=real_kb.sources,
        awareness_days=(
            day("05-05", name={"en": "Day of A, B; and C"}, description={"en": tricky}),
        ),
    )
    ics = calendar_ics(kb, stamp=STAMP)
    assert b"SUMMARY:Day of A\\, B\\; and C\r\n" in ics
    [event] = events(ics)
    assert str(event["SUMMARY"]) == "Day of A, B; and C"
    # Whitespace inside the description is collapsed to keep each part on one line.
    assert "Commas, semicolons; a backslash \\ and a new line" in str(event["DESCRIPTION"])


def test_a_29_february_day_starts_in_a_leap_year_and_recurs_only_in_leap_years(
    real_kb: KnowledgeBase,
) -> None:
    kb = KnowledgeBase(
        directory=real_kb.directory,
        sources=real_kb.sources,
        awareness_days=(day("02-29", first_observed=2027),),
    )
    [event] = events(calendar_ics(kb, stamp=STAMP))
    start = event.decoded("DTSTART")
    assert start == dt.date(2028, 2, 29)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=at_midnight(2028, 2, 29))
    dates = [d.date() for d in rule.between(at_midnight(2028, 1, 1), at_midnight(2110, 1, 1))]
    assert all(d.month == 2 and d.day == 29 for d in dates)
    # Every leap year, and only those: 2100 is not one (RFC 5545 skips the invalid date).
    assert [d.year for d in dates] == [y for y in range(2028, 2110) if calendar.isleap(y)]
    assert 2096 in [d.year for d in dates] and 2100 not in [d.year for d in dates]


@pytest.mark.parametrize(
    ("date", "first_observed", "expected"),
    [
        ("07-30", 2014, dt.date(2014, 7, 30)),
        ("07-30", None, dt.date(2000, 7, 30)),
        ("02-29", None, dt.date(2000, 2, 29)),
        ("02-29", 2015, dt.date(2016, 2, 29)),
        ("02-29", 2096, dt.date(2096, 2, 29)),
        ("02-29", 2097, dt.date(2104, 2, 29)),
    ],
)
def test_first_date(date: str, first_observed: int | None, expected: dt.date) -> None:
    assert first_date(day(date, first_observed=first_observed)) == expected
