"""The 30 July broadcast to many subscribed groups against the fake Bot API server, which
enforces Telegram's limits (30 messages per second overall, 20 per minute per group).

Prints the total time against the theoretical minimum at 30 messages per second, the rate
reached, the 429s met, and peak memory. Asserts nothing. Run: python benchmarks/broadcast.py
[GROUPS] (default 10000; about six minutes, since the announcer paces itself at
OSCEBOT_ANNOUNCE_RATE, 25 per second by default, below Telegram's limit).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.knowledge import bundled_knowledge_dir, load_knowledge  # noqa: E402
from bot.responder import Responder  # noqa: E402
from bot.settings import DEFAULT_ANNOUNCE_RATE, Secret, Settings  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.app import build  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

TELEGRAM_RATE = 30.0
VIENNA = ZoneInfo("Europe/Vienna")


async def main(groups: int) -> None:
    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        async with FakeBotApi() as server:
            server.enforce_limits(global_per_second=30, per_group_per_minute=20)
            admin = server.add_user(first_name="Admin")
            for i in range(groups):
                chat = server.create_group(f"Group {i}", admins=[admin])
                store.subscribe(chat.id, "Europe/Vienna", dt.date(2027, 7, 1))
            settings = Settings(
                token=Secret(server.token),
                api_base_url=server.base_url,
                timezone=VIENNA,
                announce_rate=float(os.environ.get("OSCEBOT_ANNOUNCE_RATE", DEFAULT_ANNOUNCE_RATE)),
            )
            wiring = build(
                settings,
                responder,
                store=store,
                clock=lambda: dt.datetime(2027, 7, 30, 9, 0, tzinfo=VIENNA),
                announce_every=None,
            )
            async with wiring.application:
                started = time.perf_counter()
                [report] = await wiring.announcer.run(wiring.application.bot)
                elapsed = time.perf_counter() - started
            throttled = sum(1 for r in server.requests if r.status == 429)
    minimum = groups / TELEGRAM_RATE
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"groups: {groups}, sent: {len(report.sent)}, failed: {len(report.failed)}")
    print(f"total time: {elapsed:.1f} s; minimum at 30 messages/s: {minimum:.1f} s")
    print(
        f"rate: {len(report.sent) / elapsed:.1f} messages/s ({elapsed / minimum:.2f}x the minimum)"
    )
    print(f"429 answers from the server: {throttled}")
    print(f"peak RSS (bot, store and fake server in one process): {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
