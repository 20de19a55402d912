"""Whether an entry answers what a question asks, or only its topic.

A close entry is not always an answer: "How old is Kari Johnstone?" finds her profile, which
gives her career and not her age; "What was the theme of the 22nd Alliance conference?" finds
the conference overview, which does not list that edition. Answering either would be a
confident wrong answer. So before answering, the responder asks `missing_detail`:

- the attributes a question asks for (age, nationality, a cost, a share, a count, a theme, who
  came before or after, who holds a post, a founder, a weekday, an exact date, contact
  details) must each be given by the entry's text: its answer, its "More" text and its
  structured data as rendered (`Entry.body`, `Entry.evidence`). Which words ask for an
  attribute and which words give it are language data (`bot/language/<code>.yaml`);
- a numbered item ("article 3", "standard number 12") and any number of three digits or more
  ("116 006") must be named by the entry;
- the named details of the question (a year, an ordinal such as "22nd") must appear in the
  entry's text or its phrasings, or fall within a span it gives ("2014 to 2017", "since 2003").

When something is missing, the bot says so and offers the entry as what it does know.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from bot.entries import Entry
from bot.i18n import translations
from bot.knowledge import read_yaml
from bot.text import QUESTION_TOKENS, normaliser

LANGUAGE_DIR = Path(__file__).resolve().parent / "language"
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
ORDINAL_RE = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
NUMBER_RE = re.compile(r"(?<![\d/.])\d(?:[\d -]*\d)?(?![\d/])")
"""A number as written, with the spaces or dashes that group its digits ("116 006")."""
SPAN_RE = re.compile(
    r"\b((?:1[89]|20)\d\d)\s*(?:-|–|—|to|until|по|до)\s*(?:\w+ )?((?:1[89]|20)\d\d)\b"
    r"|\b(since|с) (?:\w+ )?(?:\d{1,2} )?((?:1[89]|20)\d\d)\b"
)
"""A span of years ("2014 to 2017", "2014–2017", "с 2014 по 2017") or an open one ("since
2003", "с 2003 года")."""
RECURRING_PREFIXES = ("day-", "awareness-days", "help-")
"""Entries that hold every year alike (a day's date, a hotline): a year does not limit them."""


class DetailRule(BaseModel):
    """One attribute a question can ask for (see the file's header for the format)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    detail: str
    asked: tuple[str, ...]
    covered: tuple[str, ...]
    reason: str

    @field_validator("asked", "covered")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns


class LanguageDetails(BaseModel):
    """The `details:` and `numbered:` parts of a language file."""

    model_config = ConfigDict(extra="allow")

    details: tuple[DetailRule, ...]
    numbered: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledRule:
    """A detail rule, compiled."""

    name: str
    detail: str
    asked: re.Pattern[str]
    covered: re.Pattern[str] | None


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@cache
def _language(language: str) -> LanguageDetails:
    return LanguageDetails.model_validate(read_yaml(LANGUAGE_DIR / f"{language}.yaml"))


@cache
def detail_rules(language: str = "en") -> tuple[CompiledRule, ...]:
    """The compiled detail rules of one language (validated on first use)."""
    compiled = []
    for rule in _language(language).details:
        asked = _union(rule.asked)
        assert asked is not None  # a rule asks for something
        compiled.append(CompiledRule(rule.name, rule.detail, asked, _union(rule.covered)))
    return tuple(compiled)


@cache
def numbered_item(language: str = "en") -> re.Pattern[str]:
    """A numbered item of a document in a question ("article 3", "standard number 12")."""
    words = "|".join(re.escape(w) for w in _language(language).numbered)
    return re.compile(rf"\b(?:{words})\.?\s+(?:(?:{words})\.?\s+)?(\d{{1,3}})\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _years_covered(text: str) -> frozenset[int]:
    """Every year an entry's text names or spans ("2014 to 2017", "since 2003" up to 2100).
    Read once per text (never a question's)."""
    years = {int(y) for y in YEAR_RE.findall(text)}
    for first, last, since, start in SPAN_RE.findall(text):
        if first and last:
            years.update(range(int(first), int(last) + 1))
        elif since and start:
            years.update(range(int(start), 2101))
    return frozenset(years)


@lru_cache(maxsize=1024)
def _numbers_in(text: str) -> frozenset[str]:
    """The digits of every number an entry's text writes ("116 006" -> "116006"). Read once
    per text (never a question's)."""
    return frozenset(re.sub(r"\D", "", n) for n in NUMBER_RE.findall(text))


def _question_part(text: str, language: str) -> str:
    reader = normaliser(language)
    split = reader.split_context(text)
    return split[1] if split else reader.fold(text)


def missing_detail(
    question: str,
    entry: Entry,
    today: dt.date,
    language: str = "en",
    places: Sequence[Place] = (),
) -> str | None:
    """What the question asks that `entry` does not give ("their age or date of birth",
    "anything for 2019", "anything on Germany"), or None when the entry answers it.
    `places`: the countries a question may name, each of which the entry must then name too."""
    _ = translations(language).gettext
    asked = _question_part(question, language)
    evidence = f"{entry.body(today)} {entry.more or ''} {entry.evidence}"
    for rule in detail_rules(language):
        if rule.asked.search(asked) and (rule.covered is None or not rule.covered.search(evidence)):
            return rule.detail
    phrasings = " ".join(entry.questions)
    known = f"{evidence} {phrasings}"
    if not entry.id.startswith(RECURRING_PREFIXES):
        covered = _years_covered(known)
        for year in YEAR_RE.findall(asked):
            if int(year) not in covered:
                return _("anything for {year}").format(year=year)
    for number in numbered_item(language).findall(asked):
        if not re.search(rf"\b{number}\b", known):
            return _("item {number}").format(number=number)
    digits = _numbers_in(known)
    for written in NUMBER_RE.findall(asked):
        number = re.sub(r"\D", "", written)
        if len(number) >= 3 and not YEAR_RE.fullmatch(number) and number not in digits:
            return _("anything on {number}").format(number=written.strip())
    place = _unnamed_place(asked, known, places, language)
    if place is not None:
        return _("anything on {place}").format(place=place)
    for number in ORDINAL_RE.findall(asked):
        if not re.search(rf"\b{number}(?:st|nd|rd|th)\b", known, re.IGNORECASE):
            return f"anything on the {_ordinal(int(number))}"
    return None


@dataclass(frozen=True)
class Place:
    """A country a question may name: how it is shown, and the token sets of its names."""

    name: str
    names: tuple[frozenset[str], ...]

    @cached_property
    def initials(self) -> tuple[frozenset[str], ...]:
        """Each name's tokens cut to MIN_NAME_STEM letters: a name can be named only in a
        text whose tokens, so cut, include all of them (a quick test before `_named`)."""
        return tuple(frozenset(token[:MIN_NAME_STEM] for token in names) for names in self.names)

    @cached_property
    def some_initials(self) -> frozenset[str]:
        """One of each name's `initials`: a text without any of these names none of the
        place's names (a quicker test still)."""
        return frozenset(min(initials) for initials in self.initials if initials)


def _unnamed_place(question: str, known: str, places: Sequence[Place], language: str) -> str | None:
    """A country the question (without its context clauses) names that the entry's text and
    phrasings never name ("the hotline in Germany" asked of a list of hotlines without a
    German one; but "I train NGOs in Moldova. What share of victims ...?" asks no country)."""
    if not places:
        return None
    tokens_of = normaliser(language).tokens
    asked = set(tokens_of(question))
    if not asked:
        return None
    asked_stems = _name_stems(asked)
    known_tokens: set[str] | None = None
    for place in places:
        if place.some_initials.isdisjoint(asked_stems) or not any(
            initials <= asked_stems for initials in place.initials
        ):
            continue
        if not any(_named(names, asked, asked_stems) for names in place.names):
            continue
        if known_tokens is None:
            known_tokens = set(entry_text_tokens(known, language))
        known_stems = _name_stems(known_tokens)
        if not any(_named(names, known_tokens, known_stems) for names in place.names):
            return place.name
    return None


MIN_NAME_STEM = 5
"""Stems of names this long match the same name inflected ("казахста" in "казахстане")."""


def _name_stems(found: set[str]) -> frozenset[str]:
    """The first MIN_NAME_STEM letters of each token: a name's stem can only start a token
    that starts with its own first letters (a quick test before `str.startswith`)."""
    return frozenset(token[:MIN_NAME_STEM] for token in found)


def _named(names: frozenset[str], found: set[str], stems: frozenset[str]) -> bool:
    """Whether every token of a name is among `found`, or starts one of them (a stemmer may
    cut a name and its inflected forms differently); `stems`: `_name_stems(found)`."""
    return bool(names) and all(
        name in found
        or (
            len(name) >= MIN_NAME_STEM
            and name[:MIN_NAME_STEM] in stems
            and any(token.startswith(name) for token in found)
        )
        for name in names
    )


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def asks_for_more(query: str, body: str, more: str, language: str = "en") -> bool:
    """Whether the question names something only the "More" text has ("how many standards
    does the handbook have" when the count is in the detail)."""
    asked = set(normaliser(language).tokens(query)) - QUESTION_TOKENS
    return bool(asked & entry_text_tokens(more, language) - entry_text_tokens(body, language))


@lru_cache(maxsize=2048)
def entry_text_tokens(text: str, language: str) -> frozenset[str]:
    """The tokens of an entry's own text (its answer, "More" text, phrasings): the same for
    every question, so read once. Never called with a question: nothing a user writes is
    kept."""
    return frozenset(normaliser(language).tokens(text))


def asks_later(query: str, entry: Entry, today: dt.date) -> bool:
    """Whether a question names a year after this one while the entry says what holds now
    (it has an "as of" date) and nothing of that year."""
    if entry.as_of is None:
        return False
    named = {int(y) for y in re.findall(r"\b20\d\d\b", query)}
    said = set(re.findall(r"\b20\d\d\b", " ".join((entry.evidence, *entry.questions))))
    return any(year > today.year and str(year) not in said for year in named)
