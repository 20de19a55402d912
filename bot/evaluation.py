"""Running a question set (the ../shared/eval/dev.yaml format) and measuring the answers.

Each case is a question with either `expect` (regular expressions that must all match the
text of a confident answer) or `decline: true` (the bot must not answer confidently). Every
outcome falls in one bucket: correct, clarified (asked "did you mean"), declined (no answer)
or confidently wrong (answered, but with the wrong thing: the outcome that matters most).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.answers import Reply
from bot.knowledge import KnowledgeError, Problem, read_yaml
from bot.responder import Responder

Outcome = Literal["correct", "clarified", "declined", "wrong"]
CONFIDENT_KINDS = ("answer", "safety")


@dataclass(frozen=True)
class Case:
    """One question of a question set."""

    question: str
    expect: tuple[re.Pattern[str], ...] = ()
    decline: bool = False
    style: str = ""
    """How the question is written (context, other_words, typos, short, ...), if the set says."""


@dataclass(frozen=True)
class Result:
    """What the bot did with one case."""

    case: Case
    reply: Reply
    outcome: Outcome


@dataclass
class Report:
    """All results, with the counts per group (in scope / off topic)."""

    results: list[Result] = field(default_factory=list)

    def group(self, decline: bool) -> list[Result]:
        """The in-scope (decline False) or off-topic (decline True) results."""
        return [r for r in self.results if r.case.decline is decline]

    def counts(self, decline: bool) -> Counter[str]:
        """How many results of a group fell in each outcome."""
        return Counter(r.outcome for r in self.group(decline))

    @property
    def accuracy(self) -> float:
        """Share of all cases handled correctly (answered right, or declined when off topic)."""
        if not self.results:
            return 0.0
        return sum(r.outcome == "correct" for r in self.results) / len(self.results)

    @property
    def wrong_rate(self) -> float:
        """Share of all cases answered confidently and wrongly."""
        if not self.results:
            return 0.0
        return sum(r.outcome == "wrong" for r in self.results) / len(self.results)

    def failures(self) -> list[Result]:
        """Every result that was not correct."""
        return [r for r in self.results if r.outcome != "correct"]

    def to_json(self) -> dict[str, Any]:
        """A summary plus every failure, for tools."""
        return {
            "total": len(self.results),
            "accuracy": round(self.accuracy, 4),
            "confidently_wrong_rate": round(self.wrong_rate, 4),
            "in_scope": dict(self.counts(False)) | {"total": len(self.group(False))},
            "off_topic": dict(self.counts(True)) | {"total": len(self.group(True))},
            "failures": [
                {
                    "question": r.case.question,
                    "outcome": r.outcome,
                    "kind": r.reply.kind,
                    "intent": r.reply.intent,
                    "score": round(r.reply.score, 1),
                    "suggestions": [s.intent for s in r.reply.suggestions],
                }
                for r in self.failures()
            ],
        }

    def lines(self) -> list[str]:
        """A human-readable report: every failure, then the figures."""
        out = []
        for r in self.failures():
            target = r.reply.intent or ", ".join(s.intent for s in r.reply.suggestions) or "-"
            out.append(
                f"{r.outcome.upper():9} {r.case.question!r} -> {r.reply.kind} {target} "
                f"(score {r.reply.score:.1f})"
            )
        for decline, label in ((False, "in scope"), (True, "off topic")):
            group = self.group(decline)
            if not group:
                continue
            c = self.counts(decline)
            n = len(group)
            out.append(
                f"{label}: {n} cases: correct {c['correct']} ({c['correct'] / n:.1%}), "
                f"clarified {c['clarified']}, declined {c['declined']}, "
                f"confidently wrong {c['wrong']}"
            )
        out.append(
            f"accuracy: {self.accuracy:.1%} of {len(self.results)}; "
            f"confidently wrong: {self.wrong_rate:.1%}"
        )
        return out


def load_cases(path: Path) -> list[Case]:
    """Read a question set; raise KnowledgeError with located problems if it is malformed."""
    data = read_yaml(path)
    items = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise KnowledgeError([Problem(path.name, 1, "-", "cases", "must be a list of cases")])
    cases: list[Case] = []
    problems: list[Problem] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            problems.append(Problem(path.name, 0, f"case {index}", "q", "needs a question"))
            continue
        try:
            patterns = tuple(re.compile(p, re.IGNORECASE) for p in item.get("expect", []) or [])
        except (re.error, TypeError) as exc:
            problems.append(Problem(path.name, 0, f"case {index}", "expect", str(exc)))
            continue
        decline = bool(item.get("decline", False))
        if not patterns and not decline:
            problems.append(
                Problem(path.name, 0, f"case {index}", "expect", "needs expect or decline")
            )
            continue
        cases.append(Case(item["q"], patterns, decline, str(item.get("style", ""))))
    if problems:
        raise KnowledgeError(problems)
    return cases


def judge(case: Case, reply: Reply) -> Outcome:
    """The outcome of one reply to one case."""
    confident = reply.kind in CONFIDENT_KINDS
    if case.decline:
        return "wrong" if confident else "correct"
    if confident:
        ok = all(p.search(reply.text) for p in case.expect)
        return "correct" if ok else "wrong"
    return "clarified" if reply.kind == "clarify" else "declined"


def evaluate(responder: Responder, cases: list[Case], today: dt.date) -> Report:
    """Ask every question and judge every reply."""
    report = Report()
    for case in cases:
        reply = responder.reply(case.question, today)
        report.results.append(Result(case, reply, judge(case, reply)))
    return report
