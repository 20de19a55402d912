"""The yearly awareness-day announcement: its text (from the knowledge base) and which chats
are owed it at a given moment.

Pure: `now` and the subscriptions are passed in. A chat is owed the announcement for year Y
when, in the chat's own time zone, it is the day (30 July for the World Day) of year Y, the
local time is at or after the announcement time, and the ledger has no row for (chat, Y).
The same rule serves the scheduled run, the catch-up after a restart later that day (but never
the day after) and `oscebot announce`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.answers import Reply, SourceRef
from bot.dates import format_partial_date, is_stale, partial_date_end
from bot.i18n import translations
from bot.knowledge import KnowledgeBase
from bot.languages import LANGUAGE_MARK
from bot.responder import Responder
from bot.schema import Announcement, AwarenessDay

LANGUAGE = "en"


@dataclass(frozen=True)
class Owed:
    """One chat owed this year's announcement."""

    chat_id: int
    year: int


@dataclass(frozen=True)
class Subscriber:
    """What the schedule needs to know about a subscribed chat."""

    chat_id: int
    timezone: str


def announcement_record(kb: KnowledgeBase, year: int) -> Announcement | None:
    """The curators' announcement that applies in `year`: the latest one starting by then."""
    applicable = [a for a in kb.announcements if a.from_year <= year]
    return max(applicable, key=lambda a: a.from_year, default=None)


def announced_day(kb: KnowledgeBase) -> AwarenessDay | None:
    """The awareness day the announcement is for (the one the newest record names; the
    bundled knowledge base names the World Day against Trafficking in Persons, 30 July)."""
    newest = max(kb.announcements, key=lambda a: a.from_year, default=None)
    if newest is None:
        return None
    return next((d for d in kb.awareness_days if d.id == newest.day), None)


def announcement(responder: Responder, year: int, language: str = LANGUAGE) -> Reply | None:
    """The announcement for `year` in `language` (English where the record or its quote and
    fact have no text in it), or None when the knowledge base has none for it."""
    kb = responder.kb
    record = announcement_record(kb, year)
    on = announcement_day(kb, year)
    if record is None or on is None:
        return None
    mark = "" if language == LANGUAGE else f"{language}{LANGUAGE_MARK}"
    quote = responder.reply_to_intent(f"{mark}{record.quote}", on)
    fact = responder.reply_to_intent(f"{mark}{record.fact}", on)
    if language != LANGUAGE and (quote is None or fact is None or language not in record.intro):
        return announcement(responder, year)
    if quote is None or fact is None:
        return None
    _ = translations(language).gettext
    quote_text = quote.body
    quoted = next((q for q in kb.quotes if q.id == record.quote), None)
    if quoted is not None and left_office(kb, quoted.speaker, on):
        # a former office holder is quoted as what they were then, not as if still in office
        local = quoted.in_language(language)
        quote_text = quote_text.replace(
            f"— {local.speaker}, {local.role}",
            f"— {local.speaker}, " + _("then {role}").format(role=local.role),
        )
    outro = record.outro.get(language, record.outro[LANGUAGE])
    body = "\n\n".join([record.intro[language], quote_text, _with_as_of(fact, on, language), outro])
    sources = [SourceRef.of(kb.sources[s]) for s in dict.fromkeys(record.sources)]
    for extra in (*quote.sources, *fact.sources):
        if extra not in sources:
            sources.append(extra)
    return Reply(
        query=f"announcement {year}",
        kind="answer",
        intent=record.id,
        score=100.0,
        body=body,
        sources=tuple(sources),
        language=language,
    )


def _with_as_of(reply: Reply, on: dt.date, language: str) -> str:
    if reply.as_of is None:
        return reply.body
    _ = translations(language).gettext
    when = format_partial_date(reply.as_of, language)
    note = (
        _("(As of {date}; it may have changed since.)")
        if is_stale(reply.as_of, on)
        else _("(As of {date}.)")
    )
    return f"{reply.body} {note.format(date=when)}"


def left_office(kb: KnowledgeBase, person: str, on: dt.date) -> bool:
    """Whether every post `person` held, by the roles' data, had ended before `on`."""
    terms = [h for h in kb.office_holders if h.person == person]
    return bool(terms) and all(h.to is not None and is_stale_by(h.to, on) for h in terms)


def is_stale_by(ended: str, on: dt.date) -> bool:
    """Whether a partial date ('2024-09') lies wholly before `on`."""
    return partial_date_end(ended) < on


def stale_office_holders(kb: KnowledgeBase, year: int) -> list[str]:
    """People the announcement of `year` names in its own words who had left office by then
    (validation: a dated text must not present a former office holder as current)."""
    record = announcement_record(kb, year)
    on = announcement_day(kb, year)
    if record is None or on is None:
        return []
    words = f"{record.intro[LANGUAGE]} {record.outro[LANGUAGE]}"
    people = {h.person for h in kb.office_holders}
    return sorted(p for p in people if p in words and left_office(kb, p, on))


def announcement_day(kb: KnowledgeBase, year: int) -> dt.date | None:
    """The date of the announced day in `year`."""
    day = announced_day(kb)
    if day is None:
        return None
    month, day_of_month = (int(part) for part in day.date.split("-"))
    return dt.date(year, month, day_of_month)


def zone(name: str, fallback: dt.tzinfo) -> dt.tzinfo:
    """The named time zone, or `fallback` for a name this system does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def owed(
    kb: KnowledgeBase,
    subscribers: Iterable[Subscriber],
    ledger: Mapping[int, Mapping[int, object]],
    now: dt.datetime,
    send_at: dt.time,
    default_zone: dt.tzinfo,
) -> list[Owed]:
    """The chats owed the announcement at `now` (an aware datetime), in chat-id order.

    `ledger` maps a year to the chats that already have a row for it (sent, sending, blocked
    or failed): those are never owed again.
    """
    day = announced_day(kb)
    if day is None:
        return []
    result: list[Owed] = []
    for subscriber in subscribers:
        local = now.astimezone(zone(subscriber.timezone, default_zone))
        if f"{local.month:02d}-{local.day:02d}" != day.date:
            continue
        if local.time().replace(tzinfo=None) < send_at:
            continue
        if subscriber.chat_id in ledger.get(local.year, {}):
            continue
        result.append(Owed(subscriber.chat_id, local.year))
    return sorted(result, key=lambda o: o.chat_id)


def owed_on(
    kb: KnowledgeBase,
    subscribers: Iterable[Subscriber],
    ledger: Mapping[int, Mapping[int, object]],
    on: dt.date,
) -> list[Owed]:
    """The chats owed the announcement when an operator says the day is `on`, whatever the
    time and time zone (`oscebot announce --date`). Nothing unless `on` is the day."""
    day = announced_day(kb)
    if day is None or f"{on.month:02d}-{on.day:02d}" != day.date:
        return []
    done = ledger.get(on.year, {})
    return sorted(
        (Owed(s.chat_id, on.year) for s in subscribers if s.chat_id not in done),
        key=lambda o: o.chat_id,
    )


def owed_at(
    kb: KnowledgeBase,
    subscribers: Iterable[Subscriber],
    ledger_for: Callable[[int], Mapping[int, object]],
    now: dt.datetime,
    send_at: dt.time,
    default_zone: dt.tzinfo,
    on: dt.date | None = None,
) -> list[Owed]:
    """Who is owed the announcement: at `now` by each chat's clock, or on the day `on` when an
    operator names it. `ledger_for(year)` gives the chats with a ledger row for that year."""
    if on is not None:
        return owed_on(kb, subscribers, {on.year: ledger_for(on.year)}, on)
    years = (now.year - 1, now.year, now.year + 1)  # time zones straddle New Year
    ledger = {year: ledger_for(year) for year in years}
    return owed(kb, subscribers, ledger, now, send_at, default_zone)


def next_announcement_year(kb: KnowledgeBase, today: dt.date) -> int:
    """The year of the next announcement day on or after `today`."""
    this_year = announcement_day(kb, today.year)
    return today.year + 1 if this_year is not None and this_year < today else today.year


def parse_time(value: str) -> dt.time:
    """'09:00' -> time(9, 0) (Settings has already checked the format)."""
    hours, _, minutes = value.partition(":")
    return dt.time(int(hours), int(minutes))
