"""How matching scales with the size of the knowledge base: reply time and build time at 1x,
10x and 30x the phrasings, beside the exhaustive reference ranking (every entry scored).

The bigger bases are the real one plus copies whose entries keep half their words and have
the other half renamed per copy, so the copies share vocabulary with the real entries (as new
hotlines and documents would) without being duplicates. Prints figures; asserts nothing.
Run: python benchmarks/scale.py [FACTORS...]   (default 1 10 30; 30x takes a few minutes)
"""

from __future__ import annotations

import dataclasses
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.entry import Entry  # noqa: E402
from bot.evaluation import load_cases  # noqa: E402
from bot.knowledge import bundled_knowledge_dir, load_knowledge  # noqa: E402
from bot.matching import Matcher  # noqa: E402
from bot.responder import Responder  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
ROUNDS = 3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _renamed(text: str, copy: int, rng: random.Random) -> str:
    words = text.split()
    return " ".join(
        f"{w}{copy}x" if w.isalpha() and len(w) > 3 and rng.random() < 0.5 else w for w in words
    )


def scaled(entries: tuple[Entry, ...], factor: int) -> list[Entry]:
    rng = random.Random(factor)
    found = list(entries)
    for copy in range(1, factor):
        for entry in entries:
            found.append(
                dataclasses.replace(
                    entry,
                    id=f"{entry.id}-copy{copy}",
                    questions=tuple(_renamed(q, copy, rng) for q in entry.questions),
                    evidence=_renamed(entry.evidence, copy, rng),
                )
            )
    return found


def main(factors: list[int]) -> None:
    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    base = responder.matcher.entries
    questions = [c.question for c in load_cases(DEV)]
    print(
        f"{'size':>5} {'phrasings':>10} {'build s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'complete p50':>13} {'complete p99':>13}"
    )
    for factor in factors:
        entries = scaled(base, factor)
        started = time.perf_counter()
        matcher = Matcher(entries)
        built = time.perf_counter() - started
        pruned: list[float] = []
        complete: list[float] = []
        for _ in range(ROUNDS):
            for question in questions:
                analysis = matcher.analyse(question)
                t0 = time.perf_counter()
                matcher._rank(analysis)
                t1 = time.perf_counter()
                matcher._rank(analysis, complete=True)
                t2 = time.perf_counter()
                pruned.append((t1 - t0) * 1000)
                complete.append((t2 - t1) * 1000)
        phrasings = sum(len(e.questions) for e in entries)
        print(
            f"{factor:>4}x {phrasings:>10} {built:>8.1f} {statistics.median(pruned):>7.2f} "
            f"{percentile(pruned, 0.99):>7.2f} {statistics.median(complete):>13.2f} "
            f"{percentile(complete, 0.99):>13.2f} "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>13.0f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 10, 30])
