"""The awareness-day calendar: when each day next falls, and which days come next.

Pure functions of the days and `today`; no clock is read here. A day on 29 February falls
only in leap years, so its next occurrence may be up to four years away.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot.schema import AwarenessDay


@dataclass(frozen=True)
class Occurrence:
    """One awareness day on the date it next falls, and how many days away that is."""

    day: AwarenessDay
    date: dt.date
    days_until: int


def next_date(month_day: str, today: dt.date) -> dt.date:
    """The first date on or after `today` that falls on `month_day` ("MM-DD")."""
    month, day = (int(part) for part in month_day.split("-"))
    year = today.year
    while True:
        if day <= calendar.monthrange(year, month)[1]:
            candidate = dt.date(year, month, day)
            if candidate >= today:
                return candidate
        year += 1


def occurrence(day: AwarenessDay, today: dt.date) -> Occurrence:
    """When `day` next falls, counted from `today` (0 when it is today)."""
    date = next_date(day.date, today)
    return Occurrence(day, date, (date - today).days)


def upcoming(
    days: Iterable[AwarenessDay], today: dt.date, limit: int | None = None
) -> list[Occurrence]:
    """The days in the order they next fall, today's first; at most `limit` of them."""
    ordered = sorted(
        (occurrence(day, today) for day in days),
        key=lambda o: (o.date, o.day.name["en"].casefold()),
    )
    return ordered if limit is None else ordered[: max(limit, 0)]


def falling_on(days: Iterable[AwarenessDay], date: dt.date) -> list[AwarenessDay]:
    """The days whose month and day are `date`'s."""
    key = f"{date.month:02d}-{date.day:02d}"
    return [day for day in days if day.date == key]
