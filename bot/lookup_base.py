"""What every builder of entries in another language shares: the language's gettext, filling
templates, dates in the language, and small text helpers (see `lookups`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.dates import format_partial_date
from bot.entries import Body
from bot.i18n import translations
from bot.knowledge import KnowledgeBase


def static(text: str) -> Body:
    """A body that does not change with the date."""
    return lambda _today: text


def unique(items: Sequence[str]) -> tuple[str, ...]:
    """Items without blanks or repeats, in order."""
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def sentence(text: str) -> str:
    """Text that ends as a sentence."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


class LookupBuilder:
    """Builds one language's entries; `_` is the language's gettext."""

    def __init__(self, kb: KnowledgeBase, language: str) -> None:
        self.kb = kb
        self.language = language
        self._: Callable[[str], str] = translations(language).gettext

    def fill(self, templates: Sequence[str], **values: str) -> list[str]:
        """Each template translated and filled in."""
        return [self._(template).format(**values) for template in templates]

    def date(self, value: str) -> str:
        """A partial date ("2024-12") in the language."""
        return format_partial_date(value, self.language)
