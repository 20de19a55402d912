"""Are two checkouts' replies identical? A digest of every reply to every question the project
holds (each table in `tests/data/`, the development set), for work that must not change them
(speed, layout). Only digests are written, never the questions, so running it over the
measure-only tables reads nothing to tune on.

    .venv/bin/python benchmarks/reply_digest.py OUT.json            # in each checkout
    .venv/bin/python benchmarks/reply_digest.py --compare A.json B.json

Replies are taken from the bot as deployed (the knowledge base of the checkout, the safety
classifier when installed), on a fixed date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 24)
TEXT_KEYS = ("q", "question", "text", "message")


def questions() -> list[str]:
    """Every question of every table, in a stable order, duplicates once."""
    paths = sorted((ROOT / "tests" / "data").rglob("*.yaml"))
    paths.append(ROOT.parent / "shared" / "eval" / "dev.yaml")
    found: dict[str, None] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    found.setdefault(value, None)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in paths:
        if path.is_file():
            try:
                walk(yaml.safe_load(path.read_text(encoding="utf-8")))
            except yaml.YAMLError:
                continue
    return list(found)


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
        key = hashlib.sha256(question.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        out[key] = hashlib.sha256(reply).hexdigest()[:16]
    return out


def compare(first: Path, second: Path) -> int:
    a = json.loads(first.read_text())
    b = json.loads(second.read_text())
    shared = a.keys() & b.keys()
    differ = sum(a[k] != b[k] for k in shared)
    print(f"{len(shared)} questions in both, {differ} replies differ")
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
