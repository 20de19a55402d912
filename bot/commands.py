"""The one table of commands, and the fixed pages (/start, /help, /about, /privacy, /sources).

The Telegram command menu, /help and the README's command list all come from `COMMANDS`;
a test checks that they agree. Pure text: no Telegram here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.dates import format_partial_date
from bot.i18n import N_, SOURCE_LANGUAGE, translations
from bot.knowledge import KnowledgeBase

Scope = str
PRIVATE = "private"
GROUP = "group"
ADMIN = "admin"
"""Group administrators: they also see the group commands."""
OPERATOR = "operator"
"""OSCEBOT_ADMINS, in their private chat: they also see the private commands."""


@dataclass(frozen=True)
class Command:
    """A bot command: its name, what the menu says, and the menus (scopes) it belongs in."""

    name: str
    description: str
    scopes: frozenset[Scope]
    in_help: bool = True
    """Listed in /help (not /start and /help themselves)."""

    @property
    def operator(self) -> bool:
        """Only for OSCEBOT_ADMINS: in their menu, not in anyone else's or in /help."""
        return self.scopes == {OPERATOR}

    @property
    def in_groups(self) -> bool:
        """Works in groups (for members or for admins)."""
        return bool(self.scopes & {GROUP, ADMIN})


_BOTH = frozenset({PRIVATE, GROUP})
COMMANDS: tuple[Command, ...] = (
    Command("start", N_("What this bot is and how to ask"), frozenset({PRIVATE}), in_help=False),
    Command("help", N_("How to use the bot, and where to get help"), _BOTH, in_help=False),
    Command("ask", N_("Ask in a group: /ask QUESTION, or reply with /ask"), frozenset({GROUP})),
    Command("days", N_("The next awareness days: /days 10"), _BOTH),
    Command("next", N_("The next awareness day in full"), _BOTH),
    Command("day", N_("One awareness day: /day EU day"), _BOTH),
    Command("calendar", N_("All awareness days as a calendar file"), _BOTH),
    Command("quote", N_("A quote: /quote Johnstone"), _BOTH),
    Command("sources", N_("Where my answers come from"), frozenset({PRIVATE})),
    Command("about", N_("About this bot"), frozenset({PRIVATE})),
    Command("privacy", N_("What I keep (nothing about you)"), frozenset({PRIVATE})),
    Command(
        "subscribe",
        N_("Post the 30 July message here: /subscribe Europe/Vienna"),
        frozenset({ADMIN}),
    ),
    Command("unsubscribe", N_("Stop the 30 July message"), frozenset({ADMIN})),
    Command("announce_preview", N_("Preview this year's 30 July message"), frozenset({OPERATOR})),
    Command("reload", N_("Re-read the knowledge base"), frozenset({OPERATOR})),
)


def menu(scope: Scope) -> tuple[Command, ...]:
    """The commands one menu shows: admins see the group's too, operators the private ones."""
    wanted = (
        {scope}
        | ({GROUP} if scope == ADMIN else set())
        | ({PRIVATE} if scope == OPERATOR else set())
    )
    return tuple(c for c in COMMANDS if c.scopes & wanted and c.name != "start")


DESCRIPTION = N_(
    "I answer questions about the OSCE's work against trafficking in human beings, each with "
    "its source. I give information only: I am not a reporting channel and I cannot take a "
    "case. In immediate danger, call 112 or your local emergency number. See /privacy."
)
SHORT_DESCRIPTION = N_(
    "Sourced answers about the OSCE's work against trafficking in human beings. "
    "Information only, not a reporting channel."
)

WELCOME = N_(
    "Hello! I answer questions about the OSCE's work against trafficking in human beings, "
    "and I give the source of every answer.\n\n"
    "Ask in your own words, for example:\n"
    "• Who is the OSCE Special Representative on trafficking?\n"
    "• When is the World Day against Trafficking in Persons?\n"
    "• What is the non-punishment principle?\n\n"
    "If you or someone else is in immediate danger, call 112 or the local emergency number. "
    "I give information only and cannot report a case."
)

ABOUT = N_(
    "oscebot answers questions about the OSCE's work against trafficking in human beings from "
    "a curated knowledge base in which every fact has a public source: OSCE releases and "
    "pages, UN, Council of Europe and EU texts, and government statements. It is an "
    "independent informational tool, not an official OSCE channel. Answers that can change "
    "say the date they were true. It answers in English and Russian: the Russian answers are "
    "translated from the English sources that each answer names."
)

PRIVACY = N_(
    "What I keep: nothing about you. I do not store or log the text of your messages, your "
    "name or your phone number. Logs hold only technical details (an update number, the "
    "kind of chat, which answer was given, timings). For groups that subscribe to the 30 July "
    "announcement I keep the group's id and time zone, and whether this year's message was "
    "sent.\n\n"
    "If someone might check your phone, you can delete this chat: open the chat menu and "
    "choose Delete chat.\n\n"
    "In immediate danger, call 112 (the European emergency number) or the local emergency "
    "number. I am not a reporting channel and cannot take a case."
)
MISSES_NOTE = N_(
    "\n\nOn this bot the operators have turned on counting of questions I could not answer, "
    "to improve my answers: a shortened form of such a question is counted, with numbers, links "
    "and account names removed and nothing that identifies you or the chat; counts unseen for "
    "90 days are deleted. Messages about danger are never counted."
)


def privacy_text(record_misses: bool, language: str = SOURCE_LANGUAGE) -> str:
    """/privacy, saying so when unanswered questions are being counted."""
    _ = translations(language).gettext
    return _(PRIVACY) + (_(MISSES_NOTE) if record_misses else "")


ADMINS_ONLY = N_("Only this group's admins can change its subscription.")
OPERATORS_ONLY = N_("Sorry, that command is for the bot's operators.")
SUBSCRIBE_IN_PRIVATE = N_(
    "The 30 July announcement is for groups: add me to a group, and a group admin can send "
    "/subscribe there."
)
UNSUBSCRIBED = N_("Done: this chat will no longer get the 30 July announcement.")
NOT_SUBSCRIBED = N_("This chat is not subscribed, so there is nothing to stop.")
GROUP_HELLO = N_(
    "Hello! I answer questions about the OSCE's work against trafficking in human beings, each "
    "with its source. Mention me or reply to my messages to ask; I stay quiet otherwise.\n\n"
    "Admins: send /subscribe to get one message here on 30 July, the World Day against "
    "Trafficking in Persons (optionally with a time zone: /subscribe Europe/Warsaw)."
)


def subscribed_text(
    timezone: str, send_at: str, *, changed: bool, language: str = SOURCE_LANGUAGE
) -> str:
    """The confirmation after /subscribe."""
    _ = translations(language).gettext
    text = (
        _(
            "Updated: on 30 July, the World Day against Trafficking in Persons, I will post one "
            "message here at {time} ({timezone} time). Send /unsubscribe to stop."
        )
        if changed
        else _(
            "Subscribed: on 30 July, the World Day against Trafficking in Persons, I will post "
            "one message here at {time} ({timezone} time). Send /unsubscribe to stop."
        )
    )
    return text.format(time=send_at, timezone=timezone)


def unknown_zone_text(name: str, language: str = SOURCE_LANGUAGE) -> str:
    """/subscribe with a time zone this system does not know."""
    shown = name if len(name) <= 40 else name[:39] + "…"
    return (
        translations(language)
        .gettext(
            "I don't know the time zone {name}. Use a name like Europe/Vienna, Europe/Kyiv or "
            "Asia/Almaty, or send /subscribe alone for the default."
        )
        .format(name=repr(shown))
    )


NOT_TEXT = N_(
    "I can only read text. Please type your question, for example: What is the Palermo Protocol?"
)
UNKNOWN_COMMAND = N_("Sorry, I don't know that command. Send /help to see what I can do.")
ASK_USAGE = N_("Send /ask followed by your question, or reply to a message with /ask.")
STALE_BUTTON = N_("Sorry, that button no longer works. Please ask your question again.")
APOLOGY = N_("Sorry, something went wrong on my side. Please try again in a moment.")


def help_text(*, in_group: bool = False, language: str = SOURCE_LANGUAGE) -> str:
    """/help, on one phone screen: how to ask, the commands of this kind of chat, and where
    to get help."""
    _ = translations(language).gettext
    scope = ADMIN if in_group else PRIVATE
    lines = [f"/{c.name}: {_(c.description)}" for c in menu(scope) if c.in_help]
    return (
        _(
            "Ask me about the OSCE's work against trafficking in human beings, in your own "
            "words, in English or Russian. In groups, mention me or reply to me."
        )
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _(
            'In danger? Call 112 or the local emergency number. Ask me "hotline" for the '
            "numbers in your country."
        )
    )


def sources_text(kb: KnowledgeBase, limit: int = 25, language: str = SOURCE_LANGUAGE) -> str:
    """/sources: the official sources first, then the rest, most recent first."""
    order = {"osce": 0, "un": 1, "coe": 2, "eu": 3, "gov": 4, "secondary": 5}
    ranked = sorted(
        kb.sources.values(),
        key=lambda s: (order[s.kind], "" if s.date is None else s.date),
    )
    ranked = sorted(ranked, key=lambda s: order[s.kind])
    _ = translations(language).gettext
    lines = []
    for source in ranked[:limit]:
        when = format_partial_date(source.date, language) if source.date else _("n.d.")
        lines.append(f"• {source.title} ({source.publisher}, {when})")
    more = len(kb.sources) - min(limit, len(kb.sources))
    tail = "\n" + _("…and {count} more; each answer names its own.").format(count=more)
    return (
        _("My answers rest on {count} public sources. Some of them:").format(count=len(kb.sources))
        + "\n"
        + "\n".join(lines)
        + (tail if more > 0 else "")
    )
