"""The operators' commands of `oscebot`: `announce` (deliver, retry, or a dry run), `health`
(the container's health check) and `misses` (unanswered questions, when counted), with the
exit codes every command shares (see `cli`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from bot.announcement import (
    Subscriber,
    announcement,
    next_announcement_year,
    owed_at,
    parse_time,
)
from bot.responder import Responder
from bot.settings import Settings
from bot.store import Store, StoreError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_STORE_FAILED = 3

TELEGRAM_NOT_CONFIGURED = (
    "TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start.\n"
    "To try the bot offline, run: oscebot chat"
)


def open_store(settings: Settings) -> Store | None:
    try:
        return Store.open(settings.db_path)
    except StoreError as exc:
        print(f"The database cannot be used: {exc}", file=sys.stderr)
        return None


def announce(responder: Responder, args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    if store is None:
        return EXIT_USAGE
    try:
        now = dt.datetime.now(settings.timezone)
        on: dt.date | None = args.date
        if args.dry_run:
            return __announce_dry_run(responder, store, settings, now, on)
        if args.retry_unconfirmed:
            released = store.release_unconfirmed((on or now).year)
            print(f"Released {len(released)} unconfirmed send(s): {released}")
        if settings.token is None:
            print(TELEGRAM_NOT_CONFIGURED.splitlines()[0], file=sys.stderr)
            return EXIT_USAGE
        import asyncio

        from bot.telegram.announce import DeliveryReport
        from bot.telegram.app import build
        from bot.telegram.logs import configure_logging

        configure_logging(settings)
        wiring = build(settings, responder, store=store, announce_every=None)

        async def deliver() -> list[DeliveryReport]:
            async with wiring.application:
                return await wiring.announcer.run(wiring.application.bot, now=now, on=on)

        reports = asyncio.run(deliver())
        texts = [report.text() for report in reports]
        print("\n\n".join(texts) if texts else "No chat is owed the announcement now.")
        stopped = next((report.stopped for report in reports if report.stopped), None)
        if stopped is None:
            return EXIT_OK
        print(f"The announcement stopped: {stopped}", file=sys.stderr)
        return EXIT_STORE_FAILED
    except StoreError as exc:  # before any send: --retry-unconfirmed, or the dry run's reads
        print(f"The database failed: {exc}", file=sys.stderr)
        return EXIT_STORE_FAILED
    finally:
        store.close()


def __announce_dry_run(
    responder: Responder, store: Store, settings: Settings, now: dt.datetime, on: dt.date | None
) -> int:
    subscribers = [Subscriber(s.chat_id, s.timezone) for s in store.subscriptions()]
    send_at = parse_time(settings.announce_time)
    due = owed_at(responder.kb, subscribers, store.ledger, now, send_at, settings.timezone, on)
    year = on.year if on is not None else next_announcement_year(responder.kb, now.date())
    reply = announcement(responder, year)
    if reply is None:
        print(f"The knowledge base has no announcement for {year}.", file=sys.stderr)
        return EXIT_INVALID
    print(reply.text)
    print(f"\n--- dry run: {len(subscribers)} subscribed, {len(due)} owed now; nothing sent.")
    return EXIT_OK


def health(settings: Settings) -> int:
    from bot.telegram.heartbeat import MAX_AGE_SECONDS, age

    if settings.heartbeat_path is None:
        print("unhealthy: no heartbeat file is configured", file=sys.stderr)
        return EXIT_INVALID
    seconds = age(settings.heartbeat_path, time.time())
    if seconds is None:
        print(f"unhealthy: no heartbeat at {settings.heartbeat_path} yet", file=sys.stderr)
        return EXIT_INVALID
    if seconds > MAX_AGE_SECONDS:
        print(f"unhealthy: the last successful poll was {seconds:.0f} s ago", file=sys.stderr)
        return EXIT_INVALID
    print(f"healthy: the last successful poll was {seconds:.0f} s ago")
    return EXIT_OK


def misses(settings: Settings, limit: int) -> int:
    store = open_store(settings)
    if store is None:
        return EXIT_USAGE
    try:
        top = store.top_misses(max(1, limit))
    finally:
        store.close()
    if not settings.record_misses:
        print("(OSCEBOT_RECORD_MISSES is off: nothing new is being counted.)", file=sys.stderr)
    for question, count in top:
        print(f"{count:6d}  {question}")
    if not top:
        print("No unanswered questions recorded.")
    return EXIT_OK
