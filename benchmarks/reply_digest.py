"""Are two checkouts' replies identical? A digest of every reply to every question the project
holds (each table in `tests/data/`, the development set), for work that must not change them
(speed, layout). Only digests are written, never the questions, so running it over the
measure-only tables reads nothing to tune on.

    .venv/bin/python benchmarks/reply_digest.py OUT.json            # in each checkout
    .venv/bin/python benchmarks/reply_digest.py --compare A.json B.json

The comparison names each table with replies that differ, by count (and how many of those
questions are written in Cyrillic letters), never a question.

Replies are taken from the bot as deployed (the knowledge base of the checkout, the safety
classifier when installed), on a fixed date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 24)
TEXT_KEYS = ("q", "question", "text", "message")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def tables() -> dict[str, list[str]]:
    """Every table's questions, by the table's path, in a stable order."""
    paths = sorted((ROOT / "tests" / "data").rglob("*.yaml"))
    paths.append(ROOT.parent / "shared" / "eval" / "dev.yaml")
    out: dict[str, list[str]] = {}

    def walk(node: object, found: dict[str, None]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    found.setdefault(value, None)
                else:
                    walk(value, found)
        elif isinstance(node, list):
            for item in node:
                walk(item, found)

    for path in paths:
        if path.is_file():
            found: dict[str, None] = {}
            try:
                walk(yaml.safe_load(path.read_text(encoding="utf-8")), found)
            except yaml.YAMLError:
                continue
            name = path.relative_to(ROOT.parent).as_posix()
            out[name.removeprefix(f"{ROOT.name}/")] = list(found)
    return out


def questions() -> list[str]:
    """Every question of every table, in a stable order, duplicates once."""
    found: dict[str, None] = {}
    for asked in tables().values():
        for question in asked:
            found.setdefault(question, None)
    return list(found)


def question_key(question: str) -> str:
    return hashlib.sha256(question.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def digests() -> dict[str, str]:
    from bot.distress import build_classifier
    from bot.knowledge import bundled_knowledge_dir, load_knowledge
    from bot.responder import Responder

    kb = load_knowledge(bundled_knowledge_dir())
    try:
        classifier = build_classifier(kb.directory)
    except ImportError:
        classifier = None
    responder = Responder(kb, classifier)
    out: dict[str, str] = {}
    for question in questions():
        reply = repr(responder.reply(question, TODAY)).encode("utf-8", "surrogatepass")
        out[question_key(question)] = hashlib.sha256(reply).hexdigest()[:16]
    return out


def compare(first: Path, second: Path) -> int:
    a = json.loads(first.read_text())
    b = json.loads(second.read_text())
    shared = a.keys() & b.keys()
    differ = sum(a[k] != b[k] for k in shared)
    print(f"{len(shared)} questions in both, {differ} replies differ")
    for name, asked in tables().items():  # counts only: a measure table's rows stay unread
        changed = [q for q in asked if question_key(q) in shared]
        total = len(changed)
        changed = [q for q in changed if a[question_key(q)] != b[question_key(q)]]
        if changed:
            cyrillic = sum(bool(CYRILLIC.search(q)) for q in changed)
            print(f"  {name}: {len(changed)} of {total} differ ({cyrillic} in Cyrillic letters)")
    return 1 if differ else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--compare", action="store_true")
    options = parser.parse_args()
    if options.compare:
        sys.exit(compare(*options.paths[:2]))
    result = digests()
    options.paths[0].write_text(json.dumps(result, indent=0))
    print(f"{len(result)} replies digested")
