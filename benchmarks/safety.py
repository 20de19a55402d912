"""Safety routing: recall and false alarms per table and language, and what the classifier costs.

For each safety table in tests/data/measure/ (safety_dev: the regression part; safety_measure:
measure-only, never tuned on; safety_v2: measure-only; safety_dev2: look-alikes, may be read)
and the older tests/data/safety.yaml, prints the share of alarm
messages routed to safety and of ordinary messages wrongly routed, for the rules alone, the
classifier alone and both (what the bot does), then per language for both. Then the cost: the
encoder's load time, the exemplars' encoding time and the time per message (p50/p99).

    .venv/bin/python benchmarks/safety.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.distress import DistressClassifier, UniversalSentenceEncoder, load_exemplars
from bot.knowledge import bundled_knowledge_dir
from bot.safety import detect_risk

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TABLES = [
    DATA / "measure" / "safety_dev.yaml",
    DATA / "measure" / "safety_measure.yaml",
    DATA / "measure" / "safety_v2.yaml",
    DATA / "measure" / "safety_dev2.yaml",
    DATA / "measure" / "safety_v3.yaml",
    DATA / "measure" / "safety_dev3.yaml",
]
OLD = DATA / "safety.yaml"


def rows(path: Path) -> list[tuple[str, str, str, str]]:
    """(kind, text, language, style) for every row."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for kind in ("alarm", "no_alarm"):
        for row in data.get(kind, []):
            text = row["text"] if isinstance(row, dict) else row
            language = row.get("lang", "en") if isinstance(row, dict) else "en"
            style = row.get("style", "") if isinstance(row, dict) else ""
            out.append((kind, text, language, style))
    return out


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.1%})" if total else "-"


def main() -> None:
    started = time.perf_counter()
    encoder = UniversalSentenceEncoder()
    encoder.encode(["warm up"])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    classifier = DistressClassifier(encoder, load_exemplars(bundled_knowledge_dir()))
    built = time.perf_counter() - started
    timings: list[float] = []
    for path in [*TABLES, OLD]:
        table = rows(path)
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        per_language: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        per_style: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for kind, text, language, style in table:
            rule = detect_risk(text) is not None
            tick = time.perf_counter()
            model = classifier.is_distress(text)
            timings.append(time.perf_counter() - tick)
            column = 0 if kind == "alarm" else 2
            for name, routed in (("rules", rule), ("classifier", model), ("both", rule or model)):
                counts[name][column] += routed
                counts[name][column + 1] += 1
            for group, key in ((per_language, language), (per_style, style)):
                group[key][column] += rule or model
                group[key][column + 1] += 1
        print(f"\n{path.relative_to(DATA.parent.parent)}")
        for name, (hit, alarms, raised, ordinary) in counts.items():
            print(
                f"  {name:10s} recall {share(hit, alarms):18s} "
                f"false alarms {share(raised, ordinary)}"
            )
        for label, group in (("language", per_language), ("style", per_style)):
            shown = sorted(group.items(), key=lambda item: -(item[1][1] + item[1][3]))
            if label == "style" and list(group) == [""]:
                continue  # a table without styles
            print(
                f"  per {label} (both): "
                + "; ".join(f"{key} {h}/{a} · {r}/{o}" for key, (h, a, r, o) in shown)
            )
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"\nencoder load {loaded:.2f} s; exemplars encoded in {built:.2f} s; per message "
        f"p50 {statistics.median(timings) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms "
        f"over {len(timings)} messages"
    )


if __name__ == "__main__":
    main()
