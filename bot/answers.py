"""Rendering a reply: the answer text, its "as of" date and its source lines, as plain text,
as Telegram HTML, and as the JSON object of `oscebot ask --json`.

Pure: a `Reply` is built from an entry and the knowledge base by `responder`; this module only
turns it into text. Everything that goes into HTML is escaped here, in one place.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Literal

from bot.dates import format_partial_date
from bot.i18n import N_, SOURCE_LANGUAGE, translations
from bot.schema import Source

ReplyKind = Literal["answer", "clarify", "fallback", "smalltalk", "safety", "missing"]
"""missing: the topic is known but the detail asked is not in the sources (its entry offered)."""

CLARIFY_INTRO = N_("I'm not sure which of these you mean:")
CLARIFY_ONE_INTRO = N_("Did you mean this?")
CLARIFY_OUTRO = N_("Choose one, or ask again in other words.")
CLARIFY_ONE_OUTRO = N_("Choose it, or ask again in other words.")
FALLBACK_TEXT = N_(
    "Sorry, I don't know that. I answer questions about the OSCE's work against trafficking "
    "in human beings, each with a source."
)
FALLBACK_SUGGESTIONS_INTRO = N_("You could ask:")
CLARIFY_BUTTONS = N_(
    "I'm not sure which of these you mean. Tap one below, or ask again in other words."
)
CLARIFY_ONE_BUTTONS = N_("Did you mean the question below? Tap it, or ask again in other words.")
FALLBACK_BUTTONS = N_("Tap a question below, or ask in other words.")
"""With buttons, the text says what the buttons are, instead of an intro with nothing after it."""
STALE_NOTE = N_("more than a year ago: the source may have newer information")
FALLBACK_HELP = N_("Send /help to see what I can do.")
EMPTY_TEXT = N_(
    "Please send a question as text, for example: Who is the OSCE Special Representative?"
)


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after a whole word and ended with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > limit // 2 else limit - 1
    return text[:cut].rstrip(" ,;:.-(") + "…"


@dataclass(frozen=True)
class SourceRef:
    """A source as shown to users and in JSON."""

    title: str
    publisher: str
    url: str | None
    date: str | None

    @classmethod
    def of(cls, source: Source) -> SourceRef:
        """From a knowledge-base source."""
        return cls(source.title, source.publisher, source.url, source.date)

    def label(self, language: str = SOURCE_LANGUAGE) -> str:
        """'Title (Publisher, 30 July 2024)'."""
        when = (
            format_partial_date(self.date, language)
            if self.date
            else translations(language).gettext("n.d.")
        )
        return f"{self.title} ({self.publisher}, {when})"


@dataclass(frozen=True)
class Suggestion:
    """An entry offered to the user: its id and the question that names it."""

    intent: str
    question: str
    label: str | None = None
    """A button's short text (at most 28 characters); None: shortened from the question."""


@dataclass(frozen=True)
class Reply:
    """Everything a front end needs to show one reply."""

    query: str
    kind: ReplyKind
    intent: str | None
    score: float
    body: str
    sources: tuple[SourceRef, ...] = ()
    as_of: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()
    deep_link: Suggestion | None = None
    """A page to open in a private chat with the bot (a group's short safety reply)."""
    stale: bool = False
    """The "as of" date is more than a year before today: say so."""
    list_sources: bool = False
    """Every source in full, one per line (the page behind the "Sources" button)."""
    sources_label: str | None = None
    """Set for a compact footer: one line, '<label>: publisher, publisher' (the safety reply,
    in the reader's language)."""
    language: str = SOURCE_LANGUAGE
    """The language of the body: the frame (intros, "as of", "Source") is shown in it."""

    def _(self, message: str) -> str:
        return translations(self.language).gettext(message)

    @property
    def text(self) -> str:
        """The reply as plain text, exactly as a user reads it, source lines included."""
        parts = [self.body]
        if self.suggestions:
            intro = self._suggestions_intro()
            lines = [f"{i}. {s.question}" for i, s in enumerate(self.suggestions, start=1)]
            parts.append("\n".join([intro, *lines] if intro else lines))
        parts.extend(self._footer_lines(html_mode=False))
        return "\n\n".join(p for p in parts if p)

    def html(self, *, list_suggestions: bool = False) -> str:
        """The reply as Telegram HTML (everything escaped; links on source titles).

        Front ends that show suggestions as buttons leave `list_suggestions` off.
        """
        parts = [html.escape(self.body, quote=False)]
        if self.suggestions and list_suggestions:
            lines = [
                f"{i}. {html.escape(s.question, quote=False)}"
                for i, s in enumerate(self.suggestions, start=1)
            ]
            intro = self._suggestions_intro()
            parts.append("\n".join([intro, *lines] if intro else lines))
            parts.extend(self._footer_lines(html_mode=True))
        elif self.suggestions:
            parts.append(self._buttons_intro())
            parts.extend(self._footer_lines(html_mode=True, buttons=True))
        else:
            parts.extend(self._footer_lines(html_mode=True))
        return "\n\n".join(p for p in parts if p)

    def _suggestions_intro(self) -> str:
        if self.kind == "missing":
            return ""  # the body ends "Here is what I know about <topic>:"
        if self.kind != "clarify":
            return self._(FALLBACK_SUGGESTIONS_INTRO)
        return self._(CLARIFY_ONE_INTRO if len(self.suggestions) == 1 else CLARIFY_INTRO)

    def _buttons_intro(self) -> str:
        if self.kind == "missing":
            return ""
        if self.kind != "clarify":
            return self._(FALLBACK_BUTTONS)
        return self._(CLARIFY_ONE_BUTTONS if len(self.suggestions) == 1 else CLARIFY_BUTTONS)

    def _footer_lines(self, *, html_mode: bool, buttons: bool = False) -> list[str]:
        lines: list[str] = []
        if self.kind == "clarify" and not buttons:
            lines.append(self._(CLARIFY_ONE_OUTRO if len(self.suggestions) == 1 else CLARIFY_OUTRO))
        if self.kind == "fallback":
            lines.append(self._(FALLBACK_HELP))
        if self.as_of:
            when = format_partial_date(self.as_of, self.language)
            lines.append(
                self._("As of {date}, {note}.").format(date=when, note=self._(STALE_NOTE))
                if self.stale
                else self._("As of {date}.").format(date=when)
            )
        if self.sources and self.sources_label:
            publishers = [_publisher(s, html_mode=html_mode) for s in self.sources]
            lines.append(f"{self.sources_label}: {', '.join(dict.fromkeys(publishers))}")
        elif self.sources and self.list_sources:
            rendered = [_source_line(s, self.language, html_mode=html_mode) for s in self.sources]
            lines.append("\n".join(f"• {r}" for r in rendered))
        elif self.sources:
            more = len(self.sources) - 1
            extra = self._(" (and {count} more)").format(count=more) if more else ""
            source = _short_source(self.sources[0], self.language, html_mode=html_mode)
            lines.append(self._("Source: {source}").format(source=source) + extra)
        if not html_mode:
            return lines
        # In HTML, the "as of" and source lines are set in italics to stand apart.
        source_prefix = self._("Source: {source}").split("{")[0]
        plain = ("Sources", "Source", self.sources_label or "Sources", source_prefix)
        return [line if line.startswith(plain) else f"<i>{line}</i>" for line in lines]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `oscebot ask --json` (exactly these keys)."""
        return {
            "query": self.query,
            "kind": self.kind,
            "intent": self.intent,
            "score": round(self.score, 1),
            "text": self.text,
            "sources": [{"title": s.title, "url": s.url, "date": s.date} for s in self.sources],
            "suggestions": [{"intent": s.intent, "question": s.question} for s in self.suggestions],
        }


def _publisher(source: SourceRef, *, html_mode: bool) -> str:
    if not html_mode:
        return source.publisher
    label = html.escape(source.publisher, quote=False)
    if source.url:
        return f'<a href="{html.escape(source.url, quote=True)}">{label}</a>'
    return label


def _short_source(source: SourceRef, language: str, *, html_mode: bool) -> str:
    """'OSCE, 30 July 2024', linked in HTML; the address after it in plain text."""
    when = f", {format_partial_date(source.date, language)}" if source.date else ""
    label = f"{source.publisher}{when}"
    if not html_mode:
        return f"{label}, {source.url}" if source.url else label
    escaped = html.escape(label, quote=False)
    if source.url:
        return f'<a href="{html.escape(source.url, quote=True)}">{escaped}</a>'
    return escaped


def _source_line(source: SourceRef, language: str, *, html_mode: bool) -> str:
    if not html_mode:
        return f"{source.label(language)} {source.url}" if source.url else source.label(language)
    label = html.escape(source.label(language), quote=False)
    if source.url:
        return f'<a href="{html.escape(source.url, quote=True)}">{label}</a>'
    return label
