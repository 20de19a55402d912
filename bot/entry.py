"""One matchable entry and what every builder of entries shares: button labels derived from
questions, and small text helpers. The builders are in `entries` (and the modules it names)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.answers import shorten
from bot.knowledge import KnowledgeBase
from bot.schema import (
    DEFAULT_LANGUAGE,
)

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


def static(text: str) -> Body:
    return lambda _today: text


def unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def sources_of(*groups: Sequence[str]) -> tuple[str, ...]:
    return unique([source for group in groups for source in group])


def join_names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


def proclaimer(proclaimed_by: str) -> str:
    """'UN General Assembly' -> 'the UN General Assembly': bodies take the article."""
    return proclaimed_by if proclaimed_by.lower().startswith("the ") else f"the {proclaimed_by}"


def day_entry_id(day_id: str) -> str:
    """The id of the entry that answers about one awareness day."""
    return f"day-{day_id}"


def latest_source_date(kb: KnowledgeBase, source_ids: Sequence[str]) -> str | None:
    dates = [d for s in source_ids if (d := kb.sources[s].date) is not None]
    return max(dates) if dates else None


def written_entries(kb: KnowledgeBase, language: str = EN) -> list[Entry]:
    """The hand-written facts and smalltalk that have text in `language`, as entries (a
    fact's button label only where it is given in that language)."""
    entries = [
        Entry(
            id=fact.id,
            kind="answer",
            questions=fact.questions[language],
            body=static(fact.answer[language]),
            sources=fact.sources,
            as_of=fact.as_of,
            related=fact.related,
            topics=fact.topics,
            record=fact.id,
            label=(
                fact.label if language == EN else fact.translations.get(language, {}).get("label")
            ),
            more=fact.more.get(language) if fact.more else None,
        )
        for fact in kb.facts
        if language in fact.answer and language in fact.questions
    ]
    entries += [
        Entry(
            id=talk.id,
            kind="smalltalk",
            questions=talk.questions[language],
            body=static(talk.answer[language]),
            record=talk.id,
        )
        for talk in kb.smalltalk
        if language in talk.answer and language in talk.questions
    ]
    return entries
