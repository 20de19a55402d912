"""Checks of the knowledge base's translations, run by `oscebot validate`.

Every text users read is localised (`{en: ..., ru: ...}`) or translated in a record's
`translations` block. For each language of the interface other than English, each such text
must be there, must not run much longer than the English (a phone screen), must hold no HTML
(the bot escapes every text itself), and must keep the English text's `{placeholders}`.
Hand-written answers also need enough phrasings in the language for the matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.i18n import INTERFACE_LANGUAGES, SOURCE_LANGUAGE
from bot.knowledge import KnowledgeBase, Problem
from bot.schema import Record

MIN_PHRASINGS = 6
"""Phrasings an answer needs in each language, at least."""
LENGTH_RATIO = 1.3
LENGTH_ALLOWANCE = 40
"""A translation may be this much longer than its English (Russian runs about 10-20% longer)."""
_HTML_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_PLACEHOLDER_RE = re.compile(r"\{\w*\}")

_LOCALISED_FIELDS = ("answer", "more", "name", "description", "note", "osce_link", "intro", "outro")
_PHRASING_FIELDS = ("questions",)
_TRANSLATED_FIELDS = {
    "participating_states": ("name",),
    "partners": ("name",),
    "quotes": ("speaker", "role", "text"),
    "office_holders": ("person",),
    "help": ("area",),
}
"""Plain fields that every record of a section must give in each language."""


def check_translations(kb: KnowledgeBase) -> list[Problem]:
    """Every problem with the translations, in every language other than English."""
    return [
        problem
        for language in INTERFACE_LANGUAGES
        if language != SOURCE_LANGUAGE and _has_any(kb, language)
        for problem in _check_language(kb, language)
    ]


def _has_any(kb: KnowledgeBase, language: str) -> bool:
    """Whether the base has begun a language: a base with no text in it at all (a test base,
    a fork that answers in English only) is not held to it; once one fact has it, all must."""
    return any(language in fact.answer for fact in kb.facts)


def _check_language(kb: KnowledgeBase, language: str) -> Iterator[Problem]:
    for section in (
        "facts",
        "smalltalk",
        "awareness_days",
        "institutions",
        "field_operations",
        "roles",
        "office_holders",
        "help",
        "announcements",
    ):
        for record in getattr(kb, section):
            yield from _localised(kb, record, language)
    for section, fields in _TRANSLATED_FIELDS.items():
        for record in getattr(kb, section):
            given = record.translations.get(language, {})
            for field in fields:
                if getattr(record, field, None) and field not in given:
                    yield kb.problem(record.id, "translations", f"no '{language}' {field}")


def _localised(kb: KnowledgeBase, record: Record, language: str) -> Iterator[Problem]:
    for field in _LOCALISED_FIELDS:
        value = getattr(record, field, None)
        if not isinstance(value, dict) or SOURCE_LANGUAGE not in value:
            continue
        english, text = value[SOURCE_LANGUAGE], value.get(language)
        if text is None:
            yield kb.problem(record.id, field, f"no '{language}' text")
            continue
        if len(text) > LENGTH_RATIO * len(english) + LENGTH_ALLOWANCE:
            yield kb.problem(
                record.id,
                field,
                f"the '{language}' text is {len(text)} characters against {len(english)} in "
                f"English: shorten it to fit a phone",
            )
        if _HTML_RE.search(text):
            yield kb.problem(
                record.id, field, f"the '{language}' text holds HTML; write plain text"
            )
        if sorted(_PLACEHOLDER_RE.findall(text)) != sorted(_PLACEHOLDER_RE.findall(english)):
            yield kb.problem(
                record.id, field, f"the '{language}' text does not keep the English placeholders"
            )
    for field in _PHRASING_FIELDS:
        value = getattr(record, field, None)
        if isinstance(value, dict) and len(value.get(language, ())) < MIN_PHRASINGS:
            yield kb.problem(
                record.id,
                field,
                f"{len(value.get(language, ()))} '{language}' phrasings; at least {MIN_PHRASINGS}",
            )
