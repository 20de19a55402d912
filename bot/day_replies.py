"""Replies for the awareness-day commands: /next (the next day in full) and /day NAME.

Pure: they reuse the generated `day-<id>` entries (name, date, countdown, origin, why it
matters, the OSCE's link, sources), so a command and a free-text question about the same day
get the same answer.
"""

from __future__ import annotations

import datetime as dt

from bot.answers import Reply, Suggestion
from bot.awareness import find_day, upcoming
from bot.entries import day_entry_id
from bot.responder import Responder

DAY_USAGE = "Send /day followed by a name or a date, for example: /day EU day, or /day 30 July."
UNKNOWN_DAY = "I don't know an awareness day by that name."
MAX_DAY_QUERY_CHARS = 200


def next_day_reply(responder: Responder, today: dt.date) -> Reply:
    """The next awareness day (today's, when today is one), in full."""
    days = responder.kb.awareness_days
    first = upcoming(days, today, limit=1)
    reply = responder.reply_to_intent(day_entry_id(first[0].day.id), today) if first else None
    if reply is None:
        return Reply("/next", "fallback", None, 0.0, UNKNOWN_DAY)
    return reply


def day_reply(responder: Responder, query: str, today: dt.date) -> Reply:
    """One day by fuzzy name or date; the list of days when the query names none."""
    days = responder.kb.awareness_days
    query = query.strip()
    if not query:
        return Reply("/day", "smalltalk", None, 100.0, DAY_USAGE)
    found = find_day(days, query[:MAX_DAY_QUERY_CHARS])
    reply = responder.reply_to_intent(day_entry_id(found.id), today, query) if found else None
    if reply is not None:
        return reply
    listed = tuple(
        Suggestion(day_entry_id(o.day.id), o.day.name["en"])
        for o in upcoming(days, today)
        if responder.entry(day_entry_id(o.day.id)) is not None
    )
    return Reply(query, "clarify", None, 0.0, UNKNOWN_DAY, suggestions=listed)
