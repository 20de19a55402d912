"""The awareness days as an iCalendar file: one yearly recurring all-day event per day.

This module owns the `.ics` export (the `/calendar` command and anything else that offers the
calendar as a file). It is pure: the DTSTAMP is an argument, so the same knowledge base and
stamp always give the same bytes. The icalendar library does the escaping, the CRLF line
endings and the folding of long lines to 75 octets that RFC 5545 requires.
"""

from __future__ import annotations

import calendar
import datetime as dt

from icalendar import Calendar, Event, vRecur

from bot.entries import proclaimer
from bot.i18n import N_, translations
from bot.knowledge import KnowledgeBase
from bot.schema import DEFAULT_LANGUAGE, AwarenessDay, Source

CALENDAR_NAME = N_("Awareness days against trafficking (oscebot)")
PRODID = "-//oscebot//Awareness days against trafficking//EN"
UID_DOMAIN = "oscebot"
DEFAULT_FIRST_YEAR = 2000
"""The first year of a day whose first observance the data does not give. A leap year, so
that a 29 February day can start in it too."""


def calendar_ics(
    kb: KnowledgeBase, *, stamp: dt.datetime, language: str = DEFAULT_LANGUAGE
) -> bytes:
    """Every awareness day of `kb` as a yearly all-day event, in one iCalendar file; names and
    descriptions in `language` where the day has them (English otherwise)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", translations(language).gettext(CALENDAR_NAME))
    utc_stamp = _as_utc(stamp)
    for day in sorted(kb.awareness_days, key=lambda d: (d.date, d.id)):
        cal.add_component(_event(day, kb, utc_stamp, language))
    ical: bytes = cal.to_ical()
    return ical


def first_date(day: AwarenessDay) -> dt.date:
    """The date the recurrence starts: the first observance if known, and a real date.

    A 29 February day starts in a leap year; RFC 5545 then skips the years without one
    (a yearly rule never moves an invalid date to 28 February or 1 March).
    """
    month, day_of_month = (int(part) for part in day.date.split("-"))
    year = day.origin.first_observed or DEFAULT_FIRST_YEAR
    while day_of_month > calendar.monthrange(year, month)[1]:
        year += 1
    return dt.date(year, month, day_of_month)


def _event(day: AwarenessDay, kb: KnowledgeBase, stamp: dt.datetime, language: str) -> Event:
    sources = [kb.sources[source_id] for source_id in day.sources if source_id in kb.sources]
    start = first_date(day)
    event = Event()
    event.add("uid", f"{day.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=1))
    event.add("rrule", vRecur(freq="YEARLY"))
    if language in day.name and language != DEFAULT_LANGUAGE:
        event.add("summary", day.name[language])
        event.add("description", _localised_description(day, sources, language))
    else:
        event.add("summary", day.name[DEFAULT_LANGUAGE])
        event.add("description", _description(day, sources))
    url = next((source.url for source in sources if source.url), None)
    if url is not None:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def _description(day: AwarenessDay, sources: list[Source]) -> str:
    """One line of origin, the description, and the first source (as a calendar shows it)."""
    origin = day.origin
    instrument = f" ({origin.instrument})" if origin.instrument else ""
    first = f"; first observed in {origin.first_observed}" if origin.first_observed else ""
    lines = [
        f"Proclaimed by {proclaimer(origin.proclaimed_by)}{instrument}{first}.",
        day.description[DEFAULT_LANGUAGE],
    ]
    if sources:
        source = sources[0]
        where = f", {source.url}" if source.url else ""
        lines.append(f"Source: {source.title}{where}")
    return "\n".join(" ".join(line.split()) for line in lines)


def _localised_description(day: AwarenessDay, sources: list[Source], language: str) -> str:
    """`_description` in another language, from the day's translations and the catalogue."""
    _ = translations(language).gettext
    origin = day.in_language(language).origin
    instrument = f" ({origin.instrument})" if origin.instrument else ""
    lines = [
        _("Proclaimed by: {proclaimer}.").format(proclaimer=f"{origin.proclaimed_by}{instrument}")
    ]
    if origin.first_observed:
        lines[0] += " " + _("First observed in {year}.").format(year=origin.first_observed)
    lines.append(day.description.get(language, day.description[DEFAULT_LANGUAGE]))
    if sources:
        where = f", {sources[0].url}" if sources[0].url else ""
        lines.append(_("Source: {source}").format(source=f"{sources[0].title}{where}"))
    return "\n".join(" ".join(line.split()) for line in lines)


def _as_utc(stamp: dt.datetime) -> dt.datetime:
    """DTSTAMP is written in UTC; a naive stamp has no known zone, so it is refused."""
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("stamp must be timezone-aware")
    return stamp.astimezone(dt.UTC).replace(microsecond=0)
