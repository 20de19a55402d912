"""What may be kept of an unanswered question when an operator turns on OSCEBOT_RECORD_MISSES.

Pure. Only a normalised form is kept, never who asked or in which chat: lower case, accents
folded, anything that looks like a number, an e-mail address, a link or a @handle replaced,
and cut short. Messages routed to the safety reply are never recorded (the caller checks).
"""

from __future__ import annotations

import re

from bot.text import fold

MAX_MISS_CHARS = 120
KEEP_DAYS = 90
"""Unanswered questions not seen again for this many days are deleted."""

_SCRUB = (
    (re.compile(r"\S+@\S+"), "<email>"),
    (re.compile(r"(?:https?://|www\.)\S+"), "<link>"),
    (re.compile(r"@\w+"), "<handle>"),
    (re.compile(r"\+?\d[\d\s().-]*\d|\d"), "<number>"),
)


_PLACEHOLDER = re.compile(r"<(?:email|link|handle|number)>")


def miss_key(text: str) -> str | None:
    """The form of `text` that may be counted, or None when nothing worth keeping is left."""
    cleaned = fold(text[: MAX_MISS_CHARS * 4])
    for pattern, replacement in _SCRUB:
        cleaned = pattern.sub(replacement, cleaned)
    cleaned = " ".join(cleaned.split())[:MAX_MISS_CHARS].strip()
    if not any(ch.isalpha() for ch in _PLACEHOLDER.sub("", cleaned)):
        return None
    return cleaned
