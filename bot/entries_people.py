"""Entries generated about people: office holders (who holds a post now, who held it, who was
first, each person) and quotes (see `entries`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from bot.dates import format_partial_date
from bot.entry import (
    EN,
    Entry,
    join_names,
    sentence,
    sources_of,
    static,
    unique,
)
from bot.knowledge import KnowledgeBase
from bot.schema import (
    OfficeHolder,
    Quote,
    Role,
)
from bot.text import slug, tokens

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


def role_entries(kb: KnowledgeBase) -> Iterator[Entry]:
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
    labels = unique([name, *role.aliases.get(EN, ())])
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
        note = f" {sentence(current.note[EN])}" if current.note else ""
        title = f", {current.title}" if current.title else ""
        country = f" ({current.country})" if current.country else ""
        since = f", in office since {format_partial_date(current.from_)}" if current.from_ else ""
        yield Entry(
            id=f"role-{role.id}-current",
            kind="answer",
            questions=unique(questions),
            body=static(f"The {name} is {current.person}{country}{title}{since}.{note}"),
            sources=sources_of(current.sources, role.sources),
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
        f"{i}. {_holder_line(h)}" + (f" ({sentence(h.note[EN])})" if h.note else "")
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
        questions=unique(questions),
        body=static(f"{intro}\n" + "\n".join(lines)),
        sources=sources_of(*(h.sources for h in holders)),
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
        questions=unique(questions),
        body=static(
            f"The first {name} was {_holder_line(first)}."
            + (f" {sentence(first.note[EN])}" if first.note else "")
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
    note = f" {sentence(holder.note[EN])}" if holder.note else ""
    title = f" ({holder.title})" if holder.title else ""
    return Entry(
        id=f"person-{holder.id}",
        kind="answer",
        questions=unique(
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
        body=static(f"{person}{title} {verb} {role.name[EN]} ({_term(holder)}).{note}"),
        sources=holder.sources,
        as_of=holder.as_of if is_current else None,
        related=(f"role-{role.id}-list",),
        generated=True,
        record=holder.id,
    )


def _surname(person: str) -> str:
    return person.split()[-1]


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


def quote_entries(kb: KnowledgeBase) -> Iterator[Entry]:
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
            questions=unique(questions),
            body=static(_quote_text(quote)),
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
            f"{join_names(unique([t for q in quotes if q is not latest for t in q.topics[:1]]))}."
        )
        yield Entry(
            id=f"quotes-{slug(speaker)}",
            kind="answer",
            questions=_speaker_questions(speaker),
            body=static(_quote_text(latest) + more),
            sources=latest.sources,
            related=tuple(q.id for q in quotes if q is not latest)[:3],
            generated=True,
            record=latest.id,
        )
