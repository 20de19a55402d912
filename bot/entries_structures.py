"""Entries generated from the OSCE's structures: membership of each participating State and
Partner, the lists, field operations and institutions (see `entries`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bot.answers import shorten
from bot.dates import format_partial_date
from bot.entry import (
    BUTTON_LABEL_CHARS,
    EN,
    Entry,
    join_names,
    latest_source_date,
    sentence,
    sources_of,
    static,
    unique,
)
from bot.knowledge import KnowledgeBase
from bot.schema import (
    FieldOperation,
    Institution,
)

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
            questions=unique(
                [t.format(n) for t in _MEMBER_TEMPLATES[:4] for n in names[:1]]
                + [t.format(n) for t in _MEMBER_TEMPLATES[4:] for n in names[:1]]
                + [_MEMBER_TEMPLATES[1].format(alias) for alias in state.aliases]
            ),
            body=static(f"Yes. {state.name} is one of the OSCE's {count} participating States."),
            sources=state.sources,
            as_of=latest_source_date(kb, state.sources),
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
            questions=unique(
                [t.format(names[0]) for t in _MEMBER_TEMPLATES]
                + [f"Is {names[0]} an OSCE Partner for Co-operation?"]
                + [_MEMBER_TEMPLATES[1].format(alias) for alias in partner.aliases]
            ),
            body=static(
                f"No, {partner.name} is not a participating State, but it is one of the OSCE's "
                f"{partner_count} Partners for Co-operation ({group} Partner).{since}"
            ),
            sources=partner.sources,
            as_of=latest_source_date(kb, partner.sources),
            related=("list-partners",),
            generated=True,
            record=partner.id,
        )


def not_listed_entry(kb: KnowledgeBase, name: str) -> Entry:
    """The answer for a country that is neither a participating State nor a Partner."""
    sources = sources_of(
        *(s.sources for s in kb.participating_states), *(p.sources for p in kb.partners)
    )
    return Entry(
        id="member-not-listed",
        kind="answer",
        questions=(f"Is {name} in the OSCE?",),
        body=static(
            f"No. {name} is neither one of the OSCE's {len(kb.participating_states)} "
            f"participating States nor one of its {len(kb.partners)} Partners for Co-operation."
        ),
        sources=sources,
        as_of=latest_source_date(kb, sources),
        related=("list-participating-states", "list-partners"),
        generated=True,
    )


# --- lists ---------------------------------------------------------------------------------


def _lists(kb: KnowledgeBase) -> Iterator[Entry]:
    if kb.participating_states:
        names = [s.name for s in kb.participating_states]
        sources = sources_of(*(s.sources for s in kb.participating_states))
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
            body=static(f"The OSCE has {len(names)} participating States: {join_names(names)}."),
            sources=sources,
            as_of=latest_source_date(kb, sources),
            related=("list-partners",),
            generated=True,
        )
    if kb.partners:
        groups: dict[str, list[str]] = defaultdict(list)
        for partner in kb.partners:
            groups[partner.group].append(partner.name)
        sources = sources_of(*(p.sources for p in kb.partners))
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
            body=static(
                f"The OSCE has {len(kb.partners)} Partners for Co-operation. "
                f"Asian Partners: {join_names(groups['asian'])}. "
                f"Mediterranean Partners: {join_names(groups['mediterranean'])}."
            ),
            sources=sources,
            as_of=latest_source_date(kb, sources),
            related=("list-participating-states",),
            generated=True,
        )
    if kb.field_operations:
        items = [
            f"{op.name[EN]} ({format_partial_date(op.established)[-4:]})"
            for op in kb.field_operations
        ]
        sources = sources_of(*(op.sources for op in kb.field_operations))
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
            body=static(
                f"The OSCE has {len(items)} field operations (year established): "
                f"{join_names(items)}."
            ),
            sources=sources,
            generated=True,
        )
    if kb.institutions:
        items = [f"{i.name[EN]} ({i.place})" for i in kb.institutions]
        sources = sources_of(*(i.sources for i in kb.institutions))
        yield Entry(
            id="list-institutions",
            kind="answer",
            questions=(
                "What are the OSCE institutions?",
                "List of OSCE institutions and bodies",
                "Which institutions does the OSCE have?",
                "OSCE structures and institutions",
            ),
            body=static(f"OSCE institutions and bodies in this guide: {join_names(items)}."),
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
    note = f" {sentence(op.note[EN])}" if op.note else ""
    return Entry(
        id=f"fieldop-{op.id}",
        kind="answer",
        questions=unique(questions),
        body=static(
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
    labels = unique([inst.short or "", name, *inst.aliases.get(EN, ())])
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
        questions=unique(questions),
        body=static(
            f"The {name}{short} is based in {inst.place}. "
            f"{sentence(inst.description[EN])}{established}"
        ),
        more=inst.more[EN] if inst.more else None,
        label=inst.short if inst.short else shorten(name, BUTTON_LABEL_CHARS),
        sources=inst.sources,
        related=("list-institutions",),
        generated=True,
        record=inst.id,
    )


def structure_entries(kb: KnowledgeBase) -> list[Entry]:
    """Membership, the lists, field operations and institutions, in that order."""
    entries: list[Entry] = [*_membership(kb), *_lists(kb)]
    cities = _unique_cities(kb)
    entries += (_field_operation(op, cities) for op in kb.field_operations)
    entries += (_institution(inst, cities) for inst in kb.institutions)
    return entries
