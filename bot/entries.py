"""The matchable entries: hand-written facts plus lookups generated from the structured data.

Questions about structures (membership, field operations, institutions, office holders,
awareness days, quotes, help numbers) are not written by hand: each record yields entries
with question templates and an answer built from its fields, so the data stays the single
source of truth. An entry's body is a function of `today`, because some answers count days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.answers import shorten
from bot.awareness import occurrence, upcoming
from bot.dates import countdown, format_date, format_month_day, format_partial_date
from bot.knowledge import KnowledgeBase
from bot.schema import (
    DEFAULT_LANGUAGE,
    AwarenessDay,
    FieldOperation,
    HelpLine,
    Institution,
    OfficeHolder,
    Quote,
    Role,
)
from bot.text import slug, tokens

EntryKind = Literal["answer", "smalltalk"]
MAX_TITLE_CHARS = 70
"""A suggestion's question longer than this does not fit on a button."""
Body = Callable[[dt.date], str]

EN = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Entry:
    """Something the bot can answer: its phrasings, its answer and the sources behind it."""

    id: str
    kind: EntryKind
    questions: tuple[str, ...]
    body: Body = field(compare=False)
    sources: tuple[str, ...] = ()
    as_of: str | None = None
    related: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    generated: bool = False
    record: str | None = None
    """The id of the record this entry comes from (for locating problems), if just one."""
    evidence: str = field(default="", compare=False)
    """The answer's own words: weak evidence for matching a question the phrasings miss."""
    compact_sources: bool = False
    """Many sources, one line of publishers (an overview whose items each have their own)."""
    aliases: tuple[str, ...] = ()
    """Ids of entries merged into this one: links and analytics that use them still work."""
    keywords: str = field(default="", compare=False)
    """Words of the answer that name it nearly as well as a phrasing: a quote's own words
    ("richey single most important ingredient" asks for the quote that says so)."""

    label: str | None = None
    """A curated button text (at most 28 characters); None: derived from the title."""
    more: str | None = field(default=None, compare=False)
    """Further detail behind a "More" button; None: the answer says everything."""

    @property
    def button_label(self) -> str:
        """What a button offering this entry says: short enough for a phone."""
        return self.label or derive_label(self.title)

    @property
    def title(self) -> str:
        """The question shown on a suggestion button: the first phrasing written as a proper
        question ("Who founded the Alliance against Trafficking in Persons?") that fits on a
        button, rather than a keyword phrasing ("alliance founding meeting 2004")."""
        proper = [q for q in self.questions if q[:1].isupper() and q.rstrip().endswith("?")]
        fitting = [q for q in proper if len(q) <= MAX_TITLE_CHARS]
        return (fitting or proper or list(self.questions))[0]


BUTTON_LABEL_CHARS = 28
_QUESTION_LEAD = re.compile(
    r"^(?:tell me about|who|what|when|where|which|how many|how much|how|why|is|are|was|were"
    r"|does|do|did|can|could)\b\s*(?:is|are|was|were|does|do|did|has|have)?\b\s*(?:the\s+)?",
    re.IGNORECASE,
)


_LABEL_FORMS = (
    (re.compile(r"^What did (.+?) say about (.+?)\??$", re.IGNORECASE), r"\1 on \2"),
    (re.compile(r"^What did (.+?) say\??$", re.IGNORECASE), r"Quote: \1"),
    (re.compile(r"^Is (?:the )?(.+?) a participating State\??$", re.IGNORECASE), r"\1 in the OSCE"),
    (re.compile(r"^When was (?:the )?(.+?) (?:established|set up|created)\??$"), r"\1 founded"),
    (re.compile(r"^What is (\+?[\d ()-]+)\??$"), r"Number \1"),
)
"""Question shapes that read better on a button said another way."""


def derive_label(title: str) -> str:
    """A button text from a question: its subject without the question words, shortened
    after a whole word ("Who is the Secretary General?" -> "Secretary General")."""
    for pattern, form in _LABEL_FORMS:
        if pattern.match(title):
            core = pattern.sub(form, title)
            break
    else:
        core = _QUESTION_LEAD.sub("", title).strip(" ?.")
    if len(core) > BUTTON_LABEL_CHARS:
        core = re.sub(r"\b(?:the )?OSCE(?:'s)? ", "", core, count=1)  # the bot is about the OSCE
    core = core[:1].upper() + core[1:] if core else title
    return shorten(core, BUTTON_LABEL_CHARS)


def _static(text: str) -> Body:
    return lambda _today: text


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _sources(*groups: Sequence[str]) -> tuple[str, ...]:
    return _unique([source for group in groups for source in group])


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


# --- membership ----------------------------------------------------------------------------

_MEMBER_TEMPLATES = (
    "Is {} a participating State?",
    "Is {} in the OSCE?",
    "Is {} an OSCE member?",
    "Is {} a member of the OSCE?",
    "{} OSCE membership",
    "Does {} belong to the OSCE?",
)


def _membership(kb: KnowledgeBase) -> Iterator[Entry]:
    count = len(kb.participating_states)
    partner_count = len(kb.partners)
    for state in kb.participating_states:
        names = (state.name, *state.aliases)
        yield Entry(
            id=f"member-{state.id}",
            kind="answer",
            questions=_unique(
                [t.format(n) for t in _MEMBER_TEMPLATES[:4] for n in names[:1]]
                + [t.format(n) for t in _MEMBER_TEMPLATES[4:] for n in names[:1]]
                + [_MEMBER_TEMPLATES[1].format(alias) for alias in state.aliases]
            ),
            body=_static(f"Yes. {state.name} is one of the OSCE's {count} participating States."),
            sources=state.sources,
            as_of=_latest_source_date(kb, state.sources),
            related=("list-participating-states",),
            generated=True,
            record=state.id,
        )
    for partner in kb.partners:
        names = (partner.name, *partner.aliases)
        group = "an Asian" if partner.group == "asian" else "a Mediterranean"
        since = f" Relations began in {partner.since}." if partner.since else ""
        yield Entry(
            id=f"partner-{partner.id}",
            kind="answer",
            questions=_unique(
                [t.format(names[0]) for t in _MEMBER_TEMPLATES]
                + [f"Is {names[0]} an OSCE Partner for Co-operation?"]
                + [_MEMBER_TEMPLATES[1].format(alias) for alias in partner.aliases]
            ),
            body=_static(
                f"No, {partner.name} is not a participating State, but it is one of the OSCE's "
                f"{partner_count} Partners for Co-operation ({group} Partner).{since}"
            ),
            sources=partner.sources,
            as_of=_latest_source_date(kb, partner.sources),
            related=("list-partners",),
            generated=True,
            record=partner.id,
        )


def not_listed_entry(kb: KnowledgeBase, name: str) -> Entry:
    """The answer for a country that is neither a participating State nor a Partner."""
    sources = _sources(
        *(s.sources for s in kb.participating_states), *(p.sources for p in kb.partners)
    )
    return Entry(
        id="member-not-listed",
        kind="answer",
        questions=(f"Is {name} in the OSCE?",),
        body=_static(
            f"No. {name} is neither one of the OSCE's {len(kb.participating_states)} "
            f"participating States nor one of its {len(kb.partners)} Partners for Co-operation."
        ),
        sources=sources,
        as_of=_latest_source_date(kb, sources),
        related=("list-participating-states", "list-partners"),
        generated=True,
    )


def _latest_source_date(kb: KnowledgeBase, source_ids: Sequence[str]) -> str | None:
    dates = [d for s in source_ids if (d := kb.sources[s].date) is not None]
    return max(dates) if dates else None


# --- lists ---------------------------------------------------------------------------------


def _lists(kb: KnowledgeBase) -> Iterator[Entry]:
    if kb.participating_states:
        names = [s.name for s in kb.participating_states]
        sources = _sources(*(s.sources for s in kb.participating_states))
        yield Entry(
            id="list-participating-states",
            kind="answer",
            questions=(
                "Which countries are OSCE participating States?",
                "List of OSCE participating States",
                "Which states are members of the OSCE?",
                "all OSCE member countries",
                "Name the participating States of the OSCE",
                "OSCE members list",
            ),
            body=_static(f"The OSCE has {len(names)} participating States: {_join(names)}."),
            sources=sources,
            as_of=_latest_source_date(kb, sources),
            related=("list-partners",),
            generated=True,
        )
    if kb.partners:
        groups: dict[str, list[str]] = defaultdict(list)
        for partner in kb.partners:
            groups[partner.group].append(partner.name)
        sources = _sources(*(p.sources for p in kb.partners))
        yield Entry(
            id="list-partners",
            kind="answer",
            questions=(
                "Who are the OSCE Partners for Co-operation?",
                "List of OSCE Partners for Co-operation",
                "Which countries are OSCE partners?",
                "Asian and Mediterranean Partners of the OSCE",
                "OSCE partner countries",
                "Mediterranean partners",
                "Asian partners",
            ),
            body=_static(
                f"The OSCE has {len(kb.partners)} Partners for Co-operation. "
                f"Asian Partners: {_join(groups['asian'])}. "
                f"Mediterranean Partners: {_join(groups['mediterranean'])}."
            ),
            sources=sources,
            as_of=_latest_source_date(kb, sources),
            related=("list-participating-states",),
            generated=True,
        )
    if kb.field_operations:
        items = [
            f"{op.name[EN]} ({format_partial_date(op.established)[-4:]})"
            for op in kb.field_operations
        ]
        sources = _sources(*(op.sources for op in kb.field_operations))
        yield Entry(
            id="list-field-operations",
            kind="answer",
            questions=(
                "Which OSCE field operations are there?",
                "List of OSCE field operations",
                "Where does the OSCE have field missions?",
                "all OSCE missions and field offices",
                "Name the OSCE field operations",
                "OSCE field presences",
            ),
            body=_static(
                f"The OSCE has {len(items)} field operations (year established): {_join(items)}."
            ),
            sources=sources,
            generated=True,
        )
    if kb.institutions:
        items = [f"{i.name[EN]} ({i.place})" for i in kb.institutions]
        sources = _sources(*(i.sources for i in kb.institutions))
        yield Entry(
            id="list-institutions",
            kind="answer",
            questions=(
                "What are the OSCE institutions?",
                "List of OSCE institutions and bodies",
                "Which institutions does the OSCE have?",
                "OSCE structures and institutions",
            ),
            body=_static(f"OSCE institutions and bodies in this guide: {_join(items)}."),
            sources=sources,
            generated=True,
        )


# --- field operations and institutions ------------------------------------------------------


def _city(place: str) -> str | None:
    """The city of a place written "City, Country"; None when the place is only a country."""
    return place.split(",")[0].strip() if "," in place else None


def _unique_cities(kb: KnowledgeBase) -> set[str]:
    """Cities with one OSCE body or operation only ("the office in Warsaw" is then clear)."""
    places = [op.place for op in kb.field_operations] + [i.place for i in kb.institutions]
    cities = [c for c in (_city(p) for p in places) if c]
    return {c for c in cities if cities.count(c) == 1}


def _field_operation(op: FieldOperation, cities: set[str]) -> Entry:
    city = _city(op.place) if _city(op.place) in cities else None
    name = op.name[EN]
    aliases = op.aliases.get(EN, ())
    questions = [
        f"When was the OSCE {name} established?",
        f"When was the {name} set up?",
        f"Tell me about the OSCE {name}",
        f"Where is the OSCE {name}?",
        f"{name}",
        f"{name} establishment date",
    ]
    for alias in aliases:
        questions += [alias, f"When was the {alias} established?"]
    if city:
        questions += [
            f"OSCE office in {city}",
            f"OSCE mission in {city}",
            f"When did the OSCE open its office in {city}?",
        ]
    established = op.established
    when = "on " if len(established) == 10 else "in "
    note = f" {_sentence(op.note[EN])}" if op.note else ""
    return Entry(
        id=f"fieldop-{op.id}",
        kind="answer",
        questions=_unique(questions),
        body=_static(
            f"The OSCE {name} ({op.place}) was established {when}"
            f"{format_partial_date(established)}.{note}"
        ),
        more=op.more[EN] if op.more else None,
        label=shorten(name, BUTTON_LABEL_CHARS),
        sources=op.sources,
        related=("list-field-operations",),
        generated=True,
        record=op.id,
    )


def _institution(inst: Institution, cities: set[str]) -> Entry:
    name = inst.name[EN]
    labels = _unique([inst.short or "", name, *inst.aliases.get(EN, ())])
    questions = [f"What is {labels[0]}?", f"Where is {labels[0]}?", f"Tell me about {name}"]
    for label in labels:
        questions += [label, f"Where is the {label} based?"]
    city = _city(inst.place)
    if city in cities:
        questions += [f"OSCE office in {city}", f"What does the OSCE do in {city}?"]
    short = f" ({inst.short})" if inst.short else ""
    established = (
        f" It was established in {format_partial_date(inst.established)}."
        if inst.established
        else ""
    )
    return Entry(
        id=f"institution-{inst.id}",
        kind="answer",
        questions=_unique(questions),
        body=_static(
            f"The {name}{short} is based in {inst.place}. "
            f"{_sentence(inst.description[EN])}{established}"
        ),
        more=inst.more[EN] if inst.more else None,
        label=inst.short if inst.short else shorten(name, BUTTON_LABEL_CHARS),
        sources=inst.sources,
        related=("list-institutions",),
        generated=True,
        record=inst.id,
    )


# --- office holders ------------------------------------------------------------------------


def _term(holder: OfficeHolder) -> str:
    start = format_partial_date(holder.from_) if holder.from_ else None
    end = format_partial_date(holder.to) if holder.to else None
    if start and end:
        return f"in {start}" if start == end else f"{start} to {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return "dates not in the sources"


def _holder_line(holder: OfficeHolder) -> str:
    country = f", {holder.country}" if holder.country else ""
    return f"{holder.person}{country} ({_term(holder)})"


def _roles(kb: KnowledgeBase) -> Iterator[Entry]:
    for role in kb.roles:
        holders = [h for h in kb.office_holders if h.role == role.id]
        if not holders:
            continue
        yield from _role_entries(role, holders, _institution_names(kb))
    for holder in kb.office_holders:
        yield _person_entry(kb.role(holder.role), holder)


def _institution_names(kb: KnowledgeBase) -> set[frozenset[str]]:
    """The names of institutions as token sets: a post named like its institution (the High
    Commissioner on National Minorities) is not asked for alone."""
    return {
        frozenset(tokens(label))
        for inst in kb.institutions
        for label in (inst.short or "", inst.name[EN], *inst.aliases.get(EN, ()))
        if label
    }


BARE_LABEL_TOKENS = 2
"""A post named alone ("OSCE CiO") asks for whoever holds it. Only short labels (counting
neither "OSCE" nor "trafficking", which every label here may have) are used alone: a long one
could not be told apart from the list of holders ("list of every ...")."""
_COMMON_LABEL_TOKENS = frozenset(tokens("OSCE trafficking"))


def _role_entries(
    role: Role, holders: list[OfficeHolder], institution_names: set[frozenset[str]]
) -> Iterator[Entry]:
    name = role.name[EN]
    labels = _unique([name, *role.aliases.get(EN, ())])
    current = next((h for h in holders if h.to is None), None)
    if current is not None:
        questions = [
            f"Who is the {name}?",
            f"Who is the current {name}?",
            f"Who holds the post of {name} now?",
        ]
        if frozenset(tokens(name)) not in institution_names:
            questions.append(f"Tell me about the {name}")
        for label in labels:
            questions += [f"Who is the {label}?", f"current {label}", f"{label} now"]
            label_tokens = frozenset(tokens(label))
            short = len(label_tokens - _COMMON_LABEL_TOKENS) <= BARE_LABEL_TOKENS
            if short and label_tokens not in institution_names:
                questions.append(label)
        note = f" {_sentence(current.note[EN])}" if current.note else ""
        title = f", {current.title}" if current.title else ""
        country = f" ({current.country})" if current.country else ""
        since = f", in office since {format_partial_date(current.from_)}" if current.from_ else ""
        yield Entry(
            id=f"role-{role.id}-current",
            kind="answer",
            questions=_unique(questions),
            body=_static(f"The {name} is {current.person}{country}{title}{since}.{note}"),
            sources=_sources(current.sources, role.sources),
            as_of=current.as_of,
            related=(f"role-{role.id}-list", f"role-{role.id}-first"),
            generated=True,
            record=role.id,
        )
    if role.history_complete:
        yield _first_holder(role, holders[0], labels)
    questions = [
        f"Everyone who has been {name}",
        f"Who held the post of {name} before?",
        f"Who has served as {name}?",
    ]
    for label in labels:
        questions += [f"list of every {label}", f"former {label}", f"history of the {label} post"]
    lines = [
        f"{i}. {_holder_line(h)}" + (f" ({_sentence(h.note[EN])})" if h.note else "")
        for i, h in enumerate(holders, start=1)
    ]
    intro = (
        f"Every {name} so far, in order:"
        if role.history_complete
        else f"Holders of the post of {name} in this guide's sources (earlier ones are not "
        "listed), in order:"
    )
    yield Entry(
        id=f"role-{role.id}-list",
        kind="answer",
        questions=_unique(questions),
        body=_static(f"{intro}\n" + "\n".join(lines)),
        sources=_sources(*(h.sources for h in holders)),
        as_of=max((h.as_of for h in holders if h.as_of), default=None),
        related=(f"role-{role.id}-current",) if current is not None else (),
        generated=True,
        record=role.id,
    )


def _first_holder(role: Role, first: OfficeHolder, labels: tuple[str, ...]) -> Entry:
    name = role.name[EN]
    questions = [
        f"Who was the first {name}?",
        f"Who first held the post of {name}?",
        f"the first person to hold the post of {name}",
    ]
    for label in labels:
        questions += [f"first {label}", f"Who was the first {label}?"]
    return Entry(
        id=f"role-{role.id}-first",
        kind="answer",
        questions=_unique(questions),
        body=_static(
            f"The first {name} was {_holder_line(first)}."
            + (f" {_sentence(first.note[EN])}" if first.note else "")
        ),
        sources=first.sources,
        related=(f"role-{role.id}-list",),
        generated=True,
        record=role.id,
    )


def _person_entry(role: Role, holder: OfficeHolder) -> Entry:
    person = holder.person
    is_current = holder.to is None
    verb = "is" if is_current else "was"
    note = f" {_sentence(holder.note[EN])}" if holder.note else ""
    title = f" ({holder.title})" if holder.title else ""
    return Entry(
        id=f"person-{holder.id}",
        kind="answer",
        questions=_unique(
            [
                f"Who is {person}?",
                person,
                f"Tell me about {person}",
                f"What does {person} do?",
                f"{person}, {role.name[EN]}",
                f"{person}, {holder.country}" if holder.country else "",
                f"When was {_surname(person)} {role.name[EN]}?",
                f"What was {_surname(person)}'s role in the OSCE?",
            ]
        ),
        body=_static(f"{person}{title} {verb} {role.name[EN]} ({_term(holder)}).{note}"),
        sources=holder.sources,
        as_of=holder.as_of if is_current else None,
        related=(f"role-{role.id}-list",),
        generated=True,
        record=holder.id,
    )


def _surname(person: str) -> str:
    return person.split()[-1]


# --- awareness days ------------------------------------------------------------------------


def proclaimer(proclaimed_by: str) -> str:
    """'UN General Assembly' -> 'the UN General Assembly': bodies take the article."""
    return proclaimed_by if proclaimed_by.lower().startswith("the ") else f"the {proclaimed_by}"


def _origin(day: AwarenessDay) -> str:
    origin = day.origin
    instrument = f" in {origin.instrument}" if origin.instrument else ""
    first = f" and first observed in {origin.first_observed}" if origin.first_observed else ""
    return f"It was proclaimed by {proclaimer(origin.proclaimed_by)}{instrument}{first}."


def day_entry_id(day_id: str) -> str:
    """The id of the entry that answers about one awareness day."""
    return f"day-{day_id}"


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
        link = f" {_sentence(day.osce_link[EN])}" if day.osce_link else ""
        return (
            f"{name} is marked every year on {format_month_day(day.date)}. "
            f"Next: {format_date(nxt.date)}, {countdown(nxt.days_until)}. "
            f"{_origin(day)} {_sentence(day.description[EN])}{link}"
        )

    return Entry(
        id=day_entry_id(day.id),
        kind="answer",
        questions=_unique(questions),
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
        sources=_sources(*(d.sources for d in kb.awareness_days)),
        generated=True,
    )


# --- quotes --------------------------------------------------------------------------------


def _quote_text(quote: Quote) -> str:
    occasion = f", {quote.occasion}" if quote.occasion else ""
    return (
        f"“{quote.text.strip()}”\n— {quote.speaker}, {quote.role}"
        f"{occasion}, {format_partial_date(quote.date)}"
    )


def _speaker_questions(speaker: str) -> tuple[str, ...]:
    surname = speaker.split()[-1]
    return (
        f"Give me a quote from {speaker}",
        f"What did {speaker} say?",
        f"{speaker} quotes",
        f"quote by {surname}",
        f"What has {speaker} said about trafficking?",
    )


def _quotes(kb: KnowledgeBase) -> Iterator[Entry]:
    """An entry per quote, and per speaker one for "a quote from X" (the latest, naming the
    others). A speaker with a single quote has no entry of their own: the quote takes the
    speaker's phrasings and id, or the two would be one answer under two names."""
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for quote in kb.quotes:
        by_speaker[quote.speaker].append(quote)
    for quote in kb.quotes:
        surname = quote.speaker.split()[-1]
        speaker_id = f"quotes-{slug(quote.speaker)}"
        alone = len(by_speaker[quote.speaker]) == 1
        questions = []
        for topic in quote.topics:
            questions += [
                f"What did {quote.speaker} say about {topic}?",
                f"{quote.speaker} on {topic}",
                f"{surname} quote about {topic}",
            ]
        if not questions:
            questions = [f"What did {quote.speaker} say on {format_partial_date(quote.date)}?"]
        if alone:
            questions += _speaker_questions(quote.speaker)
        yield Entry(
            id=quote.id,
            kind="answer",
            questions=_unique(questions),
            body=_static(_quote_text(quote)),
            sources=quote.sources,
            topics=quote.topics,
            related=() if alone else (speaker_id,),
            generated=True,
            record=quote.id,
            keywords=quote.text,
            aliases=(speaker_id,) if alone else (),
        )
    for speaker, quotes in by_speaker.items():
        if len(quotes) == 1:
            continue
        latest = max(quotes, key=lambda q: q.date)
        others = len(quotes) - 1
        more = (
            f"\n\n{others} more {'quote' if others == 1 else 'quotes'} by {speaker} in this guide: "
            "ask about "
            f"{_join(_unique([t for q in quotes if q is not latest for t in q.topics[:1]]))}."
        )
        yield Entry(
            id=f"quotes-{slug(speaker)}",
            kind="answer",
            questions=_speaker_questions(speaker),
            body=_static(_quote_text(latest) + more),
            sources=latest.sources,
            related=tuple(q.id for q in quotes if q is not latest)[:3],
            generated=True,
            record=latest.id,
        )


# --- help ----------------------------------------------------------------------------------


def _help(kb: KnowledgeBase) -> Entry | None:
    """Every help number on one screen: the general ones, then one line per country."""
    if not kb.help:
        return None
    general = [f"• {h.number}: {h.name[EN]}" for h in kb.help if not h.countries]
    general += [f"• {h.number}: {h.name[EN]} ({h.area})" for h in kb.help if len(h.countries) > 3]
    by_country: dict[str, list[str]] = {}
    for line in kb.help:
        if 0 < len(line.countries) <= 3 and line.kind != "police":
            for code in line.countries:
                by_country.setdefault(code, []).append(line.number)
    names = kb.safety_guide.countries if kb.safety_guide is not None else {}
    countries = sorted(
        (names[code].names[EN] if code in names else code, numbers)
        for code, numbers in by_country.items()
    )
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
            "helpline numbers",
        ),
        body=_static(
            "In immediate danger, call 112 or the local emergency number.\n"
            + "\n".join(general)
            + "\nAnti-trafficking hotlines and help lines by country:\n"
            + "\n".join(f"• {name}: {', '.join(numbers)}" for name, numbers in countries)
            + '\nAsk about one number ("what is 1547?") for who answers it. This bot only gives '
            "information and cannot report a case."
        ),
        sources=_sources(*(h.sources[:1] for h in kb.help)),
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
        body=_static(
            f"{line.number}: {name}{'' if line.area in name else f' ({line.area})'}. "
            f"{_sentence(line.description[EN])}\n"
            "This bot only gives information and cannot report a case."
        ),
        sources=line.sources,
        related=("help-numbers",),
        topics=("help", "hotline"),
        generated=True,
        record=line.id,
    )


# --- all -----------------------------------------------------------------------------------


def build_entries(kb: KnowledgeBase) -> tuple[Entry, ...]:
    """Every matchable entry: facts, smalltalk and the generated lookups."""
    entries: list[Entry] = [
        Entry(
            id=fact.id,
            kind="answer",
            questions=fact.questions[EN],
            body=_static(fact.answer[EN]),
            sources=fact.sources,
            as_of=fact.as_of,
            related=fact.related,
            topics=fact.topics,
            record=fact.id,
            label=fact.label,
            more=fact.more[EN] if fact.more else None,
        )
        for fact in kb.facts
    ]
    entries += [
        Entry(
            id=talk.id,
            kind="smalltalk",
            questions=talk.questions[EN],
            body=_static(talk.answer[EN]),
            record=talk.id,
        )
        for talk in kb.smalltalk
    ]
    entries += _membership(kb)
    entries += _lists(kb)
    cities = _unique_cities(kb)
    entries += (_field_operation(op, cities) for op in kb.field_operations)
    entries += (_institution(inst, cities) for inst in kb.institutions)
    entries += _roles(kb)
    dates = [day.date for day in kb.awareness_days]
    shared_dates = {d for d in dates if dates.count(d) > 1}
    entries += (_day_entry(day, shared_dates) for day in kb.awareness_days)
    if kb.awareness_days:
        entries.append(_days_overview(kb))
    entries += _quotes(kb)
    help_entry = _help(kb)
    if help_entry is not None:
        entries.append(help_entry)
    entries += (_help_line(line) for line in kb.help)
    return tuple(
        entry
        if entry.evidence or entry.kind != "answer"
        else replace(entry, evidence=f"{entry.body(_EVIDENCE_DAY)} {entry.more or ''}".strip())
        for entry in merge_entries(entries)
    )


MERGED: dict[str, str] = {
    "role-odihr-director-list": "osce-odihr-directors",
    "role-secretary-general-list": "osce-secretaries-general-history",
    "osr-global-estimate": "figure-global-victims-27-6-million",
    "osce-parliamentary-assembly-size": "institution-parliamentary-assembly",
    "help-116000": "help-missing-children-116000",
}
"""Entries that answered the same question as another one, absorbed into it (id -> kept id).
Two confident answers to one question make the matcher ask "did you mean" between them, or
pick either; the kept entry's answer says everything the absorbed one did, with sources."""


def merge_entries(entries: Sequence[Entry]) -> list[Entry]:
    """Fold each absorbed entry's phrasings and id into the entry that keeps its answer."""
    by_id = {entry.id: entry for entry in entries}
    absorbed: dict[str, list[Entry]] = defaultdict(list)
    for gone, kept in MERGED.items():
        if gone in by_id and kept in by_id:
            absorbed[kept].append(by_id[gone])
    merged: list[Entry] = []
    for entry in entries:
        if entry.id in MERGED and MERGED[entry.id] in by_id:
            continue
        parts = absorbed.get(entry.id)
        if parts:
            entry = replace(
                entry,
                questions=_unique([*entry.questions, *(q for p in parts for q in p.questions)]),
                aliases=tuple(p.id for p in parts),
                related=tuple(r for r in entry.related if r not in {p.id for p in parts}),
            )
        merged.append(entry)
    return merged


_EVIDENCE_DAY = dt.date(2000, 1, 1)
"""Bodies that count days are only read for their words here, so any fixed date will do."""
