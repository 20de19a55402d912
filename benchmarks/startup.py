"""`oscebot run`: the time from starting the process to the answer of the first question,
against the fake Bot API on loopback, with the start-up cache off, filling it, and warm.

The question is queued before the bot starts, so the figure is the whole start (imports, the
knowledge base, the safety classifier, the matchers, the first long poll) plus one reply.
Prints figures; asserts nothing. Run: python benchmarks/startup.py [ROUNDS]
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_bot_api import FakeBotApi  # noqa: E402

TIMEOUT = 300.0


async def first_answer(cache: str, data: Path) -> float:
    """Seconds from spawning `oscebot run` to its answer of a queued question."""
    async with FakeBotApi(bot_username="oscebot_bench") as server:
        user = server.add_user("Bench")
        chat = server.private_chat(user)
        await server.send_text(chat, user, "Where is ODIHR?")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OSCEBOT_", "TELEGRAM_"))}
        env |= {
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "OSCEBOT_DB": str(data / "bench.sqlite3"),
            "OSCEBOT_CACHE_DIR": cache,
            "OSCEBOT_HEARTBEAT": str(data / "heartbeat"),
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await server.next_bot_message(chat, timeout=TIMEOUT)
            return time.perf_counter() - started
        finally:
            process.send_signal(signal.SIGTERM)
            await process.wait()


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="oscebot-startup-") as tmp:
        data = Path(tmp)
        off = [await first_answer("off", data) for _ in range(rounds)]
        cache = str(data / "cache")
        filling = await first_answer(cache, data)
        warm = [await first_answer(cache, data) for _ in range(rounds)]
    print("oscebot run, start to the first answer (median of", rounds, "runs):")
    print(f"  start-up cache off:  {statistics.median(off):.1f} s")
    print(f"  filling the cache:   {filling:.1f} s (one run)")
    print(f"  from a warm cache:   {statistics.median(warm):.1f} s")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
