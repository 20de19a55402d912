"""The awareness-day calendar: next dates, countdowns, leap years, year ends, and finding a day."""

from __future__ import annotations

import calendar
import datetime as dt
import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.awareness import falling_on, find_day, next_date, rank_days, upcoming
from bot.dates import countdown, format_partial_date
from bot.knowledge import KnowledgeBase
from bot.schema import AwarenessDay, Origin

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


# --- every date of four years, over the real days ------------------------------------------

LEAP_DAY = AwarenessDay(
    id="test-leap-day",
    name={"en": "Test Leap Day"},
    date="02-29",
    origin=Origin(proclaimed_by="Nobody"),
    description={"en": "A test-only day that exists only in leap years."},
    sources=("src-test",),
)


def test_every_date_of_four_years_including_a_leap_year(real_kb: KnowledgeBase) -> None:
    days = (*real_kb.awareness_days, LEAP_DAY)
    ids = sorted(day.id for day in days)
    today, last = dt.date(2027, 1, 1), dt.date(2030, 12, 31)
    assert any(calendar.isleap(year) for year in range(today.year, last.year + 1))
    while today <= last:
        items = upcoming(days, today)
        dates = [o.date for o in items]
        assert sorted(o.day.id for o in items) == ids  # each day exactly once
        assert dates == sorted(dates)
        assert all(o.date >= today and o.days_until == (o.date - today).days for o in items)
        assert all(f"{o.date.month:02d}-{o.date.day:02d}" == o.day.date for o in items)
        falling_today = {day.id for day in falling_on(days, today)}
        assert {o.day.id for o in items[: len(falling_today)]} == falling_today
        assert all(o.days_until == 0 for o in items[: len(falling_today)])
        for o in items:
            if o.day is LEAP_DAY:
                assert o.date.month == 2 and o.date.day == 29 and calendar.isleap(o.date.year)
                assert o.days_until < 4 * 366
            else:
                assert o.days_until < 366  # every other day comes round within a year
        if (today.month, today.day) == (12, 31):
            later = items[len(falling_today) :]
            assert later and all(o.date.year > today.year for o in later)
            assert all(o.date.year == today.year + 1 for o in later if o.day is not LEAP_DAY)
        today += dt.timedelta(days=1)


# --- finding a day by name or date ----------------------------------------------------------

WORLD = "world-day-against-trafficking"
EU = "eu-anti-trafficking-day"
UK = "uk-anti-slavery-day"
ABOLITION = "day-abolition-of-slavery"
VICTIMS = "day-remembrance-victims-of-slavery"
SLAVE_TRADE = "day-remembrance-slave-trade-abolition"
CHILD_LABOUR = "world-day-against-child-labour"
MIGRANTS = "international-migrants-day"
HUMAN_RIGHTS = "human-rights-day"
PRAYER = "day-of-prayer-against-trafficking"

FIND_TABLE: list[tuple[str, str | None]] = [
    # names and aliases, in any case and punctuation
    ("eu day", EU),
    ("EU DAY!!", EU),
    ("eu-day", EU),
    ("eu anti-trafficking day", EU),
    ("european day", EU),
    ("when is the eu day", EU),
    ("World Day against Trafficking in Persons", WORLD),
    ("world anti trafficking day", WORLD),
    ("anti-trafficking day", WORLD),
    ("abolition of slavery", ABOLITION),
    ("International Day for the Abolition of Slavery", ABOLITION),
    ("anti-slavery day", UK),
    ("uk", UK),
    ("victims of slavery", VICTIMS),
    ("transatlantic slave trade", VICTIMS),
    ("remembrance of the slave trade", SLAVE_TRADE),
    ("abolition of the slave trade", SLAVE_TRADE),
    ("unesco", SLAVE_TRADE),
    ("saint-domingue", SLAVE_TRADE),
    ("child labor", CHILD_LABOUR),
    ("ilo", CHILD_LABOUR),
    ("migrants", MIGRANTS),
    ("world migrants day", MIGRANTS),
    ("udhr", HUMAN_RIGHTS),
    ("human rights", HUMAN_RIGHTS),
    ("bakhita", PRAYER),
    ("prayer", PRAYER),
    ("world-day-against-trafficking", WORLD),  # the id itself
    # typos
    ("wrld day agaisnt trafficing", WORLD),
    ("slavry abolishon", ABOLITION),
    # dates, in the ways people write them
    ("30 july", WORLD),
    ("july 30", WORLD),
    ("30th of July", WORLD),
    ("30 july 2025", WORLD),
    ("30.07", WORLD),
    ("30/07", WORLD),
    ("07/30", WORLD),  # no 7th of the 30th month: read as month/day
    ("2025-12-18", MIGRANTS),
    ("10 dec", HUMAN_RIGHTS),
    ("10.12.", HUMAN_RIGHTS),
    ("march 25th", VICTIMS),
    ("23rd of august", SLAVE_TRADE),
    ("2.12", ABOLITION),
    # a date with words: the words choose among the days on that date
    ("18 october eu", EU),
    ("18 october slavery", UK),
    ("30 july trafficking", WORLD),
    # ambiguous: two or more days fit about equally, so none is chosen
    ("18 october", None),  # EU Anti-Trafficking Day and the UK's Anti-Slavery Day
    ("slavery", None),
    ("world day", "world-day-against-trafficking"),  # the bot's flagship day, as people say it
    ("trafficking", None),
    ("human trafficking", None),
    ("slave trade", None),
    ("abolition", None),
    ("international day", None),
    # dates with no day, and junk
    ("29 february", None),
    ("12/10", None),
    ("july", None),
    ("30 july pizza", None),
    ("eu pizza", None),
    ("pizza", None),
    ("haiti", None),
    ("day", None),
    ("the", None),
    ("", None),
    ("   ", None),
    ("🎉🎉", None),
    ("world day 2024", None),
    ("resolution 68/192", None),
    ("".join(random.Random(5).choices(string.printable, k=4000)), None),
]


@pytest.mark.parametrize(("query", "expected"), FIND_TABLE, ids=lambda v: repr(v)[:40])
def test_find_day(real_kb: KnowledgeBase, query: str, expected: str | None) -> None:
    found = find_day(real_kb.awareness_days, query)
    assert (found.id if found else None) == expected


def test_find_table_names_real_days(real_kb: KnowledgeBase) -> None:
    ids = {day.id for day in real_kb.awareness_days}
    assert {expected for _, expected in FIND_TABLE if expected} <= ids
    assert len(FIND_TABLE) >= 25


def test_find_day_reads_names_and_aliases_in_every_language() -> None:
    day = AwarenessDay(
        id="test-day",
        name={"en": "Test Day against Trafficking", "ru": "Всемирный день против торговли людьми"},
        date="05-05",
        origin=Origin(proclaimed_by="Nobody"),
        description={"en": "A test-only day."},
        aliases={"de": ("Welttag gegen Menschenhandel",)},
        sources=("src-test",),
    )
    days = (day, LEAP_DAY)
    assert find_day(days, "всемирный день против торговли людьми") is day
    assert find_day(days, "Welttag gegen Menschenhändel") is day  # accents folded
    assert find_day(days, "29.02") is LEAP_DAY
    assert find_day(days, "5 may") is day


def test_a_close_tie_finds_nothing() -> None:
    twins = tuple(
        AwarenessDay(
            id=f"twin-{n}",
            name={"en": f"Day of the Twin {suffix}"},
            date=date,
            origin=Origin(proclaimed_by="Nobody"),
            description={"en": "A test-only day."},
            sources=("src-test",),
        )
        for n, (suffix, date) in enumerate([("Alpha", "01-01"), ("Beta", "01-02")])
    )
    first, second = (score for score, _ in rank_days(twins, "twin"))
    assert first == second
    assert find_day(twins, "twin") is None
    assert find_day(twins, "twin alpha") is twins[0]


@given(query=st.text(max_size=300))
def test_find_day_never_fails_and_finds_only_given_days(query: str) -> None:
    found = find_day((LEAP_DAY,), query)
    assert found is None or found is LEAP_DAY


@pytest.mark.parametrize(
    "name",
    ["world day", "World Day", "world anti-trafficking day", "30 july", "anti trafficking day"],
)
def test_the_flagship_day_is_found_by_its_common_names(real_kb: KnowledgeBase, name: str) -> None:
    found = find_day(real_kb.awareness_days, name)
    assert found is not None and found.id == "world-day-against-trafficking"
