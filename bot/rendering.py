"""Entries into replies: the answer with its primary source first, its "as of" date (flagged
when over a year old) and related entries as buttons, and the pages behind the "More" and
"Sources" buttons; and the "I don't have that" reply when the asked detail is not known.

Pure, like the rest of the core: `today` is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from bot.answerability import asks_for_more
from bot.answers import Reply, SourceRef, Suggestion
from bot.dates import is_stale
from bot.entries import Entry
from bot.i18n import N_, SOURCE_LANGUAGE, translations
from bot.knowledge import KnowledgeBase
from bot.languages import LANGUAGE_MARK
from bot.schema import SOURCE_RANK, Source

MAX_RELATED = 3
MISSING_TEXT = N_("I don't have {detail} in my sources. Here is what I know about {topic}:")
SOURCES_PREFIX = "sources:"
"""Button data of the page that lists every source of an entry."""
SOURCES_BUTTON = N_("Sources")
MORE_PREFIX = "more:"
"""Button data of the page with an entry's further detail."""
MORE_BUTTON = N_("More")


def _date_key(source: Source) -> str:
    return source.date or ""


class Renderer:
    """Renders the entries of one knowledge base, in each language it answers in."""

    def __init__(self, kb: KnowledgeBase, entries_by_id: Callable[[str], dict[str, Entry]]) -> None:
        """`entries_by_id`: a language's entries by id (related entries, button pages)."""
        self.kb = kb
        self._entries_by_id = entries_by_id

    def render(
        self,
        query: str,
        entry: Entry,
        score: float,
        today: dt.date,
        *,
        asked: str = "",
        language: str = SOURCE_LANGUAGE,
    ) -> Reply:
        """An entry's answer with its sources (the primary publisher first; the rest behind a
        "Sources" button), "as of" date (flagged when over a year old) and related entries.
        `asked`: the question typed, whose words may call for the "More" text at once."""
        by_id = self._entries_by_id(language)
        _ = translations(language).gettext
        mark = "" if language == SOURCE_LANGUAGE else f"{language}{LANGUAGE_MARK}"
        related = tuple(
            suggestion(by_id[r], language)
            for r in entry.related
            if r in by_id and by_id[r].id != entry.id
        )[:MAX_RELATED]
        sources = self.ranked_sources(entry)
        body = entry.body(today)
        if entry.more and asked and asks_for_more(asked, body, entry.more, language):
            body = f"{body} {entry.more}"  # what was asked is in the detail: say it at once
        elif entry.more:
            related = (Suggestion(f"{mark}{MORE_PREFIX}{entry.id}", _(MORE_BUTTON)), *related)
        if len(sources) > 1 and not entry.compact_sources:
            related += (Suggestion(f"{mark}{SOURCES_PREFIX}{entry.id}", _(SOURCES_BUTTON)),)
        return Reply(
            query=query,
            kind="smalltalk" if entry.kind == "smalltalk" else "answer",
            intent=None if entry.kind == "smalltalk" else entry.id,
            score=score,
            body=body,
            sources=sources,
            as_of=entry.as_of,
            stale=entry.as_of is not None and is_stale(entry.as_of, today),
            related=related,
            sources_label=_(SOURCES_BUTTON) if entry.compact_sources else None,
            language=language,
        )

    def ranked_sources(self, entry: Entry) -> tuple[SourceRef, ...]:
        """An entry's sources, primary publishers first, then the most recent."""
        found = sorted((self.kb.sources[s] for s in entry.sources), key=_date_key, reverse=True)
        found.sort(key=lambda source: SOURCE_RANK[source.kind])
        return tuple(SourceRef.of(s) for s in found)

    def more_page(self, intent: str, today: dt.date, language: str) -> Reply | None:
        """An entry's further detail (the "More" button), with its source line."""
        entry = self._entries_by_id(language).get(intent)
        if entry is None or not entry.more:
            return None
        reply = self.render(entry.title, replace(entry, more=None), 100.0, today, language=language)
        return replace(reply, body=entry.more)

    def missing(
        self,
        text: str,
        entry: Entry,
        score: float,
        detail: str,
        language: str = SOURCE_LANGUAGE,
    ) -> Reply:
        """The topic is known, the detail asked is not: say so, and offer what is known."""
        missing = translations(language).gettext(MISSING_TEXT)
        return Reply(
            query=text,
            kind="missing",
            intent=None,
            score=score,
            body=missing.format(detail=detail, topic=entry.button_label),
            sources=self.ranked_sources(entry)[:1],
            suggestions=(suggestion(entry, language),),
            language=language,
        )

    def sources_page(self, intent: str, language: str) -> Reply | None:
        """Every source of one entry, in full (the "Sources" button)."""
        entry = self._entries_by_id(language).get(intent)
        if entry is None or not entry.sources:
            return None
        return Reply(
            query="",
            kind="answer",
            intent=entry.id,
            score=100.0,
            body=translations(language).gettext("Sources of “{title}”:").format(title=entry.title),
            sources=self.ranked_sources(entry),
            list_sources=True,
            language=language,
        )


def suggestion(entry: Entry, language: str = SOURCE_LANGUAGE) -> Suggestion:
    """An entry offered as a button, marked with its language when not English."""
    mark = "" if language == SOURCE_LANGUAGE else f"{language}{LANGUAGE_MARK}"
    return Suggestion(f"{mark}{entry.id}", entry.title, entry.button_label)
