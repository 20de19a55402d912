"""One country's help numbers, measured: how often a message asking for them ("the hotline in
Serbia", or "I'm in Poland" after the safety reply asked for the country) gets that country's
numbers, and how often a message that names a country but asks something else ("when was the
Mission to Moldova set up") is wrongly given a list of numbers.

The table (tests/data/measure/country_help_v1.yaml) was written from the fact sheet alone by a
helper who never saw the bot; nobody tunes to it. Prints figures per kind, language and style;
asserts nothing. Run: .venv/bin/python benchmarks/country_help.py [TABLE]
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import Reply  # noqa: E402
from bot.distress import build_classifier  # noqa: E402
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, load_knowledge  # noqa: E402
from bot.responder import Responder  # noqa: E402

TABLE = ROOT / "tests" / "data" / "measure" / "country_help_v1.yaml"
TODAY = dt.date(2026, 12, 7)


def _intents(reply: Reply) -> list[str]:
    found = [reply.intent or "", *(s.intent for s in (*reply.suggestions, *reply.related))]
    return [intent.rsplit("~", 1)[-1] for intent in found]


def gives_numbers(kb: KnowledgeBase, reply: Reply, codes: list[str]) -> bool:
    """A reply about the asked countries' help numbers: the numbers themselves, "I have none
    for that country", or the safety reply (a worried parent's message is routed there) naming
    them."""
    intent = (reply.intent or "").rsplit("~", 1)[-1]
    if reply.kind == "answer":
        return intent.startswith("help-")
    if reply.kind == "missing":
        return "help-numbers" in _intents(reply)
    if reply.kind == "safety" and intent == "help-numbers":
        own = {h.number for h in kb.help if set(codes) & set(h.countries)}
        return any(number in reply.body for number in own - {"112"})
    return False


def right_country(kb: KnowledgeBase, reply: Reply, codes: list[str]) -> bool:
    """No country's own number but the asked ones' (112 and 116 000 are everyone's)."""
    general = {"emergency", "missing_children"}
    asked = {h.number for h in kb.help if set(codes) & set(h.countries)}
    others = {h.number for h in kb.help if h.kind not in general} - asked
    return not any(number in reply.body for number in others)


def main(table: Path) -> None:
    kb = load_knowledge(bundled_knowledge_dir())
    try:  # as deployed: the classifier's encoder also finds questions across languages
        classifier = build_classifier(kb.directory)
    except ImportError:
        classifier = None
    responder = Responder(kb, classifier)
    cases = yaml.safe_load(table.read_text(encoding="utf-8"))["cases"]
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        reply = responder.reply(case["q"], TODAY)
        if case["kind"] == "numbers":
            ok = gives_numbers(kb, reply, case["country"])
            ok = ok and right_country(kb, reply, case["country"])
        else:
            ok = not gives_numbers(kb, reply, case["country"])
        for key in ("all", f"lang {case['lang']}", f"style {case['style']}"):
            tally[(case["kind"], key)][0] += ok
            tally[(case["kind"], key)][1] += 1
    print(f"{table.name}: {len(cases)} messages")
    headings = {
        "numbers": "asking for numbers (given that country's numbers):",
        "other": "naming a country, asking something else (not given numbers):",
    }
    for kind, heading in headings.items():
        print(f"  {heading}")
        for (k, key), (ok, n) in sorted(tally.items()):
            if k == kind:
                print(f"    {key:18} {ok:3}/{n:<3} {ok / n:6.1%}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TABLE)
