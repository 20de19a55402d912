"""Start-up: `oscebot ask "hello"` and `oscebot validate` as whole processes, and `oscebot run`
from starting the process to the answer of its first question against the fake Bot API on
loopback, each with the start-up cache off and warm.

The question for `run` is queued before the bot starts, so that figure is the whole start
(imports, the knowledge base, the safety classifier, the matchers, the first long poll) plus
one reply. With `--baseline DIR` (another checkout, e.g. `git worktree add /tmp/base HEAD~3`)
the same commands run from that tree too, interleaved round by round so that load on this
shared machine falls on both alike, and the ratios are printed. Prints figures; asserts
nothing. Run: python benchmarks/startup.py [--rounds N] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_bot_api import FakeBotApi  # noqa: E402

TIMEOUT = 300.0


def _env(cache: str, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSCEBOT_", "TELEGRAM_"))}
    return env | {
        "OSCEBOT_DB": str(data / "bench.sqlite3"),
        "OSCEBOT_CACHE_DIR": cache,
        "OSCEBOT_HEARTBEAT": str(data / "heartbeat"),
    }


def command_seconds(tree: Path, cache: str, data: Path, *args: str) -> float:
    """Seconds for one whole `oscebot ARGS` process run from the checkout `tree`."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=_env(cache, data),
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


async def first_answer(tree: Path, cache: str, data: Path) -> float:
    """Seconds from spawning `oscebot run` to its answer of a queued question."""
    async with FakeBotApi(bot_username="oscebot_bench") as server:
        user = server.add_user("Bench")
        chat = server.private_chat(user)
        await server.send_text(chat, user, "Where is ODIHR?")
        env = _env(cache, data) | {
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=tree,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await server.next_bot_message(chat, timeout=TIMEOUT)
            return time.perf_counter() - started
        finally:
            process.send_signal(signal.SIGTERM)
            await process.wait()


async def one_round(tree: Path, data: Path, cache: str) -> dict[str, float]:
    """Each measured command once from `tree`; `cache` is that tree's own warm cache."""
    return {
        'ask "hello", cache off': command_seconds(tree, "off", data, "ask", "hello"),
        'ask "hello", warm': command_seconds(tree, cache, data, "ask", "hello"),
        "validate, cache off": command_seconds(tree, "off", data, "validate"),
        "validate, warm": command_seconds(tree, cache, data, "validate"),
        "run to first answer, cache off": await first_answer(tree, "off", data),
        "run to first answer, warm": await first_answer(tree, cache, data),
    }


async def main(rounds: int, baseline: Path | None) -> None:
    trees = {"this tree": ROOT} | ({"baseline": baseline} if baseline else {})
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="oscebot-startup-") as tmp:
        data = Path(tmp)
        caches = {name: str(data / f"cache-{index}") for index, name in enumerate(trees)}
        for name, tree in trees.items():  # fill each tree's cache once
            command_seconds(tree, caches[name], data, "validate")
            command_seconds(tree, caches[name], data, "ask", "hello")
        for _ in range(rounds):
            for name, tree in trees.items():
                results[name].append(await one_round(tree, data, caches[name]))
    print(f"Start-up, whole processes, median of {rounds} rounds (seconds):")
    header = f"  {'':34}" + "".join(f"{name:>12}" for name in trees)
    print(header + ("       ratio" if baseline else ""))
    for measure in results["this tree"][0]:
        medians = [statistics.median(r[measure] for r in results[name]) for name in trees]
        line = f"  {measure:34}" + "".join(f"{m:12.2f}" for m in medians)
        if baseline:
            line += f"{medians[0] / medians[1]:11.2f}x"
        print(line)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to run beside this one")
    options = parser.parse_args()
    asyncio.run(main(options.rounds, options.baseline))
