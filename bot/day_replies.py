"""Replies for the awareness-day commands: /days (the next days), /next (the next day in full)
and /day NAME.

Pure: they reuse the generated `day-<id>` entries (name, date, countdown, origin, why it
matters, the OSCE's link, sources), so a command and a free-text question about the same day
get the same answer.
"""

from __future__ import annotations

import datetime as dt

from bot.answers import Reply, SourceRef, Suggestion
from bot.awareness import find_day, upcoming
from bot.dates import countdown, format_date
from bot.entries import day_entry_id, proclaimer
from bot.i18n import N_, SOURCE_LANGUAGE, translations
from bot.languages import LANGUAGE_MARK
from bot.responder import Responder

DAY_USAGE = N_("Send /day followed by a name or a date, for example: /day EU day, or /day 30 July.")
UNKNOWN_DAY = N_("I don't know an awareness day by that name.")


def _intent(day_id: str, language: str) -> str:
    mark = "" if language == SOURCE_LANGUAGE else f"{language}{LANGUAGE_MARK}"
    return f"{mark}{day_entry_id(day_id)}"


MAX_DAY_QUERY_CHARS = 200


def next_day_reply(responder: Responder, today: dt.date, language: str = SOURCE_LANGUAGE) -> Reply:
    """The next awareness day (today's, when today is one), in full."""
    days = responder.kb.awareness_days
    first = upcoming(days, today, limit=1)
    reply = responder.reply_to_intent(_intent(first[0].day.id, language), today) if first else None
    if reply is None:
        unknown = translations(language).gettext(UNKNOWN_DAY)
        return Reply("/next", "fallback", None, 0.0, unknown, language=language)
    return reply


def day_reply(
    responder: Responder, query: str, today: dt.date, language: str = SOURCE_LANGUAGE
) -> Reply:
    """One day by fuzzy name or date; the list of days when the query names none."""
    days = responder.kb.awareness_days
    query = query.strip()
    _ = translations(language).gettext
    if not query:
        return Reply("/day", "smalltalk", None, 100.0, _(DAY_USAGE), language=language)
    found = find_day(days, query[:MAX_DAY_QUERY_CHARS])
    if found is None and language != SOURCE_LANGUAGE:  # a Russian name: the day's own matcher
        found = next(
            (d for d in days if query.casefold() in d.name.get(language, "").casefold()), None
        )
    reply = responder.reply_to_intent(_intent(found.id, language), today, query) if found else None
    if reply is not None:
        return reply
    listed = tuple(
        Suggestion(_intent(o.day.id, language), o.day.name.get(language, o.day.name["en"]))
        for o in upcoming(days, today)
        if responder.entry(day_entry_id(o.day.id), language) is not None
    )
    return Reply(query, "clarify", None, 0.0, _(UNKNOWN_DAY), suggestions=listed, language=language)


def days_reply(
    responder: Responder, today: dt.date, limit: int, language: str = SOURCE_LANGUAGE
) -> Reply:
    """/days: the next `limit` awareness days with countdowns, each with its origin."""
    items = upcoming(responder.kb.awareness_days, today, limit)
    _ = translations(language).gettext
    lines = []
    for item in items:
        when = f"{format_date(item.date, language)} ({countdown(item.days_until, language)})"
        if language == SOURCE_LANGUAGE or language not in item.day.name:
            origin = item.day.origin
            first = f", first observed {origin.first_observed}" if origin.first_observed else ""
            lines.append(
                f"{when}: {item.day.name['en']}. "
                f"Proclaimed by {proclaimer(origin.proclaimed_by)}{first}."
            )
        else:
            proclaimed = item.day.in_language(language).origin.proclaimed_by
            lines.append(
                f"{when}: {item.day.name[language]}. "
                + _("Proclaimed by: {proclaimer}.").format(proclaimer=proclaimed)
            )
    sources = tuple(dict.fromkeys(s for item in items for s in item.day.sources))
    return Reply(
        query=f"/days {limit}",
        kind="answer",
        intent="awareness-days",
        score=100.0,
        body=_("Awareness days coming up:") + "\n" + "\n".join(lines),
        sources=tuple(SourceRef.of(responder.kb.sources[s]) for s in sources),
        language=language,
    )
