"""Wiring the Telegram application: handlers in order, defaults, menus, logging, run.

`build_application` is what the tests drive against the fake Bot API server; `run_bot` is
`oscebot run`. The token is revealed only to PTB's builder, and a logging filter removes it
from any log record (httpx logs request URLs, which contain it).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.commands import COMMANDS, DESCRIPTION, SHORT_DESCRIPTION
from bot.responder import Responder
from bot.settings import Settings
from bot.telegram.handlers import Clock, Handlers

log = logging.getLogger(__name__)


class RedactSecrets(logging.Filter):
    """Replaces secrets in every log record's message and arguments."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[REDACTED]")
            record.msg, record.args = message, None
        return True


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


async def set_menus(application: Application) -> None:  # type: ignore[type-arg]
    """Command menus per scope and the bot's descriptions, from the one command table."""
    bot = application.bot
    try:
        await bot.set_my_commands(
            [BotCommand(c.name, c.description) for c in COMMANDS], scope=BotCommandScopeDefault()
        )
        await bot.set_my_commands(
            [BotCommand(c.name, c.description) for c in COMMANDS if c.in_groups],
            scope=BotCommandScopeAllGroupChats(),
        )
        await bot.set_my_description(DESCRIPTION)
        await bot.set_my_short_description(SHORT_DESCRIPTION)
    except TelegramError as exc:  # menus are a nicety; the bot still answers without them
        log.warning("could not set the command menus: %s", type(exc).__name__)


def build_application(
    settings: Settings,
    responder: Responder,
    *,
    clock: Clock | None = None,
    rate_limiter: bool = True,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """The PTB application with every handler registered, in order.

    `request` and `get_updates_request` replace PTB's HTTP client; unit tests pass one that
    answers from memory and never opens a socket.
    """
    if settings.token is None:
        raise ValueError("a token is needed to build the Telegram application")
    builder = (
        ApplicationBuilder()
        .token(settings.token.reveal())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=settings.timezone,
            )
        )
        .post_init(set_menus)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_url.replace("/bot", "/file/bot")
        )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if rate_limiter:
        # PTB types the builder's rate limiter generically; AIORateLimiter is the documented one.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    application = builder.build()
    handlers = Handlers(responder, settings.timezone, clock)
    commands = {
        "start": handlers.start,
        "help": handlers.help,
        "about": handlers.about,
        "privacy": handlers.privacy,
        "sources": handlers.sources,
        "days": handlers.days,
        "quote": handlers.quote,
        "ask": handlers.ask,
    }
    assert set(commands) == {c.name for c in COMMANDS}, "the command table and handlers differ"
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.COMMAND & filters.ChatType.PRIVATE,
            handlers.unknown_command,
        )
    )
    # New messages only: an edit of a question already answered, a channel post or a message
    # sent through an inline bot would only repeat an answer or add noise.
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT,
            handlers.message,
        )
    )
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline))
    application.add_error_handler(handlers.error)
    return application


def webhook_options(settings: Settings, *, listen: str = "0.0.0.0") -> dict[str, Any]:  # noqa: S104
    """How the webhook listens: Telegram posts to OSCEBOT_WEBHOOK_URL with the secret header.

    The local path is the URL's path, so a reverse proxy can forward it unchanged.
    """
    if not settings.webhook_url:
        raise ValueError("OSCEBOT_WEBHOOK_URL is not set")
    return {
        "listen": listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret.reveal() if settings.webhook_secret else None,
    }


def run_bot(settings: Settings, responder: Responder) -> int:
    """Run until stopped: long polling, or a webhook when OSCEBOT_WEBHOOK_URL is set."""
    configure_logging(settings)
    application = build_application(settings, responder)
    log.info(
        "starting: %d entries, time zone %s, %s",
        len(responder.entries),
        settings.timezone,
        "webhook" if settings.webhook_url else "polling",
    )
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings), allowed_updates=Update.ALL_TYPES)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
