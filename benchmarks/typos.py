"""Robustness to typing slips: the development questions with random typos, as judged by eval.

Each in-scope question of ../shared/eval/dev.yaml gets VARIANTS copies with one or two random
slips (two neighbouring letters swapped, one missing, one wrong, one extra) in words of five
letters or more, half of them lower-cased; the seed is fixed so runs compare. Prints the share
answered correctly, clarified, declined and confidently wrong, and every wrong answer. Asserts
nothing. Run: make bench
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
TODAY = dt.date(2026, 11, 24)
VARIANTS = 10
SEED = 7
LETTERS = "aeiourstnl"


def slip(question: str, rng: random.Random) -> str:
    """`question` with one random slip in one of its longer words."""
    words = question.split()
    longer = [i for i, w in enumerate(words) if len(re.sub(r"\W", "", w)) >= 5]
    if not longer:
        return question
    i = rng.choice(longer)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "wrong", "extra"))
    if kind == "swap":
        word = word[: j - 1] + word[j] + word[j - 1] + word[j + 1 :]
    elif kind == "drop":
        word = word[:j] + word[j + 1 :]
    elif kind == "wrong":
        word = word[:j] + rng.choice(LETTERS) + word[j + 1 :]
    else:
        word = word[:j] + rng.choice(LETTERS) + word[j:]
    words[i] = word
    return " ".join(words)


def main() -> None:
    from bot.evaluation import Case, judge, load_cases
    from bot.knowledge import bundled_knowledge_dir, load_knowledge
    from bot.responder import Responder

    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    wrong: list[tuple[str, str | None]] = []
    for case in load_cases(DEV):
        if case.decline:
            continue
        for _ in range(VARIANTS):
            question = slip(case.question, rng)
            if rng.random() < 0.5:
                question = slip(question, rng)
            if rng.random() < 0.5:
                question = question.lower()
            reply = responder.reply(question, TODAY)
            outcome = judge(Case(question, case.expect, False), reply)
            outcomes[outcome] += 1
            if outcome == "wrong":
                wrong.append((question, reply.intent))
    total = sum(outcomes.values())
    print(f"typo variants of the dev questions: {total}")
    for outcome in ("correct", "clarified", "declined", "wrong"):
        print(f"  {outcome:10} {outcomes[outcome]:4}  {outcomes[outcome] / total:6.1%}")
    for question, intent in wrong:
        print(f"  wrong: {question!r} -> {intent}")


if __name__ == "__main__":
    main()
