"""Updates of different chats are handled at the same time; those of one chat in order.

PTB handles one update at a time by default: while one reply waits for Telegram's answer (a
round trip of tens of milliseconds from a real server), every other chat waits too, so the
round trip, not the bot's own work, sets the pace. PTB's own concurrent mode has no order at
all: two questions sent quickly in one chat could be answered the wrong way round, and a
group's commands (/subscribe, then /unsubscribe) could overtake each other. Here an update
waits only for the earlier updates of its own chat (or, without a chat, of its user).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

CONCURRENT_UPDATES = 8
"""Updates handled at once, across chats. Measured against the fake Bot API answering after
80 ms, a round trip to Telegram: one at a time, oscebot as deployed answered 10.9 messages/s
(the round trip, not Telegram's 30 per second, set the pace); with 8, 32.3 (the rate limiter
sets it). On loopback, where the bot's one core is the limit, 8 answer as many messages per
second as 1 at ~1 ms more CPU per message, and 16 answered ~18% fewer: the HTTP client's
connection pool costs more per request the more connections it holds."""


def order_key(update: object) -> int | str | None:
    """What an update must keep its order within: its chat, else its user (inline queries),
    else nothing (it may run at any time)."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return f"user:{user.id}" if user is not None else None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs updates concurrently, each chat's (or user's) one after the other, in arrival order.

    PTB starts a task per update in the order the updates arrived and each task asks for its
    chat's lock before anything else can run, so the locks (first come, first served) keep
    that order. The lock of a chat is dropped once no update of it waits, so memory stays
    bounded by the updates in hand.
    """

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | str, asyncio.Lock] = {}
        self._waiting: dict[int | str, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
