"""The 30 July broadcast to many subscribed groups against the fake Bot API server, which
enforces Telegram's limits (30 messages per second overall, 20 per minute per group) and
answers each request after a latency, like the round trip to Telegram's servers.

Prints the total time against its floor, the number of groups divided by the configured rate
(OSCEBOT_ANNOUNCE_RATE, 25 per second by default, below Telegram's 30): the ratio is near 1
when the rate is the limit and not the network. Also prints the 429s met and peak memory.
Asserts nothing. Run: python benchmarks/broadcast.py [GROUPS] [--latency-ms MS] (defaults
10000 groups, about seven minutes, and 80 ms).
"""

from __future__ import annotations

import argparse
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

VIENNA = ZoneInfo("Europe/Vienna")


async def main(groups: int, latency_ms: float) -> None:
    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    rate = float(os.environ.get("OSCEBOT_ANNOUNCE_RATE", DEFAULT_ANNOUNCE_RATE))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        async with FakeBotApi(latency=latency_ms / 1000) as server:
            server.enforce_limits(global_per_second=30, per_group_per_minute=20)
            admin = server.add_user(first_name="Admin")
            for i in range(groups):
                chat = server.create_group(f"Group {i}", admins=[admin])
                store.subscribe(chat.id, "Europe/Vienna", dt.date(2027, 7, 1))
            settings = Settings(
                token=Secret(server.token),
                api_base_url=server.base_url,
                timezone=VIENNA,
                announce_rate=rate,
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
            in_flight = server.peak_in_flight
    floor = groups / rate
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"groups: {groups}, sent: {len(report.sent)}, failed: {len(report.failed)}")
    print(f"latency: {latency_ms:g} ms per request; configured rate: {rate:g} messages/s")
    print(f"total time: {elapsed:.1f} s; floor at {rate:g} messages/s: {floor:.1f} s")
    print(f"ratio to the floor: {elapsed / floor:.3f}")
    print(f"rate reached: {len(report.sent) / elapsed:.1f} messages/s")
    print(f"requests in flight at once, at most: {in_flight}")
    print(f"429 answers from the server: {throttled}")
    print(f"peak RSS (bot, store and fake server in one process): {peak:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", type=int, nargs="?", default=10_000)
    parser.add_argument("--latency-ms", type=float, default=80.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.groups, arguments.latency_ms))
