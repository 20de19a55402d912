"""Formatting dates for people: full dates, partial dates ("December 2024") and countdowns."""

from __future__ import annotations

import calendar
import datetime as dt

from bot.i18n import SOURCE_LANGUAGE, ngettext_for, translations
from bot.i18n import cldr_date as _cldr_date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: dt.date, language: str = SOURCE_LANGUAGE) -> str:
    """30 July 2024 (in Russian 30 июля 2024, from CLDR)."""
    if language != SOURCE_LANGUAGE:
        return _cldr_date(day, "d MMMM y", language)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_partial_date(value: str, language: str = SOURCE_LANGUAGE) -> str:
    """'2024' -> '2024', '2024-12' -> 'December 2024', '2024-12-05' -> '5 December 2024'."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    if language != SOURCE_LANGUAGE:
        first = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
        pattern = "LLLL y" if len(parts) == 2 else "d MMMM y"
        return _cldr_date(first, pattern, language)
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def format_month_day(month_day: str, language: str = SOURCE_LANGUAGE) -> str:
    """'07-30' -> '30 July'."""
    month, day = month_day.split("-")
    if language != SOURCE_LANGUAGE:
        return _cldr_date(dt.date(2000, int(month), int(day)), "d MMMM", language)
    return f"{int(day)} {MONTHS[int(month) - 1]}"


def countdown(days: int, language: str = SOURCE_LANGUAGE) -> str:
    """How far away a day is, in words: today, tomorrow, in 12 days."""
    t = translations(language)
    if days == 0:
        return t.gettext("today")
    if days == 1:
        return t.gettext("tomorrow")
    return ngettext_for(language, "in {count} day", "in {count} days", days).format(count=days)


STALE_AFTER_DAYS = 365
"""An "as of" date older than this is flagged to the reader."""


def partial_date_end(value: str) -> dt.date:
    """The last day a partial date covers: '2025' -> 31 December 2025, '2025-02' -> 28 Feb."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def partial_date_start(value: str) -> dt.date:
    """The first day a partial date covers: '2025' -> 1 January 2025."""
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def is_stale(as_of: str, today: dt.date) -> bool:
    """Whether a fact true "as of" a partial date ('2025', '2025-12', '2025-12-06') may be
    more than a year old by `today`: a month or year counts from its first day, since the
    fact may date from then."""
    return (today - partial_date_start(as_of)).days > STALE_AFTER_DAYS
