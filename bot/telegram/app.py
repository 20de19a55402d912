"""Wiring the Telegram application: handlers in order, defaults, menus, logging, run.

`build_application` is what the tests drive against the fake Bot API server; `run_bot` is
`oscebot run`. The token is revealed only to PTB's builder; what reaches the logs, and what
never does, is decided in `bot.telegram.logs`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.announcement import parse_time
from bot.commands import (
    ADMIN,
    COMMANDS,
    DESCRIPTION,
    GROUP,
    OPERATOR,
    PRIVATE,
    SHORT_DESCRIPTION,
    menu,
)
from bot.flood import FloodGate
from bot.i18n import INTERFACE_LANGUAGES, SOURCE_LANGUAGE, translations
from bot.live import LiveKnowledge
from bot.misses import KEEP_DAYS, miss_key
from bot.responder import Responder
from bot.settings import Settings
from bot.store import Store
from bot.telegram.announce import TICK_SECONDS, Announcer
from bot.telegram.concurrency import CONCURRENT_UPDATES, PerChatUpdateProcessor
from bot.telegram.days import DayCommands
from bot.telegram.guard import Guard
from bot.telegram.handlers import Clock, Handlers
from bot.telegram.heartbeat import WEBHOOK_BEAT_SECONDS, HeartbeatRequest, beat
from bot.telegram.logs import configure_logging
from bot.telegram.operators import OperatorCommands
from bot.telegram.pacing import FloodWait, HaltingRateLimiter
from bot.telegram.subscriptions import Subscriptions

log = logging.getLogger(__name__)


async def set_menus(
    application: Application,  # type: ignore[type-arg]
    operators: frozenset[int] = frozenset(),
) -> None:
    """Command menus per scope and the bot's descriptions, from the one command table:
    private chats, group members, group administrators (who also see /subscribe), and each
    operator's private chat (who also sees the operators' commands)."""
    bot = application.bot

    def commands(scope: str, language: str = SOURCE_LANGUAGE) -> list[BotCommand]:
        _ = translations(language).gettext
        return [BotCommand(c.name, _(c.description)) for c in menu(scope)]

    scopes = (
        (PRIVATE, BotCommandScopeDefault()),
        (GROUP, BotCommandScopeAllGroupChats()),
        (ADMIN, BotCommandScopeAllChatAdministrators()),
    )
    try:
        # English for everyone, and each other interface language for users whose Telegram
        # is set to it (language_code), as the Bot API chooses per user
        for language in INTERFACE_LANGUAGES:
            code = None if language == SOURCE_LANGUAGE else language
            _ = translations(language).gettext
            for scope_name, scope in scopes:
                await bot.set_my_commands(
                    commands(scope_name, language), scope=scope, language_code=code
                )
            await bot.set_my_description(_(DESCRIPTION), language_code=code)
            await bot.set_my_short_description(_(SHORT_DESCRIPTION), language_code=code)
    except TelegramError as exc:  # menus are a nicety; the bot still answers without them
        log.warning("could not set the command menus: %s", type(exc).__name__)
    for operator in sorted(operators):
        try:
            await bot.set_my_commands(commands(OPERATOR), scope=BotCommandScopeChat(operator))
        except TelegramError as exc:  # an operator who never wrote to the bot
            log.warning("could not set an operator's menu: %s", type(exc).__name__)


@dataclass(frozen=True)
class Wiring:
    """The application and the long-lived parts tests and the CLI reach directly."""

    application: Application  # type: ignore[type-arg]
    live: LiveKnowledge
    store: Store
    announcer: Announcer


def build(
    settings: Settings,
    responder: Responder,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    rate_limiter: bool = True,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    announce_every: float | None = TICK_SECONDS,
    flood_clock: Callable[[], float] | None = None,
    concurrent_updates: int = CONCURRENT_UPDATES,
) -> Wiring:
    """The PTB application with every handler registered, in order, and the announcement job.

    `store` defaults to a private in-memory database (tests); `oscebot run` passes the file.
    `request` and `get_updates_request` replace PTB's HTTP client; unit tests pass one that
    answers from memory and never opens a socket. `announce_every` is the announcement job's
    interval in seconds (None: no job; the caller runs the announcer itself).
    `concurrent_updates` is how many updates are handled at once, each chat's in order
    (`bot.telegram.concurrency`); 1 handles one at a time.
    """
    if settings.token is None:
        raise ValueError("a token is needed to build the Telegram application")
    zone = settings.timezone
    clock = clock or (lambda: dt.datetime.now(zone))
    store = store or Store.in_memory()
    live = LiveKnowledge(responder, settings.knowledge_dir)
    builder = (
        ApplicationBuilder()
        .token(settings.token.reveal())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=zone,
            )
        )
        .post_init(partial(set_menus, operators=settings.admins))
        .concurrent_updates(PerChatUpdateProcessor(concurrent_updates))
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_url.replace("/bot", "/file/bot")
        )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is None and settings.heartbeat_path is not None:
        get_updates_request = HeartbeatRequest(settings.heartbeat_path, connection_pool_size=1)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    flood = FloodWait()
    if rate_limiter:
        # PTB types the builder's rate limiter generically; AIORateLimiter is the documented one.
        limiter = HaltingRateLimiter(flood, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    application = builder.build()
    handlers = Handlers(
        live, zone, clock, on_miss=_miss_counter(store) if settings.record_misses else None
    )
    guard = Guard(FloodGate(), settings.admins, flood_clock or time.monotonic)
    days = DayCommands(handlers, clock, store)
    subscriptions = Subscriptions(store, zone.key, settings.announce_time, clock)
    operators = OperatorCommands(handlers, live, settings.admins)
    announcer = Announcer(
        live,
        store,
        default_zone=zone,
        send_at=parse_time(settings.announce_time),
        operators=settings.admins,
        clock=clock,
        messages_per_second=settings.announce_rate,
        flood=flood,
    )
    commands = {
        "start": handlers.start,
        "help": handlers.help,
        "about": handlers.about,
        "privacy": handlers.privacy,
        "sources": handlers.sources,
        "days": days.days,
        "next": days.next,
        "day": days.day,
        "calendar": days.calendar,
        "quote": handlers.quote,
        "ask": handlers.ask,
        "subscribe": subscriptions.subscribe,
        "unsubscribe": subscriptions.unsubscribe,
        "announce_preview": operators.announce_preview,
        "reload": operators.reload,
    }
    assert set(commands) == {c.name for c in COMMANDS}, "the command table and handlers differ"
    application.add_handler(TypeHandler(Update, guard.check), group=-1)
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.COMMAND & filters.ChatType.PRIVATE,
            handlers.unknown_command,
        )
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, subscriptions.migration))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.ChatType.PRIVATE
            & ~filters.TEXT
            & ~filters.StatusUpdate.ALL,
            handlers.not_text,
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
    application.add_handler(
        ChatMemberHandler(subscriptions.membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_error_handler(handlers.error)
    if announce_every is not None and application.job_queue is not None:
        # Never rely on the scheduler's defaults: run even when late (APScheduler would skip
        # a job more than 1 s late), and fold missed runs into one. The ledger, not the
        # scheduler, decides who is owed the announcement.
        application.job_queue.run_repeating(
            announcer.tick,
            interval=announce_every,
            first=min(5.0, announce_every),
            name="announcement",
            job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
    if (
        settings.webhook_url
        and settings.heartbeat_path is not None
        and application.job_queue is not None
    ):
        path = settings.heartbeat_path

        async def webhook_beat(_: object) -> None:
            beat(path)

        application.job_queue.run_repeating(webhook_beat, interval=WEBHOOK_BEAT_SECONDS, first=0)
    return Wiring(application, live, store, announcer)


def _miss_counter(store: Store) -> Callable[[str, dt.date], None]:
    """Counts unanswered questions (OSCEBOT_RECORD_MISSES=1): normalised text only."""

    def count(text: str, today: dt.date) -> None:
        key = miss_key(text)
        if key is not None:
            store.count_miss(key, today, KEEP_DAYS)

    return count


def build_application(settings: Settings, responder: Responder, **options: Any) -> Application:  # type: ignore[type-arg]
    """The application alone (see `build`)."""
    return build(settings, responder, **options).application


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


def run_bot(settings: Settings, responder: Responder, store: Store) -> int:
    """Run until stopped: long polling, or a webhook when OSCEBOT_WEBHOOK_URL is set."""
    configure_logging(settings)
    application = build(settings, responder, store=store).application
    log.info(
        "starting: %d entries, %d subscribed chats, time zone %s, %s",
        len(responder.entries),
        len(store.subscriptions()),
        settings.timezone,
        "webhook" if settings.webhook_url else "polling",
    )
    try:
        if settings.webhook_url:
            application.run_webhook(**webhook_options(settings), allowed_updates=Update.ALL_TYPES)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        log.error("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather")
        return 2
    except Exception as exc:  # a clear, redacted line instead of a traceback holding the token
        log.error("the bot stopped: %s", type(exc).__name__, exc_info=exc)
        return 1
    return 0
