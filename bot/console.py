"""The offline console (`oscebot chat`): the same answers as Telegram, read and printed in a
terminal. The Telegram commands that make sense offline work; the rest need a chat or a group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.answers import Reply
from bot.commands import ABOUT, COMMANDS, WELCOME, privacy_text, sources_text
from bot.day_replies import day_reply, days_reply, next_day_reply
from bot.i18n import N_, SOURCE_LANGUAGE, translations
from bot.responder import Responder

CONSOLE_BANNER = N_(
    "oscebot console: ask about the OSCE's work against trafficking in human beings.\n"
    "Type a question, or the number of a suggestion. /help lists the commands; quit leaves."
)
CONSOLE_COMMANDS = ("start", "help", "days", "next", "day", "quote", "sources", "about", "privacy")
"""The Telegram commands that make sense offline (the rest need a chat or a group)."""
CONSOLE_QUIT = frozenset({"quit", "exit", "/quit", "/exit", "q", ":q"})
CONSOLE_DAYS = 5
CONSOLE_MAX_DAYS = 20


def run_console(
    responder: Responder, today: Callable[[], dt.date], language: str = SOURCE_LANGUAGE
) -> int:
    """Read questions and commands until quit or end of input; exit code 0. `language`: the
    interface's (pages, /days); each question is answered in its own language."""
    print(translations(language).gettext(CONSOLE_BANNER))
    last_suggestions: tuple[str, ...] = ()
    while True:
        try:
            line = input("> ")
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print()
            return 0
        day = today()
        choice = line.strip()
        if choice.lower() in CONSOLE_QUIT:
            return 0
        if choice.isdigit() and 1 <= int(choice) <= len(last_suggestions):
            reply = responder.reply_to_intent(last_suggestions[int(choice) - 1], day)
        else:
            reply = console_reply(responder, line, day, language)
        if reply is None:  # pragma: no cover - suggestions always name existing entries
            continue
        print(reply.text)
        for suggestion in reply.related:
            print(f"  Related: {suggestion.question}")
        last_suggestions = tuple(s.intent for s in reply.suggestions)
        print()


def console_help(language: str = SOURCE_LANGUAGE) -> str:
    """/help in the console: the offline commands, from the one command table."""
    _ = translations(language).gettext
    lines = [f"/{c.name}: {_(c.description)}" for c in COMMANDS if c.name in CONSOLE_COMMANDS]
    return (
        _(
            "Ask anything about the OSCE's work against trafficking in human beings, in your "
            "own words, in English or Russian, or type the number of a suggestion."
        )
        + "\n\n"
        + "\n".join(lines)
        + "\n"
        + _("quit (or Ctrl-D): leave the console")
        + "\n\n"
        + _(
            "Where to get help: in immediate danger, call 112 (the European emergency number) "
            'or the local emergency number. Ask me "hotline" for the numbers in my sources.'
        )
    )


def _page(text: str, language: str) -> Reply:
    return Reply("", "smalltalk", None, 100.0, text, language=language)


def console_reply(
    responder: Responder, line: str, day: dt.date, language: str = SOURCE_LANGUAGE
) -> Reply:
    """The Telegram commands that make sense offline; anything else is a question."""
    command, _sep, rest = line.strip().partition(" ")
    command = command.lower().split("@", 1)[0]
    _ = translations(language).gettext
    if command == "/start":
        return _page(_(WELCOME), language)
    if command == "/help":
        return _page(console_help(language), language)
    if command == "/about":
        return _page(_(ABOUT), language)
    if command == "/privacy":
        return _page(privacy_text(record_misses=False, language=language), language)
    if command == "/sources":
        return _page(sources_text(responder.kb, language=language), language)
    if command == "/days":
        count = int(rest) if rest.strip().isdigit() and len(rest.strip()) <= 3 else CONSOLE_DAYS
        return days_reply(responder, day, max(1, min(count, CONSOLE_MAX_DAYS)), language)
    if command == "/next":
        return next_day_reply(responder, day, language)
    if command == "/day":
        return day_reply(responder, rest, day, language)
    if command == "/quote":
        return responder.quote(rest, day)
    if command.startswith("/") and command[1:].isidentifier():
        unknown = _("Sorry, {command} is not a console command. /help lists them.")
        return _page(unknown.format(command=command), language)
    return responder.reply(line, day, user_language=language)
