"""The awareness-day calendar: next dates, countdowns, leap years and year ends."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bot.awareness import falling_on, next_date, upcoming
from bot.dates import countdown, format_partial_date
from bot.knowledge import KnowledgeBase

SPAN = st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2030, 12, 31))
MONTH_DAYS = st.sampled_from(["01-01", "02-28", "02-29", "03-01", "07-30", "10-18", "12-31"])


@given(today=SPAN, month_day=MONTH_DAYS)
def test_next_date_is_the_first_matching_date_on_or_after_today(
    today: dt.date, month_day: str
) -> None:
    found = next_date(month_day, today)
    assert found >= today
    assert f"{found.month:02d}-{found.day:02d}" == month_day
    day = today
    while day < found:  # no earlier date in between falls on month_day
        assert f"{day.month:02d}-{day.day:02d}" != month_day
        day += dt.timedelta(days=1)


def test_every_day_of_four_years(mini_kb: KnowledgeBase) -> None:
    day = dt.date(2027, 1, 1)
    while day <= dt.date(2030, 12, 31):
        items = upcoming(mini_kb.awareness_days, day)
        assert [o.date for o in items] == sorted(o.date for o in items)
        assert all(o.days_until == (o.date - day).days >= 0 for o in items)
        day += dt.timedelta(days=1)


def test_leap_day_waits_for_a_leap_year(mini_kb: KnowledgeBase) -> None:
    items = {o.day.id: o for o in upcoming(mini_kb.awareness_days, dt.date(2027, 3, 1))}
    assert items["leap-day"].date == dt.date(2028, 2, 29)


def test_year_end_rolls_into_the_new_year(mini_kb: KnowledgeBase) -> None:
    items = upcoming(mini_kb.awareness_days, dt.date(2026, 12, 31), limit=1)
    assert items[0].date.year == 2027


def test_today_comes_first(mini_kb: KnowledgeBase) -> None:
    items = upcoming(mini_kb.awareness_days, dt.date(2027, 7, 30))
    assert items[0].day.id == "world-day"
    assert items[0].days_until == 0
    assert falling_on(mini_kb.awareness_days, dt.date(2027, 7, 30))[0].id == "world-day"


def test_limit(mini_kb: KnowledgeBase) -> None:
    assert len(upcoming(mini_kb.awareness_days, dt.date(2027, 1, 1), limit=1)) == 1
    assert upcoming(mini_kb.awareness_days, dt.date(2027, 1, 1), limit=0) == []


def test_words() -> None:
    assert [countdown(0), countdown(1), countdown(12)] == ["today", "tomorrow", "in 12 days"]
    assert format_partial_date("2024") == "2024"
    assert format_partial_date("2024-12") == "December 2024"
    assert format_partial_date("2024-07-05") == "5 July 2024"
