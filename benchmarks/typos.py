"""Robustness to typing slips: the development questions with random typos, as judged by eval.

Each in-scope question of a development table gets VARIANTS copies with one or two random
slips (two neighbouring letters swapped, one missing, one wrong, one extra) in words of five
letters or more, half of them lower-cased; the seed is fixed so runs compare. English: the
questions of ../shared/eval/dev.yaml, slips in Latin letters. Russian: tests/data/ru_dev.yaml
(and ru_dev2.yaml as a second check), slips in Cyrillic words with Russian letters. Prints,
side by side, the share answered correctly without slips and with them, clarified, declined
and confidently wrong, and the share of the slipped copies of the questions answered right as
written that are still answered right (what the slips alone cost); then every wrong answer of
the Russian development tables (never the rows of ../shared/eval, which is held out: counts
only). Asserts nothing. Run: make bench
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from bot.responder import Responder

DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
RU_DEV = ROOT / "tests" / "data" / "ru_dev.yaml"
RU_DEV2 = ROOT / "tests" / "data" / "ru_dev2.yaml"
TODAY = dt.date(2026, 11, 24)
VARIANTS = 10
SEED = 7
LETTERS = "aeiourstnl"
RUSSIAN_LETTERS = "оеаинтсрвл"
"""The commonest letters of each language, the ones a wrong or extra key most often types."""
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True)
class Run:
    """One table's slips: which letters are typed, which words can get a slip, and whether
    its wrong answers may be printed (a development table) or only counted (held out)."""

    label: str
    path: Path
    letters: str = LETTERS
    cyrillic: bool = False
    show_wrong: bool = False


@dataclass
class Tally:
    """What one run found."""

    clean: Counter[str] = field(default_factory=Counter)
    slipped: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    """The slipped copies of the questions answered right as written: what the slips cost."""
    wrong: list[tuple[str, str | None]] = field(default_factory=list)


RUNS = (
    Run("English dev", DEV),
    Run("ru_dev", RU_DEV, RUSSIAN_LETTERS, cyrillic=True, show_wrong=True),
    Run("ru_dev2", RU_DEV2, RUSSIAN_LETTERS, cyrillic=True, show_wrong=True),
)


def slip(question: str, rng: random.Random, letters: str = LETTERS, cyrillic: bool = False) -> str:
    """`question` with one random slip in one of its longer words (`cyrillic`: only in words
    written in Cyrillic letters)."""
    words = question.split()
    longer = [
        i
        for i, w in enumerate(words)
        if len(re.sub(r"\W", "", w)) >= 5 and (not cyrillic or _CYRILLIC.search(w))
    ]
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
        word = word[:j] + rng.choice(letters) + word[j + 1 :]
    else:
        word = word[:j] + rng.choice(letters) + word[j:]
    words[i] = word
    return " ".join(words)


def measure(responder: Responder, run: Run) -> Tally:
    """Every in-scope question of the run's table as written, then VARIANTS slipped copies."""
    from bot.evaluation import Case, judge, load_cases

    rng = random.Random(SEED)
    tally = Tally()
    for case in load_cases(run.path):
        if case.decline:
            continue
        clean = judge(case, responder.reply(case.question, TODAY))
        tally.clean[clean] += 1
        for _ in range(VARIANTS):
            question = slip(case.question, rng, run.letters, run.cyrillic)
            if rng.random() < 0.5:
                question = slip(question, rng, run.letters, run.cyrillic)
            if rng.random() < 0.5:
                question = question.lower()
            reply = responder.reply(question, TODAY)
            outcome = judge(Case(question, case.expect, False), reply)
            tally.slipped[outcome] += 1
            if clean == "correct":
                tally.kept[outcome] += 1
            if outcome == "wrong" and run.show_wrong:
                tally.wrong.append((question, reply.intent))
    return tally


def main() -> None:
    from bot.knowledge import bundled_knowledge_dir, load_knowledge
    from bot.responder import Responder

    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    runs = [run for run in RUNS if run.path.is_file()]
    tallies = [measure(responder, run) for run in runs]
    print("typo variants of the in-scope development questions" + f" ({VARIANTS} each)")
    print(f"  {'':22}" + "".join(f"{run.label:>16}" for run in runs))
    print(f"  {'questions':22}" + "".join(f"{sum(t.slipped.values()):16}" for t in tallies))
    rows = [("correct, no slip", "clean", "correct")]
    rows += [(f"{o}, slipped", "slipped", o) for o in ("correct", "clarified", "declined")]
    rows.append(("wrong, slipped", "slipped", "wrong"))
    rows.append(("kept right, slipped", "kept", "correct"))
    for label, which, outcome in rows:
        cells = []
        for tally in tallies:
            counts: Counter[str] = getattr(tally, which)
            cells.append(f"{counts[outcome] / max(1, sum(counts.values())):16.1%}")
        print(f"  {label:22}" + "".join(cells))
    for run, tally in zip(runs, tallies, strict=True):
        for question, intent in tally.wrong:
            print(f"  wrong ({run.label}): {question!r} -> {intent}")


if __name__ == "__main__":
    main()
