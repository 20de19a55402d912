"""The `oscebot` command line: the bot, an offline console, and tools for curators.

Exit codes: 0 success; 1 the knowledge base or a question set is invalid, or an evaluation
is below --min; 2 a usage or configuration error (such as `run` without a token); 3 the
database failed while `announce` was using it (a full disk, a read-only or damaged file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from bot import __version__
from bot.awareness import upcoming
from bot.build_cache import BuildCache
from bot.cli_operators import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    TELEGRAM_NOT_CONFIGURED,
    announce,
    health,
    misses,
    open_store,
)
from bot.console import run_console
from bot.curation import check_sources
from bot.distress import EXEMPLARS_FILE, ExemplarError, build_classifier, load_exemplars
from bot.entries import build_entries
from bot.evaluation import evaluate, load_cases
from bot.i18n import INTERFACE_LANGUAGES, SOURCE_LANGUAGE
from bot.knowledge import KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.phrasing_coverage import check_phrasings
from bot.responder import Responder
from bot.settings import Settings, SettingsError
from bot.validation import validate

SAFETY_COMMANDS = frozenset({"chat", "ask", "eval"})
"""Commands that answer people's messages, so they need the safety classifier."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-07-30") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oscebot",
        description="Answers questions about the OSCE's work against trafficking in human "
        "beings, with a source for every answer. Without a command: the Telegram bot when "
        "TELEGRAM_BOT_TOKEN is set, otherwise the offline console.",
    )
    parser.add_argument("--version", action="version", version=f"oscebot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    chat = sub.add_parser("chat", help="interactive console; same answers as Telegram")
    chat.add_argument("--today", type=_date, help="pretend today is this date (YYYY-MM-DD)")
    chat.add_argument(
        "--language",
        choices=INTERFACE_LANGUAGES,
        default=SOURCE_LANGUAGE,
        help="language of the pages and commands (questions are answered in their own)",
    )

    ask = sub.add_parser("ask", help="answer one question, or one per line from stdin with -")
    ask.add_argument("question", nargs="+", help='the question, or "-" to read stdin')
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines with -)")
    ask.add_argument("--today", type=_date, help="pretend today is this date (YYYY-MM-DD)")

    check = sub.add_parser("validate", help="check the knowledge base; exit 1 if invalid")
    check.add_argument("directory", nargs="?", type=Path, help="default: the bundled base")

    kb = sub.add_parser("kb", help="list every entry (generated lookups included)")
    kb.add_argument("--json", action="store_true")

    ev = sub.add_parser("eval", help="run a question set and report accuracy")
    ev.add_argument("file", type=Path)
    ev.add_argument("--min", type=float, default=0.0, help="exit 1 below this accuracy (0-1)")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--today", type=_date, help="pretend today is this date (YYYY-MM-DD)")

    days = sub.add_parser("days", help="the next awareness days")
    days.add_argument("--today", type=_date, help="count from this date (YYYY-MM-DD)")
    days.add_argument("--limit", type=int, default=5)
    days.add_argument("--json", action="store_true")

    announce = sub.add_parser(
        "announce",
        help="send the 30 July announcement to the subscribed chats still owed it (idempotent)",
    )
    announce.add_argument(
        "--date", type=_date, help="act as if it were this day (default: now, in each chat's zone)"
    )
    announce.add_argument(
        "--dry-run", action="store_true", help="print the text and who would get it; send nothing"
    )
    announce.add_argument(
        "--retry-unconfirmed",
        action="store_true",
        help="first give back every send of this year that was never confirmed (no answer "
        "from Telegram, or the process died mid-send); use only after checking that those "
        "chats did not get the message",
    )

    misses = sub.add_parser(
        "misses", help="the most frequent unanswered questions (OSCEBOT_RECORD_MISSES=1)"
    )
    misses.add_argument("--limit", type=int, default=30)

    sub.add_parser(
        "health", help="exit 0 if the running bot polled recently (the container HEALTHCHECK)"
    )
    return parser


def _print_problems(problems: Sequence[Problem], out: TextIO) -> None:
    for problem in problems:
        print(problem, file=out)
    print(f"{len(problems)} problem(s) found.", file=out)


def _load(settings: Settings) -> KnowledgeBase | None:
    try:
        return load_knowledge(settings.knowledge_dir, _cache(settings))
    except KnowledgeError as exc:
        print(f"The knowledge base in {settings.knowledge_dir} is invalid:", file=sys.stderr)
        _print_problems(exc.problems, sys.stderr)
        return None


def _cache(settings: Settings) -> BuildCache | None:
    return None if settings.cache_dir is None else BuildCache(settings.cache_dir)


def _responder(kb: KnowledgeBase, settings: Settings) -> Responder:
    """The responder, with the safety classifier when its encoder package is installed."""
    cache = _cache(settings)
    try:
        classifier = build_classifier(kb.directory, cache=cache)
    except ImportError:
        print(
            "Note: the sentence encoder is not installed, so safety detection uses its rules "
            "alone.",
            file=sys.stderr,
        )
        classifier = None
    except ExemplarError as exc:
        print(f"Note: safety detection uses its rules alone: {exc}", file=sys.stderr)
        classifier = None
    return Responder(kb, classifier, cache)


def _today(settings: Settings, override: dt.date | None) -> dt.date:
    return override or dt.datetime.now(settings.timezone).date()


def _ask(responder: Responder, args: argparse.Namespace, settings: Settings) -> int:
    today = _today(settings, args.today)
    if args.question == ["-"]:
        for line in sys.stdin:
            question = line.rstrip("\r\n")
            reply = responder.reply(question, today)
            if args.json:
                print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
            else:
                print(reply.text, end="\n\n", flush=True)
        return EXIT_OK
    reply = responder.reply(" ".join(args.question), today)
    if args.json:
        print(json.dumps(reply.to_json(), ensure_ascii=False, indent=2))
    else:
        print(reply.text)
    return EXIT_OK


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    directory = args.directory or settings.knowledge_dir
    kb, problems = validate(directory, _today(settings, None), _cache(settings))
    if problems:
        _print_problems(problems, sys.stdout)
        return EXIT_INVALID
    assert kb is not None
    notes = check_sources(kb)[1]
    if notes:
        print(f"Curation notes ({len(notes)}; not errors):")
        for note in notes:
            print(f"  {note}")
    coverage = check_phrasings(kb)
    if coverage:
        facts = len({note.entry_id for note in coverage})
        print(f"Phrasing notes ({len(coverage)} on {facts} facts; not errors):")
        for problem in coverage:
            print(f"  {problem}")
    print(
        f"{directory}: valid. {len(kb.sources)} sources, {len(kb.facts)} facts, "
        f"{len(kb.quotes)} quotes, {len(kb.awareness_days)} awareness days, "
        f"{len(build_entries(kb))} entries in all."  # no matcher needed just to count them
    )
    return EXIT_OK


def _kb(responder: Responder, as_json: bool) -> int:
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "kind": e.kind,
            "generated": e.generated,
            "phrasings": list(e.questions),
            "sources": list(e.sources),
        }
        for e in responder.entries
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        origin = "generated" if row["generated"] else "written"
        print(f"{row['id']}  [{row['kind']}, {origin}]  sources: {', '.join(row['sources'])}")
        for phrasing in row["phrasings"]:
            print(f"    {phrasing}")
    return EXIT_OK


def _eval(responder: Responder, args: argparse.Namespace, settings: Settings) -> int:
    try:
        cases = load_cases(args.file)
    except KnowledgeError as exc:
        _print_problems(exc.problems, sys.stderr)
        return EXIT_INVALID
    report = evaluate(responder, cases, _today(settings, args.today))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()))
    return EXIT_INVALID if report.accuracy < args.min else EXIT_OK


def _days(kb: KnowledgeBase, args: argparse.Namespace, settings: Settings) -> int:
    today = _today(settings, args.today)
    items = upcoming(kb.awareness_days, today, args.limit)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": o.day.id,
                        "name": o.day.name["en"],
                        "date": o.date.isoformat(),
                        "days_until": o.days_until,
                        "sources": list(o.day.sources),
                    }
                    for o in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    from bot.dates import countdown, format_date

    for o in items:
        print(f"{format_date(o.date)} ({countdown(o.days_until)}): {o.day.name['en']}")
    return EXIT_OK


def _run(settings: Settings) -> int:
    if settings.token is None:
        print(TELEGRAM_NOT_CONFIGURED, file=sys.stderr)
        return EXIT_USAGE
    # `docker stop` while starting: leave quietly (PTB installs its own handler once running).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Every record and reference is checked as it loads; the slower collision check between
    # phrasings is a curators' check (`oscebot validate`, CI, the image build), not a reason
    # to keep people waiting at every restart.
    try:
        kb = load_knowledge(settings.knowledge_dir, _cache(settings))
        if (settings.knowledge_dir / EXEMPLARS_FILE).exists():  # a test base may have none
            load_exemplars(settings.knowledge_dir, _cache(settings))
    except (KnowledgeError, ExemplarError) as exc:
        print("The bot will not start: the knowledge base is invalid.", file=sys.stderr)
        problems = exc.problems if isinstance(exc, KnowledgeError) else [str(exc)]
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    existed = settings.db_path.exists()
    store = open_store(settings)
    if store is None:
        return EXIT_USAGE
    if not existed:
        print(
            f"Note: there was no database at {settings.db_path}, so a new, empty one was created "
            "(no subscriptions yet). If you expected one, check OSCEBOT_DB and the volume mount.",
            file=sys.stderr,
        )
    from bot.telegram.app import run_bot

    try:
        return run_bot(settings, _responder(kb, settings), store)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `oscebot` and `python -m bot`."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # whoever read the output has gone (`oscebot ask ... | head -1`): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    command = args.command
    if command is None:
        command = "run" if settings.token is not None else "chat"
        args.today = None
    if command == "run":
        return _run(settings)
    if command == "validate":
        return _validate(args, settings)
    if command == "misses":
        return misses(settings, args.limit)
    if command == "health":
        return health(settings)
    kb = _load(settings)
    if kb is None:
        return EXIT_INVALID
    if command == "days":
        return _days(kb, args, settings)
    responder = (
        _responder(kb, settings)
        if command in SAFETY_COMMANDS
        else Responder(kb, cache=_cache(settings))
    )
    if command == "chat":
        language = getattr(args, "language", SOURCE_LANGUAGE)
        return run_console(responder, lambda: _today(settings, args.today), language)
    if command == "ask":
        return _ask(responder, args, settings)
    if command == "kb":
        return _kb(responder, args.json)
    if command == "eval":
        return _eval(responder, args, settings)
    if command == "announce":
        return announce(responder, args, settings)
    raise AssertionError(f"unhandled command {command}")  # pragma: no cover
