"""Match latency, start-up time and peak memory, beside a rapidfuzz-only baseline.

Prints figures; asserts nothing (these machines are shared and noisy). Run: make bench
The baseline is what a naive bot would do: `process.extractOne` with WRatio over every
phrasing, always answering with the best one.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
TODAY = dt.date(2026, 11, 24)
ROUNDS = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    started = time.perf_counter()
    from bot.evaluation import evaluate, judge, load_cases
    from bot.knowledge import bundled_knowledge_dir, load_knowledge
    from bot.matching import baseline_best
    from bot.responder import Responder

    kb = load_knowledge(bundled_knowledge_dir())
    responder = Responder(kb)
    responder.reply("Who is the Special Representative?", TODAY)
    startup = time.perf_counter() - started

    cases = load_cases(DEV)
    questions = [c.question for c in cases]
    ours: list[float] = []
    for _ in range(ROUNDS):
        for question in questions:
            t0 = time.perf_counter()
            responder.reply(question, TODAY)
            ours.append((time.perf_counter() - t0) * 1000)
    report = evaluate(responder, cases, TODAY)

    phrasings: list[str] = []
    owner: dict[str, str] = {}
    for entry in responder.entries:
        for phrasing in entry.questions:
            phrasings.append(phrasing)
            owner.setdefault(phrasing, entry.id)
    base: list[float] = []
    for _ in range(ROUNDS):
        for question in questions:
            t0 = time.perf_counter()
            baseline_best(question, phrasings)
            base.append((time.perf_counter() - t0) * 1000)
    base_correct = 0
    for case in cases:
        best = baseline_best(case.question, phrasings)
        assert best is not None
        reply = responder.reply_to_intent(owner[best[0]], TODAY, case.question)
        assert reply is not None
        base_correct += judge(case, reply) == "correct"

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"knowledge base: {len(responder.entries)} entries, {len(phrasings)} phrasings")
    print(f"start-up to first answer: {startup * 1000:.0f} ms")
    print(
        f"oscebot matcher: p50 {statistics.median(ours):.2f} ms, "
        f"p99 {percentile(ours, 0.99):.2f} ms over {len(ours)} replies; "
        f"dev accuracy {report.accuracy:.1%}, confidently wrong {report.wrong_rate:.1%}"
    )
    print(
        f"baseline (extractOne WRatio): p50 {statistics.median(base):.2f} ms, "
        f"p99 {percentile(base, 0.99):.2f} ms; dev accuracy {base_correct / len(cases):.1%} "
        "(always answers)"
    )
    print(f"peak memory (max RSS): {peak_kib / 1024:.1f} MiB")
    cached_startup()
    safety_timings()


def cached_startup() -> None:
    """Building the responder with the start-up cache: the first start fills it, the next
    ones read it (`bot.build_cache`)."""
    import tempfile

    from bot.build_cache import BuildCache
    from bot.knowledge import bundled_knowledge_dir, load_knowledge
    from bot.responder import Responder

    kb = load_knowledge(bundled_knowledge_dir())
    with tempfile.TemporaryDirectory() as directory:
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            Responder(kb, cache=BuildCache(Path(directory)))
            timings.append(time.perf_counter() - t0)
    print(
        f"building the responder: {timings[0] * 1000:.0f} ms filling the cache, "
        f"{min(timings[1:]) * 1000:.0f} ms from it"
    )


def safety_timings() -> None:
    """The safety detector runs on every message before matching: typical and worst cases."""
    from bot.safety import detect_risk

    typical: list[float] = []
    for _ in range(ROUNDS):
        for message in ("they took my passport", "what is forced labour?", "help me please"):
            t0 = time.perf_counter()
            detect_risk(message)
            typical.append((time.perf_counter() - t0) * 1000)
    worst = 0.0
    for message in ("i " * 2048, "my friend " * 409, "help me " * 512, "\ufdfa" * 4096):
        t0 = time.perf_counter()
        detect_risk(message)
        worst = max(worst, (time.perf_counter() - t0) * 1000)
    print(
        f"safety detector: p50 {statistics.median(typical) * 1000:.0f} us per message; "
        f"worst 4096-character input {worst:.1f} ms"
    )


if __name__ == "__main__":
    main()
