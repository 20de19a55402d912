"""Checks that run before every handler: other bots are ignored, and a user who floods the
bot gets one polite notice and then silence until the window has room (bot.flood).

Counted: private messages, button presses and commands in groups. Plain group chatter is not
counted (the bot ignores it anyway), and membership changes and migrations always go through,
so a flood can never cost a group its subscription. Inline queries have a gate of their own
with a higher limit: a client sends one per keystroke or two, so a single search would
otherwise use up the chat allowance and leave the user's private messages unanswered. An
inline query over its limit gets an empty answer at once rather than none.

At DEBUG each update is logged as it arrives: its id, its type and the chat type, nothing more.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.flood import FloodGate, Verdict
from bot.telegram.handlers import Context

log = logging.getLogger(__name__)

INLINE_LIMIT = 60
"""Inline queries a user may send per window: several searches typed a keystroke at a time."""
SLOW_DOWN = (
    "You are sending messages faster than I can answer. Please wait a moment, then ask again."
)


class Guard:
    """The first handler group: may stop an update before any other handler sees it."""

    def __init__(
        self,
        gate: FloodGate,
        operators: frozenset[int],
        monotonic: Callable[[], float] = time.monotonic,
        inline_gate: FloodGate | None = None,
    ) -> None:
        self.gate = gate
        self.inline_gate = inline_gate or FloodGate(limit=INLINE_LIMIT)
        self.operators = operators
        self._now = monotonic

    async def check(self, update: Update, context: Context) -> None:
        """Stop updates from bots and from users over their limit."""
        if log.isEnabledFor(logging.DEBUG):  # finding the update's type costs a lookup per type
            chat = update.effective_chat
            log.debug(
                "update=%s received type=%s chat=%s",
                update.update_id,
                _update_type(update),
                chat.type if chat else "-",
            )
        user = update.effective_user
        if user is None or not _counted(update):
            return
        if user.is_bot and not _anonymous_admin(update):
            raise ApplicationHandlerStop
        if user.id in self.operators:
            return
        if update.inline_query is not None:
            if self.inline_gate.check(user.id, self._now()) is Verdict.ALLOW:
                return
            log.info("update=%s inline flood", update.update_id)
            await _empty_inline_answer(update)
            raise ApplicationHandlerStop
        verdict = self.gate.check(user.id, self._now())
        if verdict is Verdict.ALLOW:
            return
        log.info("update=%s flood=%s", update.update_id, verdict.value)
        if verdict is Verdict.NOTICE:
            await _notify(update)
        raise ApplicationHandlerStop


def _anonymous_admin(update: Update) -> bool:
    """Anonymous group admins write as the group itself, through Telegram's own bot account."""
    message = update.message
    return (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == message.chat.id
    )


def _update_type(update: Update) -> str:
    return next((str(kind) for kind in Update.ALL_TYPES if getattr(update, kind, None)), "-")


def _counted(update: Update) -> bool:
    if update.callback_query is not None or update.inline_query is not None:
        return True
    message = update.message
    if message is None:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    return bool(message.text and message.text.startswith("/"))


async def _empty_inline_answer(update: Update) -> None:
    assert update.inline_query is not None
    try:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    except TelegramError as exc:
        log.warning("could not answer a throttled inline query: %s", type(exc).__name__)


async def _notify(update: Update) -> None:
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(SLOW_DOWN)
        elif update.message is not None and update.message.chat.type == ChatType.PRIVATE:
            await update.message.reply_text(SLOW_DOWN, parse_mode=None)
    except TelegramError as exc:
        log.warning("could not send the slow-down notice: %s", type(exc).__name__)
