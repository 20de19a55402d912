"""Logging for `oscebot run`: one handler on stderr, with the token and webhook secret
redacted from every record (httpx logs request URLs, which contain the token)."""

from __future__ import annotations

import logging

from bot.settings import Settings


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


def configure_logging(settings: Settings) -> None:
    """Plain logs to stderr, the token redacted everywhere, httpx's URL logging off."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    secrets = [s.reveal() for s in (settings.token, settings.webhook_secret) if s is not None]
    handler.addFilter(RedactSecrets(*secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
