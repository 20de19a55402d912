"""Operator commands (users listed in OSCEBOT_ADMINS): /announce_preview and /reload.

Everyone else gets a polite refusal. Operators use them in a private chat with the bot, so
a preview is never posted to a group.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType

from bot.announcement import announcement, next_announcement_year
from bot.commands import OPERATORS_ONLY
from bot.live import LiveKnowledge
from bot.telegram.handlers import Context, Handlers

log = logging.getLogger(__name__)

PRIVATE_ONLY = "Please send operator commands to me in a private chat."
NO_ANNOUNCEMENT = (
    "The knowledge base has no announcement for {year}: add one to announcements.yaml."
)
PREVIEW_INTRO = "Preview of the 30 July {year} announcement (sent only to you):"


class OperatorCommands:
    """Commands only the operators may use."""

    def __init__(self, handlers: Handlers, live: LiveKnowledge, operators: frozenset[int]) -> None:
        self.handlers = handlers
        self.live = live
        self.operators = operators

    async def _allowed(self, update: Update) -> bool:
        message = update.effective_message
        user = update.effective_user
        if message is None:
            return False
        if user is None or user.id not in self.operators:
            log.info("update=%s operator command refused", update.update_id)
            await message.reply_text(OPERATORS_ONLY, parse_mode=None)
            return False
        if message.chat.type != ChatType.PRIVATE:
            await message.reply_text(PRIVATE_ONLY, parse_mode=None)
            return False
        return True

    async def announce_preview(self, update: Update, context: Context) -> None:
        """/announce_preview: this year's announcement, exactly as groups will get it."""
        if not await self._allowed(update):
            return
        message = update.effective_message
        assert message is not None
        today = self.handlers.today()
        responder = self.live.responder
        year = next_announcement_year(responder.kb, today)
        reply = announcement(responder, year)
        if reply is None:
            await message.reply_text(NO_ANNOUNCEMENT.format(year=year), parse_mode=None)
            return
        await message.reply_text(PREVIEW_INTRO.format(year=year), parse_mode=None)
        await self.handlers.send(message, reply)

    async def reload(self, update: Update, context: Context) -> None:
        """/reload: re-read the knowledge base; keep the old one if the new one is invalid."""
        if not await self._allowed(update):
            return
        message = update.effective_message
        assert message is not None
        # built off the event loop (two matchers take seconds): other chats are answered by
        # the old knowledge base meanwhile, and the new one is swapped in whole when ready
        swapped, report = await asyncio.to_thread(self.live.reload)
        log.info("update=%s reload swapped=%s", update.update_id, swapped)
        for chunk in _chunks(report):
            await message.reply_text(chunk, parse_mode=None)


def _chunks(text: str, limit: int = 4000) -> list[str]:
    return [text[i : i + limit] for i in range(0, len(text), limit)] or [""]
