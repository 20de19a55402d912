"""Typed, frozen records of the knowledge base: what each YAML section may hold.

The models only check one record at a time (types, required fields, real dates). Checks that
need the whole base (unique ids, source references, collisions) live in `knowledge` and
`validation`. Text that users read is localised: a mapping from a language code to text, with
English required, so that Russian and the other OSCE languages can be added beside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

DEFAULT_LANGUAGE = "en"
MIN_PHRASINGS = 4

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG_RE = re.compile(r"^[a-z]{2}$")
_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTH_DAY_RE = re.compile(r"^(\d{2})-(\d{2})$")


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError("must be lowercase letters, digits and single dashes (e.g. osr-created)")
    return value


def _partial_date(value: Any) -> str:
    """Accept 2024, "2024-12" or 2024-12-05 (YAML may have made it a date) as a canonical string."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date, not a date and time, is expected")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date such as 2024, 2024-12 or 2024-12-05")
    match = _PARTIAL_DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a date such as 2024, 2024-12 or 2024-12-05")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{value!r} is not a day that exists") from None
    return value.strip()


def _month_day(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('expected a month and day as a quoted string such as "07-30"')
    match = _MONTH_DAY_RE.match(value.strip())
    if not match:
        raise ValueError(f'{value!r} is not a month and day such as "07-30"')
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month:02d}")
    # 2000 is a leap year, so 02-29 is accepted here and handled by the calendar.
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise ValueError(f"{value!r} is not a day that exists")
    return value.strip()


def _url(value: str) -> str:
    if not re.match(r"^https?://\S+$", value):
        raise ValueError("must start with http:// or https:// and contain no spaces")
    return value


def _localised_text(value: dict[str, str]) -> dict[str, str]:
    if DEFAULT_LANGUAGE not in value:
        raise ValueError(f"needs an '{DEFAULT_LANGUAGE}' text")
    for lang, text in value.items():
        if not _LANG_RE.match(lang):
            raise ValueError(f"{lang!r} is not a two-letter language code")
        if not text.strip():
            raise ValueError(f"the '{lang}' text is empty")
    return value


def _localised_list(value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    for lang, items in value.items():
        if not _LANG_RE.match(lang):
            raise ValueError(f"{lang!r} is not a two-letter language code")
        for item in items:
            if not item.strip():
                raise ValueError(f"an empty '{lang}' phrasing")
    return value


def _phrasings(value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    if DEFAULT_LANGUAGE not in value:
        raise ValueError(f"needs '{DEFAULT_LANGUAGE}' phrasings")
    _localised_list(value)
    if len(value[DEFAULT_LANGUAGE]) < MIN_PHRASINGS:
        raise ValueError(f"needs at least {MIN_PHRASINGS} '{DEFAULT_LANGUAGE}' phrasings")
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
PartialDate = Annotated[str, BeforeValidator(_partial_date)]
MonthDay = Annotated[str, BeforeValidator(_month_day)]
Text = Annotated[str, AfterValidator(_non_empty)]
Url = Annotated[str, AfterValidator(_url)]
LocalisedText = Annotated[dict[str, str], AfterValidator(_localised_text)]
LocalisedList = Annotated[dict[str, tuple[str, ...]], AfterValidator(_localised_list)]
Phrasings = Annotated[dict[str, tuple[str, ...]], AfterValidator(_phrasings)]
ButtonLabel = Annotated[str, StringConstraints(min_length=2, max_length=28, strip_whitespace=True)]
"""A button's text: at most 28 characters, about what a phone shows without cutting."""
SourceIds = Annotated[tuple[Id, ...], Field(min_length=1)]


TRANSLATABLE = frozenset(
    {"label", "name", "aliases", "place", "short", "area", "person", "country", "title"}
    | {"speaker", "role", "occasion", "text", "origin"}
)
"""Plain (not localised) fields that a record's `translations` block may give in a language."""


def _merge(data: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(data)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class Record(BaseModel):
    """Base of every record: frozen, and unknown fields are an error (catches typos).

    Localised fields hold every language (`answer: {en: ..., ru: ...}`); plain fields (a
    country's name, a quote's text) are given in another language in `translations`
    (`translations: {ru: {name: Албания}}`), and `in_language` applies them."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: Id
    translations: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_translations(self) -> Self:
        for lang, fields in self.translations.items():
            if not _LANG_RE.match(lang) or lang == DEFAULT_LANGUAGE:
                raise ValueError(f"translations: {lang!r} is not another two-letter language")
            for name in fields:
                if name not in TRANSLATABLE or name not in type(self).model_fields:
                    raise ValueError(f"translations.{lang}: {name!r} cannot be translated here")
                if isinstance(getattr(self, name), dict):
                    raise ValueError(
                        f"translations.{lang}: {name!r} is localised: add '{lang}:' to it instead"
                    )
            self.in_language(lang)  # the translated record must be valid too
        return self

    def in_language(self, lang: str) -> Self:
        """This record with its plain fields in `lang` where `translations` gives them."""
        fields = self.translations.get(lang)
        if not fields:
            return self
        data = self.model_dump(by_alias=True, exclude={"translations"})
        return type(self).model_validate(_merge(data, fields))


SOURCE_RANK = {"osce": 0, "un": 1, "coe": 2, "eu": 3, "gov": 4, "secondary": 5}
"""The order sources are shown in: the primary publishers first, copies last."""


class Source(Record):
    """A document that records cite."""

    title: Text
    publisher: Text
    url: Url | None
    date: PartialDate | None
    kind: Literal["osce", "un", "coe", "eu", "gov", "secondary"]


class Fact(Record):
    """A question people ask and its sourced answer (an intent)."""

    topics: tuple[str, ...] = ()
    label: ButtonLabel | None = None
    """What a button offering this answer says; phones cut longer labels."""
    questions: Phrasings
    answer: LocalisedText
    """The direct answer, short enough for a phone (about 400 characters)."""
    more: LocalisedText | None = None
    """Further detail, shown behind a "More" button."""
    sources: SourceIds
    as_of: PartialDate | None = None
    related: tuple[Id, ...] = ()


class Quote(Record):
    """A verbatim quote, with who said it, in what role, when, and where it was published."""

    speaker: Text
    role: Text
    date: PartialDate
    occasion: str | None = None
    text: Text
    lang: str = DEFAULT_LANGUAGE
    topics: tuple[str, ...] = ()
    sources: SourceIds


class Origin(BaseModel):
    """Who proclaimed an awareness day, by what instrument, and when it was first observed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    proclaimed_by: Text
    instrument: str | None = None
    first_observed: int | None = None


class AwarenessDay(Record):
    """A yearly awareness day on a fixed month and day."""

    name: LocalisedText
    date: MonthDay
    origin: Origin
    description: LocalisedText
    more: LocalisedText | None = None
    """Further detail behind a "More" button."""
    osce_link: LocalisedText | None = None
    aliases: LocalisedList = Field(default_factory=dict)
    sources: SourceIds


class ParticipatingState(Record):
    """One of the OSCE's participating States."""

    name: Text
    aliases: tuple[str, ...] = ()
    sources: SourceIds


class Partner(Record):
    """One of the OSCE's Partners for Co-operation."""

    name: Text
    group: Literal["asian", "mediterranean"]
    since: int | None = None
    aliases: tuple[str, ...] = ()
    sources: SourceIds


class Institution(Record):
    """An OSCE institution or body, and where it is."""

    name: LocalisedText
    short: str | None = None
    place: Text
    established: PartialDate | None = None
    description: LocalisedText
    more: LocalisedText | None = None
    """Further detail behind a "More" button."""
    aliases: LocalisedList = Field(default_factory=dict)
    sources: SourceIds


class FieldOperation(Record):
    """An OSCE field operation, where it is and when it was established."""

    name: LocalisedText
    place: Text
    established: PartialDate
    note: LocalisedText | None = None
    more: LocalisedText | None = None
    """Further detail behind a "More" button."""
    aliases: LocalisedList = Field(default_factory=dict)
    sources: SourceIds


class Role(Record):
    """An office whose holders the bot can name (Secretary General, Special Representative...)."""

    name: LocalisedText
    aliases: LocalisedList = Field(default_factory=dict)
    history_complete: bool = False
    """True only when office_holders lists every holder since the post was created, so that
    "who was the first ..." can be answered; otherwise the bot does not guess."""
    sources: tuple[Id, ...] = ()


class OfficeHolder(Record):
    """A person who held a role, from when to when (None = unknown, or in office for `to`)."""

    role: Id
    person: Text
    country: str | None = None
    title: str | None = None
    from_: PartialDate | None = Field(default=None, alias="from")
    to: PartialDate | None = None
    as_of: PartialDate | None = None
    note: LocalisedText | None = None
    sources: SourceIds


class HelpLine(Record):
    """An emergency or referral number, found in a source, and where it works."""

    number: Text
    name: LocalisedText
    area: Text
    description: LocalisedText
    sources: SourceIds
    countries: tuple[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], ...] = ()
    """ISO 3166-1 alpha-2 codes of the countries the number serves; empty: no single country."""
    kind: Literal[
        "emergency", "hotline", "police", "missing_children", "citizens_abroad", "other"
    ] = "hotline"
    """What the number is for: the safety reply names it in the reader's language."""
    as_of: PartialDate | None = None
    """When the source showed the number (or when it was last checked)."""


class SmallTalk(Record):
    """A greeting or thanks and the short friendly reply it gets (no source needed)."""

    questions: Phrasings
    answer: LocalisedText


class Announcement(Record):
    """The yearly message to subscribed chats on an awareness day, chosen by curators.

    It applies from `from_year` until a later record takes over, so a new year's message is a
    new record and last year's stays on file.
    """

    day: Id
    from_year: int = Field(ge=2000, le=2100)
    intro: LocalisedText
    quote: Id
    fact: Id
    outro: LocalisedText
    sources: SourceIds


SECTIONS: dict[str, type[Record]] = {
    "sources": Source,
    "facts": Fact,
    "quotes": Quote,
    "awareness_days": AwarenessDay,
    "participating_states": ParticipatingState,
    "partners": Partner,
    "institutions": Institution,
    "field_operations": FieldOperation,
    "roles": Role,
    "office_holders": OfficeHolder,
    "help": HelpLine,
    "smalltalk": SmallTalk,
    "announcements": Announcement,
}
