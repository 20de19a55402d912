"""Answer quality on the measure-only tables, per style: correct, "did you mean", declined and
confidently wrong, and the time a reply takes.

The tables in tests/data/measure/ (en_*.yaml, ru_*.yaml) were written from the fact sheet alone
by people who never saw the knowledge base's phrasings or the matcher. They measure the bot;
nobody tunes it to them (read one for failures and it becomes a development table: write a
fresh one). Run it on two checkouts to compare before and after:

    .venv/bin/python benchmarks/quality.py [TABLE ...]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.evaluation import Result, judge, load_cases
from bot.knowledge import bundled_knowledge_dir, load_knowledge
from bot.responder import Responder

TODAY = dt.date(2026, 12, 7)
MEASURE = Path(__file__).resolve().parent.parent / "tests" / "data" / "measure"


def _row(label: str, results: list[Result]) -> str:
    counts = Counter(r.outcome for r in results)
    n = len(results)
    if results and results[0].case.decline:
        return (
            f"  {label:13} {n:4}  declined {counts['correct'] / n:6.1%}  "
            f"answered wrongly {counts['wrong']:3}"
        )
    return (
        f"  {label:13} {n:4}  correct {counts['correct'] / n:6.1%}  "
        f"did-you-mean {counts['clarified']:3}  declined {counts['declined']:3}  "
        f"wrong {counts['wrong']:3}"
    )


def report(responder: Responder, path: Path, timings: list[float]) -> None:
    cases = load_cases(path)
    results: list[Result] = []
    for case in cases:
        started = time.perf_counter()
        reply = responder.reply(case.question, TODAY)
        timings.append(time.perf_counter() - started)
        results.append(Result(case, reply, judge(case, reply)))
    in_scope = [r for r in results if not r.case.decline]
    to_decline = [r for r in results if r.case.decline]
    wrong = sum(r.outcome == "wrong" for r in results)
    print(f"{path.name}: {len(results)} questions")
    by_style: dict[str, list[Result]] = defaultdict(list)
    for result in in_scope:
        by_style[result.case.style or "-"].append(result)
    for style in sorted(by_style):
        print(_row(style, by_style[style]))
    if in_scope:
        print(_row("IN SCOPE", in_scope))
    if to_decline:
        print(_row("TO DECLINE", to_decline))
    print(f"  confidently wrong: {wrong} of {len(results)} ({wrong / len(results):.1%})")


def main() -> None:
    tables = [Path(a) for a in sys.argv[1:]] or sorted(
        [*MEASURE.glob("en_*.yaml"), *MEASURE.glob("ru_*.yaml")]
    )
    started = time.perf_counter()
    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    print(f"responder built in {time.perf_counter() - started:.2f} s (rules only, no encoder)")
    timings: list[float] = []
    for path in tables:
        report(responder, path, timings)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(
        f"reply time over {len(timings)} questions: "
        f"p50 {statistics.median(timings) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
