"""How every reply the knowledge base can produce reads on a phone: lengths and source lines.

For each entry (generated lookups included) the reply a user gets for it is rendered as plain
text, and its parts are measured: the answer itself, the source lines, the whole. Prints the
distribution (median, 90th percentile, maximum), how many replies break the house style (an
answer over 400 characters, a reply over 1,000, more than one source line, a repeated
sentence), and the worst few. Run it on two checkouts to compare:

    .venv/bin/python benchmarks/replies.py [KNOWLEDGE_DIR]
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.day_replies import days_reply
from bot.knowledge import bundled_knowledge_dir, load_knowledge
from bot.responder import Responder

TODAY = dt.date(2026, 12, 7)
ANSWER_BUDGET = 400
REPLY_BUDGET = 1000
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def repeated(body: str) -> bool:
    """Whether a sentence occurs twice (case and spacing aside)."""
    sentences = [" ".join(s.lower().split()) for s in _SENTENCE.split(body) if len(s) > 20]
    return len(sentences) != len(set(sentences))


def percentiles(values: list[int]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"median {statistics.median(ordered):.0f}, p90 {p90}, max {ordered[-1]}"


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else bundled_knowledge_dir()
    responder = Responder(load_knowledge(directory))
    rows = []
    for entry in responder.entries:
        reply = responder.reply_to_intent(entry.id, TODAY)
        if reply is None or reply.kind != "answer":
            continue
        text = reply.text
        body = reply.body
        footer = text[len(body) :]
        source_lines = sum(1 for line in footer.splitlines() if line.startswith(("Source", "•")))
        rows.append((entry.id, len(body), len(footer), len(text), source_lines, repeated(body)))
    days = days_reply(responder, TODAY, 10)
    print(f"{len(rows)} answers from {directory}")
    print(f"answer text:   {percentiles([r[1] for r in rows])} characters")
    print(f"source lines:  {percentiles([r[2] for r in rows])} characters")
    print(f"whole reply:   {percentiles([r[3] for r in rows])} characters")
    print(f"source lines per reply: {percentiles([r[4] for r in rows])}")
    over_answer = sum(r[1] > ANSWER_BUDGET for r in rows)
    over_reply = sum(r[3] > REPLY_BUDGET for r in rows)
    many_sources = sum(r[4] > 1 for r in rows)
    sources_heavier = sum(r[2] > r[1] for r in rows)
    print(
        f"answers over {ANSWER_BUDGET}: {over_answer}; replies over {REPLY_BUDGET}: {over_reply}; "
        f"more than one source line: {many_sources}; sources longer than the answer: "
        f"{sources_heavier}; a repeated sentence: {sum(r[5] for r in rows)}"
    )
    print(f"/days 10: {len(days.text)} characters")
    print("longest replies:")
    for row in sorted(rows, key=lambda r: -r[3])[:5]:
        print(f"  {row[0]}: answer {row[1]}, sources {row[2]}, total {row[3]}")


if __name__ == "__main__":
    main()
