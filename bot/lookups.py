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
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from bot.awareness import occurrence, upcoming
from bot.dates import countdown, format_date, format_month_day, format_partial_date
from bot.entries import Body, Entry, day_entry_id, merge_entries
from bot.i18n import N_, translations
from bot.knowledge import KnowledgeBase
from bot.schema import AwarenessDay, HelpLine, OfficeHolder, Role
from bot.text import slug

NOT_A_CASE = N_("This bot only gives information and cannot report a case.")


def _static(text: str) -> Body:
    return lambda _today: text


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


class _Builder:
    """Builds one language's entries; `_` is the language's gettext."""

    def __init__(self, kb: KnowledgeBase, language: str) -> None:
        self.kb = kb
        self.language = language
        self._: Callable[[str], str] = translations(language).gettext

    def fill(self, templates: Sequence[str], **values: str) -> list[str]:
        """Each template translated and filled in."""
        return [self._(template).format(**values) for template in templates]

    def date(self, value: str) -> str:
        return format_partial_date(value, self.language)

    # --- facts and smalltalk --------------------------------------------------------------

    def facts(self) -> Iterator[Entry]:
        lang = self.language
        for fact in self.kb.facts:
            if lang not in fact.answer or lang not in fact.questions:
                continue
            local = fact.in_language(lang)
            yield Entry(
                id=fact.id,
                kind="answer",
                questions=fact.questions[lang],
                body=_static(fact.answer[lang]),
                sources=fact.sources,
                as_of=fact.as_of,
                related=fact.related,
                topics=fact.topics,
                record=fact.id,
                label=local.label if lang in fact.translations else None,
                more=fact.more.get(lang) if fact.more else None,
            )
        for talk in self.kb.smalltalk:
            if lang in talk.answer and lang in talk.questions:
                yield Entry(
                    id=talk.id,
                    kind="smalltalk",
                    questions=talk.questions[lang],
                    body=_static(talk.answer[lang]),
                    record=talk.id,
                )

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
            f" {_sentence(day.osce_link[lang])}" if day.osce_link and lang in day.osce_link else ""
        )
        description = _sentence(day.description.get(lang, ""))

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
            questions=_unique(questions),
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
            questions=_unique(
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
            questions=_unique(
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
            body=_static(
                f"{line.number}: {name}{where}. {_sentence(line.description.get(lang, ''))}\n"
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
        general = [f"• {h.number}: {h.name[lang]}" for h in lines if not h.countries]
        general += [
            f"• {h.number}: {h.name[lang]} ({h.in_language(lang).area})"
            for h in lines
            if len(h.countries) > 3
        ]
        by_country: dict[str, list[str]] = {}
        for line in lines:
            if 0 < len(line.countries) <= 3 and line.kind != "police":
                for code in line.countries:
                    by_country.setdefault(code, []).append(line.number)
        guide = self.kb.safety_guide
        names = guide.countries if guide is not None else {}
        countries = sorted(
            (names[c].names.get(lang, names[c].names["en"]) if c in names else c, numbers)
            for c, numbers in by_country.items()
        )
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
            questions=_unique(
                self.fill(
                    (
                        N_("Where can I get help?"),
                        N_("emergency number"),
                        N_("Who can I call for help?"),
                        N_("hotline for victims of trafficking"),
                        N_("What number should I call if I need help?"),
                        N_("helpline numbers"),
                    )
                )
            ),
            body=_static(body),
            sources=tuple(dict.fromkeys(h.sources[0] for h in lines)),
            compact_sources=True,
            generated=True,
        )

    # --- institutions and field operations ------------------------------------------------

    def institutions(self) -> Iterator[Entry]:
        lang = self.language
        for inst in self.kb.institutions:
            if lang not in inst.name:
                continue
            local = inst.in_language(lang)
            name = inst.name[lang]
            labels = _unique([local.short or "", name, *inst.aliases.get(lang, ())])
            questions = self.fill((N_("What is {name}?"), N_("Where is {name}?")), name=labels[0])
            for label in labels:
                questions += [label, *self.fill((N_("Tell me about {name}"),), name=label)]
            short = f" ({local.short})" if local.short else ""
            established = (
                " " + self._("Established in {date}.").format(date=self.date(inst.established))
                if inst.established
                else ""
            )
            located = self._("{name}{short} is based in {place}.").format(
                name=name, short=short, place=local.place
            )
            description = _sentence(inst.description.get(lang, ""))
            yield Entry(
                id=f"institution-{inst.id}",
                kind="answer",
                questions=_unique(questions),
                body=_static(f"{located} {description}{established}".strip()),
                more=inst.more.get(lang) if inst.more else None,
                label=local.short or None,
                sources=inst.sources,
                generated=True,
                record=inst.id,
            )

    def field_operations(self) -> Iterator[Entry]:
        lang = self.language
        for op in self.kb.field_operations:
            if lang not in op.name:
                continue
            name = op.name[lang]
            local = op.in_language(lang)
            questions = self.fill(
                (N_("When was {name} established?"), N_("Tell me about {name}"), N_("{name}")),
                name=name,
            )
            for alias in op.aliases.get(lang, ()):
                questions += [alias, *self.fill((N_("When was {name} established?"),), name=alias)]
            note = f" {_sentence(op.note[lang])}" if op.note and lang in op.note else ""
            yield Entry(
                id=f"fieldop-{op.id}",
                kind="answer",
                questions=_unique(questions),
                body=_static(
                    self._("{name} ({place}) was established in {date}.").format(
                        name=name, place=local.place, date=self.date(op.established)
                    )
                    + note
                ),
                more=op.more.get(lang) if op.more else None,
                sources=op.sources,
                generated=True,
                record=op.id,
            )

    # --- membership -----------------------------------------------------------------------

    def membership(self) -> Iterator[Entry]:
        count = len(self.kb.participating_states)
        templates = (
            N_("Is {name} a participating State?"),
            N_("Is {name} in the OSCE?"),
            N_("Is {name} a member of the OSCE?"),
            N_("{name} OSCE membership"),
        )
        for state in self.kb.participating_states:
            if self.language not in state.translations:
                continue
            local = state.in_language(self.language)
            questions = self.fill(templates, name=local.name)
            for alias in local.aliases:
                questions += self.fill(templates[1:2], name=alias)
            yield Entry(
                id=f"member-{state.id}",
                kind="answer",
                questions=_unique(questions),
                body=_static(
                    self._("Yes. {name} is one of the OSCE's {count} participating States.").format(
                        name=local.name, count=count
                    )
                ),
                sources=state.sources,
                related=("list-participating-states",),
                generated=True,
                record=state.id,
            )
        for partner in self.kb.partners:
            if self.language not in partner.translations:
                continue
            partner_name = partner.in_language(self.language).name
            yield Entry(
                id=f"partner-{partner.id}",
                kind="answer",
                questions=_unique(self.fill(templates, name=partner_name)),
                body=_static(
                    self._(
                        "No, {name} is not a participating State, but it is one of the OSCE's "
                        "{count} Partners for Co-operation."
                    ).format(name=partner_name, count=len(self.kb.partners))
                ),
                sources=partner.sources,
                generated=True,
                record=partner.id,
            )
        states = [s.in_language(self.language).name for s in self.kb.participating_states]
        yield Entry(
            id="list-participating-states",
            kind="answer",
            questions=_unique(
                self.fill(
                    (
                        N_("Which countries are OSCE participating States?"),
                        N_("List of OSCE participating States"),
                        N_("How many participating States does the OSCE have?"),
                    )
                )
            ),
            body=_static(
                self._("The OSCE has {count} participating States: {names}.").format(
                    count=len(states), names=", ".join(states)
                )
            ),
            sources=tuple(
                dict.fromkeys(s for st in self.kb.participating_states for s in st.sources)
            ),
            generated=True,
        )

    # --- office holders -------------------------------------------------------------------

    def _term(self, holder: OfficeHolder) -> str:
        start = self.date(holder.from_) if holder.from_ else None
        end = self.date(holder.to) if holder.to else None
        if start and end:
            if start == end:
                return self._("in {start}").format(start=start)
            return self._("{start} to {end}").format(start=start, end=end)
        if start:
            return self._("since {start}").format(start=start)
        if end:
            return self._("until {end}").format(end=end)
        return self._("dates not in the sources")

    def _holder_line(self, holder: OfficeHolder) -> str:
        local = holder.in_language(self.language)
        country = f", {local.country}" if local.country else ""
        return f"{local.person}{country} ({self._term(holder)})"

    def roles(self) -> Iterator[Entry]:
        lang = self.language
        for role in self.kb.roles:
            holders = [h for h in self.kb.office_holders if h.role == role.id]
            if holders and lang in role.name:
                yield from self._role(role, holders)
        for holder in self.kb.office_holders:
            role = self.kb.role(holder.role)
            if lang in role.name and lang in holder.translations:
                yield self._person(role, holder)

    def _role(self, role: Role, holders: list[OfficeHolder]) -> Iterator[Entry]:
        lang = self.language
        name = role.name[lang]
        labels = _unique([name, *role.aliases.get(lang, ())])
        current = next((h for h in holders if h.to is None), None)
        if current is not None:
            questions: list[str] = []
            for label in labels:
                questions += self.fill(
                    (N_("Who is the {name}?"), N_("Who is the current {name}?"), N_("{name} now")),
                    name=label,
                )
            note = (
                f" {_sentence(current.note[lang])}" if current.note and lang in current.note else ""
            )
            local = current.in_language(lang)
            since = (
                self._(", in office since {date}").format(date=self.date(current.from_))
                if current.from_
                else ""
            )
            country = f" ({local.country})" if local.country else ""
            yield Entry(
                id=f"role-{role.id}-current",
                kind="answer",
                questions=_unique(questions),
                body=_static(
                    self._("{role}: {person}{country}{since}.").format(
                        role=name, person=local.person, country=country, since=since
                    )
                    + note
                ),
                sources=tuple(dict.fromkeys((*current.sources, *role.sources))),
                as_of=current.as_of,
                related=(f"role-{role.id}-list",),
                generated=True,
                record=role.id,
            )
        if role.history_complete:
            yield self._first(role, holders[0], labels)
        questions = []
        for label in labels:
            questions += self.fill(
                (N_("Everyone who has been {name}"), N_("Who held the post of {name} before?")),
                name=label,
            )
        intro = (
            self._("Every {name} so far, in order:")
            if role.history_complete
            else self._(
                "Holders of the post of {name} in this guide's sources (earlier ones are not "
                "listed), in order:"
            )
        ).format(name=name)
        lines = [f"{i}. {self._holder_line(h)}" for i, h in enumerate(holders, start=1)]
        yield Entry(
            id=f"role-{role.id}-list",
            kind="answer",
            questions=_unique(questions),
            body=_static(f"{intro}\n" + "\n".join(lines)),
            sources=tuple(dict.fromkeys(s for h in holders for s in h.sources)),
            as_of=max((h.as_of for h in holders if h.as_of), default=None),
            related=(f"role-{role.id}-current",) if current is not None else (),
            generated=True,
            record=role.id,
        )

    def _first(self, role: Role, first: OfficeHolder, labels: tuple[str, ...]) -> Entry:
        lang = self.language
        questions: list[str] = []
        for label in labels:
            questions += self.fill(
                (N_("Who was the first {name}?"), N_("first {name}")), name=label
            )
        note = f" {_sentence(first.note[lang])}" if first.note and lang in first.note else ""
        return Entry(
            id=f"role-{role.id}-first",
            kind="answer",
            questions=_unique(questions),
            body=_static(
                self._("The first {role}: {holder}.").format(
                    role=role.name[lang], holder=self._holder_line(first)
                )
                + note
            ),
            sources=first.sources,
            related=(f"role-{role.id}-list",),
            generated=True,
            record=role.id,
        )

    def _person(self, role: Role, holder: OfficeHolder) -> Entry:
        lang = self.language
        local = holder.in_language(lang)
        person = local.person
        names = _unique([person, holder.person])
        questions: list[str] = []
        for each in names:
            questions += [
                each,
                *self.fill((N_("Who is {person}?"), N_("Tell me about {person}")), person=each),
            ]
        note = f" {_sentence(holder.note[lang])}" if holder.note and lang in holder.note else ""
        return Entry(
            id=f"person-{holder.id}",
            kind="answer",
            questions=_unique(questions),
            body=_static(
                self._("{person}: {role} ({term}).").format(
                    person=person, role=role.name[lang], term=self._term(holder)
                )
                + note
            ),
            sources=holder.sources,
            as_of=holder.as_of if holder.to is None else None,
            related=(f"role-{role.id}-list",),
            generated=True,
            record=holder.id,
        )

    # --- quotes ---------------------------------------------------------------------------

    def quotes(self) -> Iterator[Entry]:
        """Per speaker, their latest translated quote, naming how many more there are."""
        lang = self.language
        by_speaker: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for quote in self.kb.quotes:
            if lang not in quote.translations or "text" not in quote.translations[lang]:
                continue
            local = quote.in_language(lang)
            occasion = f", {local.occasion}" if local.occasion else ""
            text = (
                f"“{local.text.strip()}”\n— {local.speaker}, {local.role}{occasion}, "
                f"{self.date(quote.date)}\n" + self._("(translated from English)")
            )
            by_speaker[quote.speaker].append((quote.id, text))
            yield Entry(
                id=quote.id,
                kind="answer",
                questions=_unique([f"{local.speaker}: {' '.join(local.text.split()[:8])}"]),
                body=_static(text),
                sources=quote.sources,
                generated=True,
                record=quote.id,
                keywords=local.text,
            )
        for speaker, items in by_speaker.items():
            quote = next(q for q in self.kb.quotes if q.id == items[-1][0])
            local = quote.in_language(lang)
            surname = local.speaker.split()[-1]
            yield Entry(
                id=f"quotes-{slug(speaker)}",
                kind="answer",
                questions=_unique(
                    self.fill(
                        (
                            N_("Give me a quote from {speaker}"),
                            N_("What did {speaker} say?"),
                            N_("{speaker} quotes"),
                        ),
                        speaker=local.speaker,
                    )
                    + self.fill((N_("quote by {speaker}"),), speaker=surname)
                ),
                body=_static(items[-1][1]),
                sources=quote.sources,
                related=tuple(i for i, _text in items[:-1])[:3],
                generated=True,
                record=quote.id,
            )


def build_localised_entries(kb: KnowledgeBase, language: str) -> tuple[Entry, ...]:
    """Every entry the knowledge base has text for in `language` (not English)."""
    builder = _Builder(kb, language)
    entries = [
        *builder.facts(),
        *builder.days(),
        *builder.help(),
        *builder.institutions(),
        *builder.field_operations(),
        *builder.membership(),
        *builder.roles(),
        *builder.quotes(),
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
