"""Messages per second through the whole stack: the real PTB application polling the project's
fake Bot API server over HTTP on loopback, beside an echo bot on the same stack.

The fake server runs in a process of its own, as Telegram would, so its work (parsing and
checking each message's HTML, recording calls) is not counted against the bot: this process
runs only the bot under test. The echo bot shows what the HTTP round trips and PTB cost on
their own; the difference is what the bot's own work (matching, rendering, HTML) adds.
oscebot is measured with the limiter off (the ceiling of the code itself) and as deployed
(with AIORateLimiter, which by design keeps it at Telegram's ~30 messages per second).
Prints figures and the ratio to the echo bot of the same run; asserts nothing.

Run: make bench, or
    python benchmarks/telegram_throughput.py [--users N] [--runs N] [--no-deployed]
        [--profile FILE]   # cProfile of this process (the bot) during oscebot's run
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import multiprocessing
import os
import pstats
import resource
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters  # noqa: E402

from bot.distress import build_classifier  # noqa: E402
from bot.knowledge import bundled_knowledge_dir, load_knowledge, read_yaml  # noqa: E402
from bot.responder import Responder  # noqa: E402
from bot.settings import Secret, Settings  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

USERS = 200
DEPLOYED_USERS = 60
"""The limiter holds oscebot as deployed at ~30 messages/s: fewer messages say as much."""
MESSAGES_PER_USER = 5
"""Each user stays under the flood gate (12 messages per 30 s), as real users do: above it the
bot answers one notice and then nothing, which is the gate's job, not throughput."""
VIENNA = ZoneInfo("Europe/Vienna")

AppFactory = Callable[[str, str], Application]  # type: ignore[type-arg]
"""Builds the bot under test from the server's token and base URL."""


class Rate(NamedTuple):
    per_second: float
    cpu_ms: float
    """CPU time of the bot's process (all its threads) per message, in milliseconds."""


def questions() -> list[str]:
    table = read_yaml(ROOT / "tests" / "data" / "paraphrases.yaml")
    return [row["q"] for row in table["answer"]] + list(table["decline"])


# --- the server's process ---------------------------------------------------------------------


def serve(conn: Connection, texts: list[str], users: int, per_user: int, latency: float) -> None:
    """The fake Bot API's process: start on a free loopback port, send the port back, and on
    "go" write every message (users in turn, as they would arrive) and say "done" once the bot
    has answered them all; serve on until "stop", so the bot can stop polling cleanly."""
    asyncio.run(_serve(conn, texts, users, per_user, latency))


async def _serve(
    conn: Connection, texts: list[str], users: int, per_user: int, latency: float
) -> None:
    async with FakeBotApi(latency=latency) as server:
        people = [server.add_user(first_name=f"U{i}") for i in range(users)]
        chats = [server.private_chat(person) for person in people]
        total = users * per_user
        conn.send((server.token, server.base_url))
        command = await receive(conn)
        if command == "go":
            for n in range(total):
                user = n % users
                await server.send_text(chats[user], people[user], texts[n % len(texts)])
            await server.wait_for(lambda: len(server.calls("sendMessage")) >= total, timeout=600)
            conn.send(("done", len(server.calls("sendMessage"))))
            command = await receive(conn)
        assert command == "stop", command


async def receive(conn: Connection) -> Any:
    """The next object from the pipe, waited for on the event loop (no thread)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(conn.fileno(), wake)
    try:
        if not conn.poll():
            await ready
    finally:
        loop.remove_reader(conn.fileno())
    return conn.recv()


# --- the bot's process (this one) -------------------------------------------------------------


def echo_app(token: str, base_url: str) -> Application:  # type: ignore[type-arg]
    async def echo(update: Update, _: object) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    application = ApplicationBuilder().token(token).base_url(base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def oscebot_app(
    responder: Responder, *, rate_limiter: bool, concurrency: int | None = None
) -> AppFactory:
    def build(token: str, base_url: str) -> Application:  # type: ignore[type-arg]
        settings = Settings(token=Secret(token), api_base_url=base_url, timezone=VIENNA)
        extra = {} if concurrency is None else {"concurrent_updates": concurrency}
        return build_application(
            settings,
            responder,
            clock=lambda: dt.datetime(2026, 11, 24, 12, tzinfo=VIENNA),
            rate_limiter=rate_limiter,
            **extra,
        )

    return build


async def measure(
    factory: AppFactory,
    texts: list[str],
    users: int,
    profile: cProfile.Profile | None = None,
    latency: float = 0.0,
) -> Rate:
    """Messages answered per second, from the "go" to the server's "done" after the last
    reply, with a fresh server process for each bot."""
    spawn = multiprocessing.get_context("spawn")  # the server shares nothing with this process
    ours, theirs = spawn.Pipe()
    server = spawn.Process(
        target=serve, args=(theirs, texts, users, MESSAGES_PER_USER, latency), daemon=True
    )
    server.start()
    try:
        token, base_url = await receive(ours)
        application = factory(token, base_url)
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=1)
            try:
                if profile is not None:
                    profile.enable()
                started, cpu = time.perf_counter(), time.process_time()
                ours.send("go")
                done, answered = await receive(ours)
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu
                if profile is not None:
                    profile.disable()
                assert done == "done", done
            finally:
                await application.updater.stop()
                await application.stop()
        ours.send("stop")
        await asyncio.to_thread(server.join, 30)
    finally:
        if server.is_alive():
            server.terminate()
            server.join()
    return Rate(float(answered) / elapsed, cpu * 1000 / answered)


def print_profile(profile: cProfile.Profile, path: str) -> None:
    profile.dump_stats(path)
    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    print(f"profile of the bot's process during oscebot's run: {path} ({total:.2f} s own time)")
    for order in ("tottime", "cumulative"):
        stats.sort_stats(order).print_stats(25)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--runs", type=int, default=1, help="echo and oscebot, alternately")
    parser.add_argument("--no-deployed", action="store_true", help="skip the limiter's run")
    parser.add_argument("--profile", metavar="FILE", help="cProfile oscebot's (last) run")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="the server holds each request this long"
    )
    parser.add_argument(
        "--classifier", action="store_true", help="with the safety classifier, as `oscebot run`"
    )
    parser.add_argument(
        "--concurrency", type=int, help="updates handled at once (default: as `oscebot run`)"
    )
    args = parser.parse_args()

    kb = load_knowledge(bundled_knowledge_dir())
    responder = Responder(kb, build_classifier(kb.directory) if args.classifier else None)
    latency = args.latency_ms / 1000
    texts = questions()
    total = args.users * MESSAGES_PER_USER
    print(
        f"{total} messages from {args.users} users in private chats, over HTTP on 127.0.0.1, "
        f"the fake Bot API in a process of its own, {args.latency_ms:g} ms latency, "
        f"safety classifier {'on' if args.classifier else 'off'}"
    )
    profile = cProfile.Profile() if args.profile else None
    for run in range(args.runs):
        echo = await measure(echo_app, texts, args.users, latency=latency)
        last = run == args.runs - 1
        bot = await measure(
            oscebot_app(responder, rate_limiter=False, concurrency=args.concurrency),
            texts,
            args.users,
            profile if last else None,
            latency,
        )
        print(f"{'echo bot (PTB, no rate limiter)':40} {echo.per_second:7.1f} messages/s", end="")
        print(f"  {echo.cpu_ms:5.2f} ms CPU/message")
        print(f"{'oscebot, rate limiter off':40} {bot.per_second:7.1f} messages/s", end="")
        print(f"  {bot.cpu_ms:5.2f} ms CPU/message  {bot.per_second / echo.per_second:.2f}x echo")
    if not args.no_deployed:
        deployed = await measure(
            oscebot_app(responder, rate_limiter=True), texts, DEPLOYED_USERS, latency=latency
        )
        name = f"oscebot as deployed (AIORateLimiter, {DEPLOYED_USERS * MESSAGES_PER_USER} msgs)"
        print(f"{name:40} {deployed.per_second:7.1f} messages/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the bot's process: {peak:.0f} MiB")
    if profile is not None:
        print_profile(profile, args.profile)


if __name__ == "__main__":
    asyncio.run(main())
