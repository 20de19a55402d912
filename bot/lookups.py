"""The matchable entries in a language other than English (Russian today).

The same records as `entries`, read in `language`: hand-written facts and smalltalk give their
`ru` answer and phrasings; the lookups generated from structured data (awareness days, help
numbers, institutions, field operations, membership, office holders, quotes) take every
template, question and answer alike, from the language's gettext catalogue (`bot/i18n.py`)
and every name from the record's localised fields or its `translations`. A record that has no
text in the language yields no entry: the bot never answers in one language with another's
text. The English entries stay in `entries`, whose templates were tuned on the English tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from bot.awareness import occurrence, upcoming
from bot.dates import countdown, format_date, format_month_day
from bot.entries import Entry, day_entry_id, merge_entries
from bot.entries_days_help import help_lines
from bot.entry import written_entries
from bot.i18n import N_
from bot.knowledge import KnowledgeBase
from bot.lookup_base import LookupBuilder, sentence, static, unique
from bot.lookups_structures import StructureLookups
from bot.schema import AwarenessDay, HelpLine

NOT_A_CASE = N_("This bot only gives information and cannot report a case.")


class _Lookups(LookupBuilder):
    """Facts, smalltalk, awareness days and help numbers."""

    # --- awareness days -------------------------------------------------------------------

    def days(self) -> Iterator[Entry]:
        days = [d for d in self.kb.awareness_days if self.language in d.name]
        for day in days:
            yield self._day(day)
        if days:
            yield self._days_overview(days)

    def _origin(self, day: AwarenessDay) -> str:
        origin = day.in_language(self.language).origin
        text = (
            self._("Proclaimed by: {proclaimer}, {instrument}.")
            if origin.instrument
            else self._("Proclaimed by: {proclaimer}.")
        ).format(proclaimer=origin.proclaimed_by, instrument=origin.instrument)
        if origin.first_observed:
            text += " " + self._("First observed in {year}.").format(year=origin.first_observed)
        return text

    def _day(self, day: AwarenessDay) -> Entry:
        lang = self.language
        name = day.name[lang]
        on = format_month_day(day.date, lang)
        questions = self.fill(
            (N_("When is {name}?"), N_("What is {name}?"), N_("{name}"), N_("date of {name}")),
            name=name,
        )
        if sum(d.date == day.date for d in self.kb.awareness_days) == 1:
            questions += self.fill((N_("What day is marked on {date}?"),), date=on)
        for alias in day.aliases.get(lang, ()):
            questions += [alias, *self.fill((N_("When is {name}?"),), name=alias)]
        link = (
            f" {sentence(day.osce_link[lang])}" if day.osce_link and lang in day.osce_link else ""
        )
        description = sentence(day.description.get(lang, ""))

        def body(today: dt.date) -> str:
            nxt = occurrence(day, today)
            when = self._("{name} is marked every year on {date}.").format(name=name, date=on)
            upcoming_line = self._("Next: {date}, {countdown}.").format(
                date=format_date(nxt.date, lang), countdown=countdown(nxt.days_until, lang)
            )
            return f"{when} {upcoming_line} {self._origin(day)} {description}{link}".strip()

        return Entry(
            id=day_entry_id(day.id),
            kind="answer",
            questions=unique(questions),
            body=body,
            evidence=f"{self._origin(day)} {description}{link}",
            more=day.more.get(lang) if day.more else None,
            sources=day.sources,
            related=("awareness-days",),
            generated=True,
            record=day.id,
        )

    def _days_overview(self, days: list[AwarenessDay]) -> Entry:
        lang = self.language

        def body(today: dt.date) -> str:
            lines = [
                f"{format_date(o.date, lang)} ({countdown(o.days_until, lang)}): {o.day.name[lang]}"
                for o in upcoming(days, today)
            ]
            return self._("Awareness days coming up:") + "\n" + "\n".join(lines)

        return Entry(
            id="awareness-days",
            kind="answer",
            questions=unique(
                self.fill(
                    (
                        N_("Which awareness days are coming up?"),
                        N_("next awareness day"),
                        N_("calendar of awareness days"),
                        N_("What is the next international day related to trafficking?"),
                    )
                )
            ),
            body=body,
            sources=tuple(dict.fromkeys(s for d in days for s in d.sources)),
            generated=True,
        )

    # --- help numbers ---------------------------------------------------------------------

    def help(self) -> Iterator[Entry]:
        lines = [h for h in self.kb.help if self.language in h.name]
        for line in lines:
            yield self._help_line(line)
        if lines:
            yield self._help_overview(lines)

    def _help_line(self, line: HelpLine) -> Entry:
        lang = self.language
        name = line.name[lang]
        area = line.in_language(lang).area
        where = "" if area in name else f" ({area})"
        return Entry(
            id=line.id,
            kind="answer",
            questions=unique(
                [
                    *self.fill(
                        (
                            N_("What is {number}?"),
                            N_("Who answers {number}, and where does it work?"),
                            N_("What kind of number is {number}?"),
                        ),
                        number=line.number,
                    ),
                    line.number,
                ]
            ),
            body=static(
                f"{line.number}: {name}{where}. {sentence(line.description.get(lang, ''))}\n"
                + self._(NOT_A_CASE)
            ),
            sources=line.sources,
            related=("help-numbers",),
            topics=("help", "hotline"),
            generated=True,
            record=line.id,
        )

    def _help_overview(self, lines: list[HelpLine]) -> Entry:
        lang = self.language
        general, countries = help_lines(self.kb, lines, lang)
        body = (
            self._("In immediate danger, call 112 or the local emergency number.")
            + "\n"
            + "\n".join(general)
            + "\n"
            + self._("Anti-trafficking hotlines and help lines by country:")
            + "\n"
            + "\n".join(f"• {name}: {', '.join(numbers)}" for name, numbers in countries)
            + "\n"
            + self._(NOT_A_CASE)
        )
        return Entry(
            id="help-numbers",
            kind="answer",
            questions=unique(
                self.fill(
                    (
                        N_("Where can I get help?"),
                        N_("emergency number"),
                        N_("Who can I call for help?"),
                        N_("hotline for victims of trafficking"),
                        N_("What number should I call if I need help?"),
                        N_("What is the hotline number?"),
                        N_("helpline numbers"),
                        N_("hotline"),
                        N_("help"),
                        N_("help numbers"),
                        N_("confidential helpline"),
                    )
                )
            ),
            body=static(body),
            sources=tuple(dict.fromkeys(h.sources[0] for h in lines)),
            compact_sources=True,
            generated=True,
        )


def build_localised_entries(kb: KnowledgeBase, language: str) -> tuple[Entry, ...]:
    """Every entry the knowledge base has text for in `language` (not English)."""
    builder = _Lookups(kb, language)
    structures = StructureLookups(kb, language)
    entries = [
        *written_entries(kb, language),
        *builder.days(),
        *builder.help(),
        *structures.institutions(),
        *structures.field_operations(),
        *structures.membership(),
        *structures.roles(),
        *structures.quotes(),
    ]
    by_id: dict[str, Entry] = {}
    for entry in entries:  # a hand-written fact keeps its id over a generated lookup's
        by_id.setdefault(entry.id, entry)
    return tuple(
        entry
        if entry.evidence or entry.kind != "answer"
        else replace(entry, evidence=f"{entry.body(_EVIDENCE_DAY)} {entry.more or ''}".strip())
        for entry in merge_entries(list(by_id.values()))
    )


_EVIDENCE_DAY = dt.date(2000, 1, 1)
