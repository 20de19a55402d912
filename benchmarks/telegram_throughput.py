"""Messages per second through the whole stack: the real PTB application polling the project's
fake Bot API server over HTTP on loopback, beside an echo bot on the same stack.

The echo bot shows what the HTTP round trips and PTB cost on their own; the difference is what
the bot's own work (matching, rendering, HTML) adds. oscebot is measured as deployed (with
AIORateLimiter, which by design keeps it at Telegram's ~30 messages per second) and with the
limiter off (the ceiling of the code itself). Prints figures; asserts nothing.
Run: make bench
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters  # noqa: E402

from bot.knowledge import bundled_knowledge_dir, load_knowledge, read_yaml  # noqa: E402
from bot.responder import Responder  # noqa: E402
from bot.settings import Secret, Settings  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

USERS = 60
MESSAGES_PER_USER = 5
"""Each user stays under the flood gate (12 messages per 30 s), as real users do: above it the
bot answers one notice and then nothing, which is the gate's job, not throughput."""
VIENNA = ZoneInfo("Europe/Vienna")

AppFactory = Callable[[FakeBotApi], Application]  # type: ignore[type-arg]


def questions() -> list[str]:
    table = read_yaml(ROOT / "tests" / "data" / "paraphrases.yaml")
    return [row["q"] for row in table["answer"]] + list(table["decline"])


def echo_app(server: FakeBotApi) -> Application:  # type: ignore[type-arg]
    async def echo(update: Update, _: object) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    application = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def oscebot_app(responder: Responder, *, rate_limiter: bool) -> AppFactory:
    def build(server: FakeBotApi) -> Application:  # type: ignore[type-arg]
        settings = Settings(
            token=Secret(server.token), api_base_url=server.base_url, timezone=VIENNA
        )
        return build_application(
            settings,
            responder,
            clock=lambda: dt.datetime(2026, 11, 24, 12, tzinfo=VIENNA),
            rate_limiter=rate_limiter,
        )

    return build


async def measure(factory: AppFactory, texts: list[str]) -> float:
    """Messages answered per second, from the first message sent to the last reply."""
    async with FakeBotApi() as server:
        application = factory(server)
        users = [server.add_user(first_name=f"U{i}") for i in range(USERS)]
        chats = [server.private_chat(user) for user in users]
        total = USERS * MESSAGES_PER_USER
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=1)
            started = time.perf_counter()
            try:
                for n in range(total):
                    user = n % USERS
                    await server.send_text(chats[user], users[user], texts[n % len(texts)])
                await server.wait_for(
                    lambda: len(server.calls("sendMessage")) >= total, timeout=300
                )
                elapsed = time.perf_counter() - started
            finally:
                await application.updater.stop()
                await application.stop()
        return total / elapsed


async def main() -> None:
    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    texts = questions()
    total = USERS * MESSAGES_PER_USER
    print(f"{total} messages from {USERS} users in private chats, over HTTP on 127.0.0.1")
    runs: list[tuple[str, AppFactory]] = [
        ("echo bot (PTB, no rate limiter)", echo_app),
        ("oscebot, rate limiter off", oscebot_app(responder, rate_limiter=False)),
        ("oscebot as deployed (AIORateLimiter)", oscebot_app(responder, rate_limiter=True)),
    ]
    for name, factory in runs:
        rate = await measure(factory, texts)
        print(f"{name:40} {rate:7.1f} messages/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (whole benchmark process, server included): {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
