"""Turning a core `Reply` into Telegram messages: HTML chunks within the length limit, and
inline keyboards whose callback data fits Telegram's 64 bytes."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers import Reply, Suggestion, shorten
from bot.languages import LANGUAGE_MARK

MESSAGE_LIMIT = 4096
DEEP_LINK_PREFIX = "fact_"
"""/start fact_<entry id with _ for ->: what a deep link opens."""
CALLBACK_PREFIX = "a:"
CALLBACK_LIMIT = 64
BUTTON_TEXT_LIMIT = 28
"""About what a phone shows on a button before cutting it."""
INLINE_MESSAGE_LIMIT = 1000
"""An inline result lands in someone else's chat: keep it short."""


def split_html(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries; tags never span a line here, so
    a cut at a newline never falls inside a tag."""
    if len(html) <= limit:
        return [html]
    chunks: list[str] = []
    current = ""
    for line in html.split("\n"):
        while len(line) > limit:  # a single line longer than a message: cut at a space
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def callback_data(intent: str) -> str | None:
    """The button data for an entry, or None when it would not fit Telegram's limit."""
    data = f"{CALLBACK_PREFIX}{intent}"
    return data if len(data.encode("utf-8")) <= CALLBACK_LIMIT else None


def intent_of(data: str | None) -> str | None:
    """The entry id in button data, or None for data this bot did not make."""
    if not data or not data.startswith(CALLBACK_PREFIX):
        return None
    intent = data[len(CALLBACK_PREFIX) :]
    return intent if intent and len(intent) <= CALLBACK_LIMIT else None


def _label(suggestion: Suggestion) -> str:
    return suggestion.label or shorten(suggestion.question, BUTTON_TEXT_LIMIT)


def inline_html(reply: Reply, limit: int = INLINE_MESSAGE_LIMIT) -> str:
    """The reply as a message posted into someone else's chat: the answer, shortened until
    the whole fits `limit` characters, and its short source line."""
    rendered = reply.html()
    budget = len(reply.body)
    while len(rendered) > limit and budget > 40:
        budget = max(40, budget - (len(rendered) - limit) - 10)
        rendered = replace(reply, body=shorten(reply.body, budget)).html()
    return rendered


def keyboard(suggestions: tuple[Suggestion, ...]) -> InlineKeyboardMarkup | None:
    """One button per suggestion, each on its own row."""
    rows = [
        [InlineKeyboardButton(_label(s), callback_data=data)]
        for s in suggestions
        if (data := callback_data(s.intent)) is not None
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def deep_link(bot_username: str, intent: str) -> str:
    """A link that opens a private chat with the bot on an entry (/start fact_...); an entry
    in another language than English ("ru~palermo-protocol") opens as /start rufact_... (a
    start parameter may hold only letters, digits, "_" and "-")."""
    language, mark, rest = intent.partition(LANGUAGE_MARK)
    prefix = f"{language}{DEEP_LINK_PREFIX}" if mark else DEEP_LINK_PREFIX
    entry = rest if mark else intent
    return f"https://t.me/{bot_username}?start={prefix}{entry.replace('-', '_')}"


_DEEP_LINK_RE = re.compile(rf"^([a-z]{{2}})?{DEEP_LINK_PREFIX}(.+)$")


def deep_link_intent(payload: str) -> str | None:
    """The entry a /start parameter names ("fact_osr_created", "rufact_osr_created"), or None
    for any other parameter."""
    found = _DEEP_LINK_RE.match(payload)
    if found is None:
        return None
    language, entry = found.groups()
    entry = entry.replace("_", "-")
    return f"{language}{LANGUAGE_MARK}{entry}" if language else entry


def reply_keyboard(reply: Reply, bot_username: str | None = None) -> InlineKeyboardMarkup | None:
    """Suggestions for clarify/fallback replies; related entries under an answer; a button to
    continue in a private chat (a group's short safety reply)."""
    if reply.deep_link is not None and bot_username:
        link = deep_link(bot_username, reply.deep_link.intent)
        return InlineKeyboardMarkup([[InlineKeyboardButton(reply.deep_link.question, url=link)]])
    return keyboard(reply.suggestions or reply.related)
