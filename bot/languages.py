"""Which language a message is in, and what the bot holds for each language it answers in.

English is the source language: its entries and matcher are the responder's own. Each other
language of the interface (Russian today) gets a `Localised`: its entries (`lookups`) and a
matcher that reads it (`text.normaliser`). A message in a language the bot cannot read gets
`other_language_text`: the emergency line in that language where the safety texts have it,
and a plain "I answer in English and Russian" in both.
"""

from __future__ import annotations

import re

from bot.build_cache import BuildCache
from bot.i18n import INTERFACE_LANGUAGES, N_, SOURCE_LANGUAGE, translations
from bot.knowledge import KnowledgeBase
from bot.language_id import identify, script_of
from bot.lookups import build_localised_entries
from bot.matching import Matcher
from bot.text import normaliser

__all__ = [
    "ANSWERED",
    "LANGUAGE_MARK",
    "UNDETERMINED",
    "Localised",
    "other_language_text",
    "reading_language",
    "script_of",
]

LANGUAGE_MARK = "~"
"""Button data of a page in another language than English: "ru~day-eu-day"."""
OTHER_LANGUAGE_TEXT = N_(
    "In danger, call 112 or the local emergency number. I answer questions about the OSCE's "
    "work against trafficking in human beings in English and Russian."
)


ANSWERED = ("answer", "smalltalk", "missing")
"""Reply kinds that answer (or knowingly decline) the question itself."""
MIN_CYRILLIC_WORDS = 2
"""A message with this many Cyrillic words is read in its Cyrillic language, whatever the
Latin names in it."""
_CYRILLIC_WORD = re.compile(r"\b[а-яёіїєґўА-ЯЁІЇЄҐЎ]{2,}\b")
UNDETERMINED = "und"
"""A message in a script the bot cannot read, whose language it does not know (BCP 47)."""


def reading_language(text: str, user_language: str | None = None) -> str:
    """The language a message is written in: its letters and words first, the sender's
    Telegram language when they do not tell (digits, emoji, a name in Latin letters).
    English or Russian is answered; any other code is a language the bot cannot read."""
    fallback = (user_language or "").split("-")[0].lower() or None
    found = identify(text, fallback=None)
    if found is not None:
        return found
    script = script_of(text)
    if script == "latin" and len(_CYRILLIC_WORD.findall(text)) >= MIN_CYRILLIC_WORDS:
        # "Кто основал инициативу Tech Against Trafficking?": the Latin words are a name
        found = identify(" ".join(_CYRILLIC_WORD.findall(text)), fallback=None)
        return found if found is not None else "ru"
    if script == "latin":
        return SOURCE_LANGUAGE
    if script == "cyrillic":
        return "ru"
    if script == "other":  # Arabic, Hebrew, Georgian, Armenian ...: not a language read here
        return UNDETERMINED
    return fallback if fallback in INTERFACE_LANGUAGES else SOURCE_LANGUAGE


class Localised:
    """One language's entries (other than English), by id, and their matcher."""

    def __init__(self, kb: KnowledgeBase, language: str, cache: BuildCache | None = None) -> None:
        self.entries = build_localised_entries(kb, language)
        self.by_id = {entry.id: entry for entry in self.entries}
        places = [
            *(op.in_language(language).place for op in kb.field_operations),
            *(inst.in_language(language).place for inst in kb.institutions),
        ]
        self.matcher = Matcher(self.entries, places, normaliser(language), cache)
        quote_ids = {q.id for q in kb.quotes}
        self.quote_matcher = Matcher(
            [e for e in self.entries if e.record in quote_ids and e.generated],
            language=normaliser(language),
            cache=cache,
            name="quotes",
        )


def other_language_text(kb: KnowledgeBase, language: str) -> str:
    """What a message in a language the bot cannot read is told: in that language where the
    safety texts have it, with the emergency line, then in English and Russian."""
    guide = kb.safety_guide
    known = guide.languages if guide is not None else {}
    said = []
    if language in known:
        said.append(f"{known[language].emergency} {known[language].other_language}")
    said += [translations(lang).gettext(OTHER_LANGUAGE_TEXT) for lang in INTERFACE_LANGUAGES]
    return "\n\n".join(dict.fromkeys(said))
