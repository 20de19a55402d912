"""Lookups about the OSCE's structures in another language: institutions, field operations,
membership, office holders and quotes, each template from the language's catalogue and each
name from the record's localised fields or its `translations` (see `lookups`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bot.entries import Entry
from bot.i18n import N_
from bot.lookup_base import LookupBuilder, sentence, static, unique
from bot.schema import OfficeHolder, Role
from bot.text import slug


class StructureLookups(LookupBuilder):
    """Institutions, field operations, membership, office holders and quotes."""

    # --- institutions and field operations ------------------------------------------------

    def institutions(self) -> Iterator[Entry]:
        lang = self.language
        for inst in self.kb.institutions:
            if lang not in inst.name:
                continue
            local = inst.in_language(lang)
            name = inst.name[lang]
            labels = unique([local.short or "", name, *inst.aliases.get(lang, ())])
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
            description = sentence(inst.description.get(lang, ""))
            yield Entry(
                id=f"institution-{inst.id}",
                kind="answer",
                questions=unique(questions),
                body=static(f"{located} {description}{established}".strip()),
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
            note = f" {sentence(op.note[lang])}" if op.note and lang in op.note else ""
            yield Entry(
                id=f"fieldop-{op.id}",
                kind="answer",
                questions=unique(questions),
                body=static(
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
                questions=unique(questions),
                body=static(
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
                questions=unique(self.fill(templates, name=partner_name)),
                body=static(
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
            questions=unique(
                self.fill(
                    (
                        N_("Which countries are OSCE participating States?"),
                        N_("List of OSCE participating States"),
                        N_("How many participating States does the OSCE have?"),
                    )
                )
            ),
            body=static(
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
        labels = unique([name, *role.aliases.get(lang, ())])
        current = next((h for h in holders if h.to is None), None)
        if current is not None:
            questions: list[str] = []
            for label in labels:
                questions += self.fill(
                    (N_("Who is the {name}?"), N_("Who is the current {name}?"), N_("{name} now")),
                    name=label,
                )
            note = (
                f" {sentence(current.note[lang])}" if current.note and lang in current.note else ""
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
                questions=unique(questions),
                body=static(
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
            questions=unique(questions),
            body=static(f"{intro}\n" + "\n".join(lines)),
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
        note = f" {sentence(first.note[lang])}" if first.note and lang in first.note else ""
        return Entry(
            id=f"role-{role.id}-first",
            kind="answer",
            questions=unique(questions),
            body=static(
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
        names = unique([person, holder.person])
        questions: list[str] = []
        for each in names:
            questions += [
                each,
                *self.fill((N_("Who is {person}?"), N_("Tell me about {person}")), person=each),
            ]
        note = f" {sentence(holder.note[lang])}" if holder.note and lang in holder.note else ""
        return Entry(
            id=f"person-{holder.id}",
            kind="answer",
            questions=unique(questions),
            body=static(
                self._("{person}: {role} ({term}).").format(
                    person=f"{person} ({local.country})" if local.country else person,
                    role=role.name[lang],
                    term=self._term(holder),
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
                questions=unique([f"{local.speaker}: {' '.join(local.text.split()[:8])}"]),
                body=static(text),
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
                questions=unique(
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
                body=static(items[-1][1]),
                sources=quote.sources,
                related=tuple(i for i, _text in items[:-1])[:3],
                generated=True,
                record=quote.id,
            )
