"""The awareness-day calendar: when each day next falls, which days come next, and which
day a short name or date ("eu day", "30 july") means.

Pure functions of the days and `today`; no clock is read here. A day on 29 February falls
only in leap years, so its next occurrence may be up to four years away.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.schema import AwarenessDay
from bot.text import fold


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


# --- finding one day by name ---------------------------------------------------------------
# The days are few and their names long and alike ("International Day for the Abolition of
# Slavery", "... Remembrance of the Victims of Slavery ..."), so a day is found by how much of
# the query its best name or alias explains (and how much of that name the query covers), not
# by general question matching. A query that fits two days about equally finds neither: the
# caller then lists the candidates rather than guessing. rapidfuzz has one owner, `matching`
# (see tests/test_architecture.py), and `matching` imports this module through `entries`;
# the few typo corrections needed here are done with the standard library's difflib.

FIND_SCORE = 70.0
"""A day is found only at or above this score (0-100): one content word out of a four-word
name (e.g. "unesco") still passes; half the query unexplained does not."""
FIND_MARGIN = 10.0
"""The lead over the next day that a find needs; closer than this is a tie and finds nothing."""
QUERY_COVERAGE_EXPONENT = 0.7
NAME_COVERAGE_EXPONENT = 0.3
"""Explaining the whole query counts more than covering the whole name: "migrants" should
find "International Migrants Day", but "eu pizza" should not find the EU day."""
TYPO_CUTOFF = 0.8
"""difflib ratio at which an unknown word is read as a typo of a word in some name."""
MIN_TYPO_LENGTH = 4
TYPO_PENALTY = 30.0
"""Points lost per unit of difference (1 - ratio) between a typo and the word it was read as."""
ORDER_FACTOR = 0.9
"""A name holding the query's words apart or in another order scores this share of one
holding them as a phrase: "remembrance of the slave trade" is the 23 August day's name, and
only a jumble of the 25 March day's "transatlantic slave trade remembrance day"."""
MAX_QUERY_LENGTH = 200
"""No name is this long; a longer query is not a name and is not searched."""

# Words that every name has or that a name query wraps around the name; they say nothing
# about which day is meant.
_FILLER = frozenset(
    {"a", "an", "the", "of", "for", "and", "its", "in", "on", "to", "day", "days", "against"}
    | {"what", "whats", "when", "which", "is"}
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            # English, then Russian (nominative and genitive, as folded: "май" is "маи")
            ("january", "jan", "январь", "января"),
            ("february", "feb", "февраль", "февраля"),
            ("march", "mar", "март", "марта"),
            ("april", "apr", "апрель", "апреля"),
            ("may", "маи", "мая"),
            ("june", "jun", "июнь", "июня"),
            ("july", "jul", "июль", "июля"),
            ("august", "aug", "август", "августа"),
            ("september", "sept", "sep", "сентябрь", "сентября"),
            ("october", "oct", "октябрь", "октября"),
            ("november", "nov", "ноябрь", "ноября"),
            ("december", "dec", "декабрь", "декабря"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*\d{4})?"
# (pattern, which groups hold the day and the month); tried in order, the first match wins.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b\d{4}-(\d{1,2})-(\d{1,2})\b"), "md"),  # 2025-07-30
    (re.compile(rf"\b{_DAY}\s*(?:of\s+)?{_MONTH}(?!\w){_YEAR}"), "dm"),  # 30 july, 30th of jul
    (re.compile(rf"\b{_MONTH}\s*{_DAY}\b{_YEAR}"), "md"),  # july 30, jul 30th
    # 30.07, 30/07; read as month/day only when day/month is no date (07/30)
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](?:\d{4}|\d{2}))?\b\.?"), "dm|md"),
)
_WORD_RE = re.compile(r"[^\W_]+")


def find_day(days: Sequence[AwarenessDay], query: str) -> AwarenessDay | None:
    """The one day a short query names ("eu day", "abolition of slavery", "30 july"), or None.

    Names and aliases in every language count. A date alone finds the day on it; a date with
    words ("18 october eu") looks for the words among the days on that date. None when nothing
    fits well enough, or when two days fit about equally ("slavery", a date two days share).
    """
    ranked = rank_days(days, query)
    if not ranked:
        return None
    best_score, best = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    if best_score < FIND_SCORE or best_score - runner_up < FIND_MARGIN:
        return None
    return best


def rank_days(days: Sequence[AwarenessDay], query: str) -> list[tuple[float, AwarenessDay]]:
    """Every day the query may name, with its score (0-100), best first (what `find_day` weighs).

    A query that is only a date gives the days on that date, each at 100.
    """
    if len(query) > MAX_QUERY_LENGTH:
        return []
    text, month_day = _take_date(fold(query))
    if month_day is not None:
        days = [day for day in days if day.date == month_day]
    names = {day.id: [_Name.of(name) for name in _names(day)] for day in days}
    vocabulary = sorted({word for day_names in names.values() for n in day_names for word in n.all})
    words, penalty = _correct(_WORD_RE.findall(text), vocabulary)
    wanted = tuple(dict.fromkeys(word for word in words if word not in _FILLER))
    if not wanted:
        return [(100.0, day) for day in days] if month_day is not None else []
    scored = [
        (max(0.0, max(_score(wanted, name, month_day) for name in names[day.id]) - penalty), day)
        for day in days
    ]
    return sorted(((score, day) for score, day in scored if score > 0.0), key=lambda pair: -pair[0])


@dataclass(frozen=True)
class _Name:
    """One name of a day as words: its content words in order, and the date it holds if any."""

    words: tuple[str, ...]
    month_day: str | None
    all: frozenset[str]
    """Every word, filler included (what a typo may be corrected to)."""

    @classmethod
    def of(cls, name: str) -> _Name:
        text, month_day = _take_date(fold(name))
        every = _WORD_RE.findall(text)
        content = tuple(dict.fromkeys(word for word in every if word not in _FILLER))
        return cls(content, month_day, frozenset(every))


def _names(day: AwarenessDay) -> list[str]:
    """Every name a day goes by: its names and aliases in all languages, and its id."""
    found = [*day.name.values(), day.id.replace("-", " ")]
    for aliases in day.aliases.values():
        found.extend(aliases)
    return found


def _take_date(folded: str) -> tuple[str, str | None]:
    """The first real month and day in the text as "MM-DD", and the text without it."""
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            first, second = match.group(1), match.group(2)
            if order == "md":
                month_day = _month_day(first, second)
            else:
                month_day = _month_day(second, first)
                if month_day is None and order == "dm|md":
                    month_day = _month_day(first, second)
            if month_day is not None:
                return folded[: match.start()] + " " + folded[match.end() :], month_day
    return folded, None


def _month_day(month: str, day: str) -> str | None:
    """ "MM-DD" if `month` (a number or a name) and `day` make a date in a leap year."""
    number = int(month) if month.isdigit() else _MONTHS.get(month)
    if number is None or not 1 <= number <= 12:
        return None
    if not 1 <= int(day) <= calendar.monthrange(2000, number)[1]:
        return None
    return f"{number:02d}-{int(day):02d}"


def _correct(words: list[str], vocabulary: Sequence[str]) -> tuple[list[str], float]:
    """Unknown words read as the closest word of some name, if close; and what that costs."""
    known = frozenset(vocabulary)
    corrected: list[str] = []
    penalty = 0.0
    for word in words:
        if word in known or len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=TYPO_CUTOFF)
        if not close:
            corrected.append(word)
            continue
        corrected.append(close[0])
        penalty += (1.0 - difflib.SequenceMatcher(None, word, close[0]).ratio()) * TYPO_PENALTY
    return corrected, penalty


def _score(wanted: tuple[str, ...], name: _Name, month_day: str | None) -> float:
    """0-100: how much of the query the name explains, and how much of the name it covers.

    A date counts as one more word on both sides: the query's date is one every candidate
    has (the days were chosen by it), and a name's own date ("30 july trafficking day") must
    be asked for, or the name covers less of the query than it seems to.
    """
    shared = len(set(wanted) & set(name.words))
    if not shared:
        return 0.0
    query_size = len(wanted) + (month_day is not None)
    name_size = len(name.words) + (month_day is not None or name.month_day is not None)
    shared += month_day is not None
    query_coverage: float = (shared / query_size) ** QUERY_COVERAGE_EXPONENT
    name_coverage: float = (shared / name_size) ** NAME_COVERAGE_EXPONENT
    order = 1.0 if _in_order(wanted, name.words) else ORDER_FACTOR
    return 100.0 * query_coverage * name_coverage * order


def _in_order(wanted: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether the name holds the query's words as one run, in the query's order."""
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))
