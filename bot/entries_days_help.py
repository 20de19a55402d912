"""Entries generated for awareness days (each day, with its countdown, and the overview) and
help numbers (the overview by country, and each number) (see `entries`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.awareness import occurrence, upcoming
from bot.dates import countdown, format_date, format_month_day
from bot.entry import (
    EN,
    Entry,
    day_entry_id,
    proclaimer,
    sentence,
    sources_of,
    static,
    unique,
)
from bot.knowledge import KnowledgeBase
from bot.schema import (
    AwarenessDay,
    HelpLine,
)

# --- awareness days ------------------------------------------------------------------------


def _origin(day: AwarenessDay) -> str:
    origin = day.origin
    instrument = f" in {origin.instrument}" if origin.instrument else ""
    first = f" and first observed in {origin.first_observed}" if origin.first_observed else ""
    return f"It was proclaimed by {proclaimer(origin.proclaimed_by)}{instrument}{first}."


def _day_entry(day: AwarenessDay, shared_dates: set[str]) -> Entry:
    name = day.name[EN]
    aliases = day.aliases.get(EN, ())
    on = format_month_day(day.date)
    questions = [
        f"When is {name}?",
        f"What is {name}?",
        name,
        f"date of {name}",
        f"When is {name} marked each year?",
    ]
    if day.date not in shared_dates:
        questions.append(f"What day is marked on {on}?")
    for alias in aliases:
        questions += [alias, f"When is {alias}?"]

    def body(today: dt.date) -> str:
        nxt = occurrence(day, today)
        link = f" {sentence(day.osce_link[EN])}" if day.osce_link else ""
        return (
            f"{name} is marked every year on {format_month_day(day.date)}. "
            f"Next: {format_date(nxt.date)}, {countdown(nxt.days_until)}. "
            f"{_origin(day)} {sentence(day.description[EN])}{link}"
        )

    return Entry(
        id=day_entry_id(day.id),
        kind="answer",
        questions=unique(questions),
        body=body,
        evidence=" ".join([_origin(day), day.description[EN], *(day.osce_link or {}).values()]),
        more=day.more[EN] if day.more else None,
        sources=day.sources,
        related=("awareness-days",),
        generated=True,
        record=day.id,
    )


def _days_overview(kb: KnowledgeBase) -> Entry:
    def body(today: dt.date) -> str:
        lines = [
            f"{format_date(o.date)} ({countdown(o.days_until)}): {o.day.name[EN]}"
            for o in upcoming(kb.awareness_days, today)
        ]
        return "Awareness days coming up:\n" + "\n".join(lines)

    return Entry(
        id="awareness-days",
        kind="answer",
        questions=(
            "Which awareness days are coming up?",
            "next awareness day",
            "upcoming anti-trafficking awareness days",
            "list of international days against trafficking and slavery",
            "calendar of awareness days",
            "What is the next international day related to trafficking?",
        ),
        body=body,
        sources=sources_of(*(d.sources for d in kb.awareness_days)),
        generated=True,
    )


# --- help ----------------------------------------------------------------------------------


def help_lines(
    kb: KnowledgeBase, lines: Sequence[HelpLine], language: str
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The help numbers' screen in `language`: the general numbers as bullet lines, then
    (country, its numbers) for each country, by name (police numbers are in the guide)."""
    general = [f"• {h.number}: {h.name[language]}" for h in lines if not h.countries]
    general += [
        f"• {h.number}: {h.name[language]} ({h.in_language(language).area})"
        for h in lines
        if len(h.countries) > 3
    ]
    by_country: dict[str, list[str]] = {}
    for line in lines:
        if 0 < len(line.countries) <= 3 and line.kind != "police":
            for code in line.countries:
                by_country.setdefault(code, []).append(line.number)
    names = kb.safety_guide.countries if kb.safety_guide is not None else {}
    countries = sorted(
        (names[c].names.get(language, names[c].names[EN]) if c in names else c, numbers)
        for c, numbers in by_country.items()
    )
    return general, countries


def _help(kb: KnowledgeBase) -> Entry | None:
    """Every help number on one screen: the general ones, then one line per country."""
    if not kb.help:
        return None
    general, countries = help_lines(kb, kb.help, EN)
    return Entry(
        id="help-numbers",
        kind="answer",
        questions=(
            "Where can I get help?",
            "emergency number",
            "I am in danger",
            "Who can I call for help?",
            "hotline for victims of trafficking",
            "help me please",
            "What number should I call if I need help?",
            "What is the hotline number?",
            "helpline numbers",
        ),
        body=static(
            "In immediate danger, call 112 or the local emergency number.\n"
            + "\n".join(general)
            + "\nAnti-trafficking hotlines and help lines by country:\n"
            + "\n".join(f"• {name}: {', '.join(numbers)}" for name, numbers in countries)
            + '\nAsk about one number ("what is 1547?") for who answers it. This bot only gives '
            "information and cannot report a case."
        ),
        sources=sources_of(*(h.sources[:1] for h in kb.help)),
        compact_sources=True,
        generated=True,
    )


def _help_line(line: HelpLine) -> Entry:
    """One number on its own ("what is 112?"); by name, a number is in the lists."""
    name = line.name[EN]
    return Entry(
        id=line.id,
        kind="answer",
        questions=(
            f"What is {line.number}?",
            line.number,
            f"Who answers {line.number}, and where does it work?",
            f"What kind of number is {line.number}?",
            f"calling {line.number}",
        ),
        body=static(
            f"{line.number}: {name}{'' if line.area in name else f' ({line.area})'}. "
            f"{sentence(line.description[EN])}\n"
            "This bot only gives information and cannot report a case."
        ),
        sources=line.sources,
        related=("help-numbers",),
        topics=("help", "hotline"),
        generated=True,
        record=line.id,
    )


def day_entries(kb: KnowledgeBase) -> list[Entry]:
    """Each awareness day, then the overview of the days coming up."""
    dates = [day.date for day in kb.awareness_days]
    shared_dates = {d for d in dates if dates.count(d) > 1}
    entries = [_day_entry(day, shared_dates) for day in kb.awareness_days]
    if kb.awareness_days:
        entries.append(_days_overview(kb))
    return entries


def help_entries(kb: KnowledgeBase) -> list[Entry]:
    """The help numbers on one screen, then each number on its own."""
    overview = _help(kb)
    return ([] if overview is None else [overview]) + [_help_line(line) for line in kb.help]
