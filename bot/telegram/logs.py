"""Logging for `oscebot run`: one handler on stderr, and nothing about people at any level.

Every record passes two filters on that handler, whichever logger wrote it:

`KeepPrivate`
    Our own loggers (`bot.*`) follow OSCEBOT_LOG_LEVEL; they write only ids-free facts (update
    id, update and chat type, outcome, entry id, score, timings). Every other library is held
    at its cap in `THIRD_PARTY` (WARNING when not listed) even when the bot runs at DEBUG,
    because their DEBUG lines carry payloads: PTB writes each update and each API call in
    full (names, user ids, usernames, message text, chat titles). Above its cap a third-party
    record keeps its fixed wording and numeric arguments only, because PTB also writes whole
    updates into some ERROR and CRITICAL lines ("Received data was %r"). Tracebacks, ours too,
    keep their frames and exception types but not exception messages, which can quote the
    text the bot received or was sending.
`RedactSecrets`
    Replaces the token and the webhook secret in whatever is left.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import TextIO

from bot.settings import Settings

OWN = "bot"
"""Our package's loggers: they follow OSCEBOT_LOG_LEVEL."""

DEFAULT_CAP = logging.WARNING
"""The cap of any third-party logger not named in `THIRD_PARTY`."""

THIRD_PARTY: Mapping[str, int] = {
    # PTB: INFO is start, stop and rate-limit waits; DEBUG is every update and API call in full.
    "telegram": logging.INFO,
    # Each request's URL (which holds the token) at INFO; connection and body events at DEBUG.
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    # PTB's job queue: a line per job run at INFO, with nothing an operator needs.
    "apscheduler": logging.WARNING,
    # The webhook server: an access line per update at INFO, the received body at DEBUG.
    "tornado": logging.WARNING,
    "aiolimiter": logging.WARNING,
    "asyncio": logging.WARNING,
}
"""The allow-list of third-party loggers and their caps: the most detail each may log."""


class _Withheld:
    """Stands in for a withheld argument, the same under %s and %r."""

    def __repr__(self) -> str:
        return "<withheld>"

    __str__ = __repr__


WITHHELD = _Withheld()


def third_party_levels(level: int | str) -> dict[str, int]:
    """The level each listed third-party logger is set to when the bot runs at `level`:
    its cap, or `level` when that is stricter (OSCEBOT_LOG_LEVEL=ERROR quiets PTB too)."""
    wanted = logging.getLevelName(level) if isinstance(level, str) else level
    return {name: max(cap, wanted) for name, cap in THIRD_PARTY.items()}


def cap_of(name: str) -> int | None:
    """The cap of the logger `name`; None for our own loggers, which have none."""
    if name == OWN or name.startswith(OWN + "."):
        return None
    listed = [key for key in THIRD_PARTY if name == key or name.startswith(key + ".")]
    return THIRD_PARTY[max(listed, key=len)] if listed else DEFAULT_CAP


class KeepPrivate(logging.Filter):
    """Drops records below the bot's level or their logger's cap, strips payloads from the
    third-party records left, and keeps only frames and exception types of every traceback."""

    def __init__(self, level: int | str = logging.INFO) -> None:
        super().__init__()
        self.level = logging.getLevelName(level) if isinstance(level, str) else level

    def filter(self, record: logging.LogRecord) -> bool:
        cap = cap_of(record.name)
        if record.levelno < max(cap or logging.NOTSET, self.level):
            return False
        if cap is not None:
            record.msg, record.args = _without_payload(record), None
        if record.exc_info:
            record.exc_text = "".join(_frames_and_types(record.exc_info[1]))
            record.exc_info = None  # so no formatter renders the full traceback again
        elif record.exc_text:  # rendered before it reached us: the messages cannot be told apart
            record.exc_text = "[traceback withheld]"
        return True


def _without_payload(record: logging.LogRecord) -> str:
    """A third-party record's message with every non-numeric argument withheld, first line
    only (asyncio, for one, puts a task's repr on the lines below)."""
    if not isinstance(record.msg, str):
        return f"[{type(record.msg).__name__} withheld]"
    args = record.args
    try:
        if isinstance(args, Mapping):
            message = record.msg % {key: _numeric(value) for key, value in args.items()}
        elif args:
            message = record.msg % tuple(_numeric(value) for value in args)
        else:
            message = record.msg
    except (TypeError, ValueError, KeyError):  # a %d given <withheld>: keep the wording alone
        message = record.msg
    first, newline, _ = message.partition("\n")
    return first + (" [...]" if newline else "")


def _numeric(value: object) -> object:
    return value if isinstance(value, int | float) else WITHHELD


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _frames_and_types(error: BaseException | None, seen: set[int] | None = None) -> list[str]:
    """A traceback as Python prints it, chained exceptions included, without their messages."""
    if error is None:
        return []
    seen = seen if seen is not None else set()
    seen.add(id(error))
    lines: list[str] = []
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        lines += [*_frames_and_types(cause, seen), _CAUSE]
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        lines += [*_frames_and_types(context, seen), _CONTEXT]
    if error.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(error.__traceback__)
    kind = type(error)
    module = "" if kind.__module__ == "builtins" else kind.__module__ + "."
    lines.append(f"{module}{kind.__qualname__}: [message withheld]\n")
    return lines


class RedactSecrets(logging.Filter):
    """Replaces secrets in every log record: its message, arguments and traceback.

    PTB itself puts the token in log lines (the API URL at DEBUG) and in exception messages
    ("The token `...` was rejected by the server."), so tracebacks are redacted too.
    """

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            record.msg, record.args = self.redact(message), None
        if record.exc_info:
            record.exc_text = self.redact(_TRACEBACKS.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_TRACEBACKS = logging.Formatter()


def log_handler(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """The one handler `oscebot run` logs through (to stderr unless `stream`), both filters on."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    secrets = [s.reveal() for s in (settings.token, settings.webhook_secret) if s is not None]
    handler.addFilter(KeepPrivate(settings.log_level))
    handler.addFilter(RedactSecrets(*secrets))
    return handler


def configure_logging(settings: Settings) -> None:
    """Plain logs to stderr at OSCEBOT_LOG_LEVEL: third-party loggers capped, payloads and
    exception messages withheld, the token and webhook secret redacted."""
    root = logging.getLogger()
    root.handlers[:] = [log_handler(settings)]
    root.setLevel(settings.log_level)
    # The handler's filter alone would be enough; setting the levels as well spares PTB from
    # rendering every update it will not be allowed to log.
    for name, level in third_party_levels(settings.log_level).items():
        logging.getLogger(name).setLevel(level)
