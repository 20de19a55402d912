"""Awareness-day commands: /days [N], /next, /day NAME and /calendar (an .ics file)."""

from __future__ import annotations

import datetime as dt

from telegram import InputFile, Message, Update
from telegram.constants import ChatType

from bot.announcement import zone as zone_named
from bot.calendar_ics import calendar_ics
from bot.day_replies import day_reply, days_reply, next_day_reply
from bot.i18n import N_, translations
from bot.store import Store
from bot.telegram.handlers import Clock, Context, Handlers, language_of

DEFAULT_DAYS = 5
MAX_DAYS = 20
CALENDAR_FILENAME = "awareness-days.ics"
CALENDAR_CAPTION = N_(
    "Every awareness day as a yearly all-day event. Open the file to add them to your calendar."
)


class DayCommands:
    """The awareness-day commands; replies go through the shared `Handlers.send`.

    "Today" is taken in the chat's own time zone when the chat has subscribed with one.
    """

    def __init__(self, handlers: Handlers, clock: Clock, store: Store) -> None:
        self.handlers = handlers
        self.clock = clock
        self.store = store

    def today(self, chat_id: int) -> dt.date:
        """Today in the chat's time zone (its subscription's), else the bot's."""
        subscription = self.store.subscription(chat_id)
        fallback = self.handlers.timezone
        zone = zone_named(subscription.timezone, fallback) if subscription else fallback
        return self.clock().astimezone(zone).date()

    async def days(self, update: Update, context: Context) -> None:
        """/days [N]: the next N awareness days (default 5, at most 20)."""
        message = update.effective_message
        if message is None:
            return
        arg = context.args[0] if context.args else ""
        limit = int(arg) if arg.isdigit() and len(arg) <= 3 else DEFAULT_DAYS
        responder = self.handlers.responder
        language = language_of(update)
        today = self.today(message.chat.id)
        reply = days_reply(responder, today, max(1, min(limit, MAX_DAYS)), language)
        await self.handlers.send(message, reply, quote=_in_group(message))

    async def next(self, update: Update, context: Context) -> None:
        """/next: the next awareness day in full."""
        message = update.effective_message
        if message is not None:
            today = self.today(message.chat.id)
            reply = next_day_reply(self.handlers.responder, today, language_of(update))
            await self.handlers.send(message, reply, quote=_in_group(message))

    async def day(self, update: Update, context: Context) -> None:
        """/day NAME: one awareness day by name or date."""
        message = update.effective_message
        if message is not None:
            query = " ".join(context.args or [])
            today = self.today(message.chat.id)
            reply = day_reply(self.handlers.responder, query, today, language_of(update))
            await self.handlers.send(message, reply, quote=_in_group(message))

    async def calendar(self, update: Update, context: Context) -> None:
        """/calendar: every awareness day as an .ics file."""
        message = update.effective_message
        if message is None:
            return
        stamp = self.clock().astimezone(dt.UTC)
        language = language_of(update)
        data = calendar_ics(self.handlers.responder.kb, stamp=stamp, language=language)
        await message.reply_document(
            InputFile(data, filename=CALENDAR_FILENAME),
            caption=translations(language).gettext(CALENDAR_CAPTION),
            parse_mode=None,
        )


def _in_group(message: Message) -> bool:
    """In a group a reply quotes the command, so it is clear whom it answers."""
    return message.chat.type != ChatType.PRIVATE
