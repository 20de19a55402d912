"""Keeping the bot's sends within Telegram's flood limits: a 429 halts every request until its
`retry_after` has passed, and the announcement starts its sends at a steady pace.

A 429 (RetryAfter) means Telegram wants no more messages from the bot for that long, not only
the one it refused. PTB's AIORateLimiter documents that it halts all requests then, but any
other request that finishes meanwhile lifts the halt (python-telegram-bot issue #5338), as
happens whenever requests overlap: answers to users during the announcement, or several sends
of the announcement in flight at once. So one `FloodWait` per bot holds the time the last 429
allows sending again: `HaltingRateLimiter` notes every 429 it meets and holds every request
until then, and the announcement's `Pacer` starts nothing before then.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

Answer = bool | dict[str, Any] | list[dict[str, Any]]
"""What PTB's request callback gives back (its JSONDict types are private)."""


def retry_after_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked the bot to wait."""
    # PTB 22 warns when retry_after is read as a number unless PTB_TIMEDELTA is set; the
    # value is the same either way.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: float | dt.timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class FloodWait:
    """Until when (time.monotonic) Telegram's last 429 asked the bot to send nothing."""

    def __init__(self) -> None:
        self.until = 0.0

    def note(self, exc: RetryAfter) -> None:
        """A 429: nothing more goes out until its `retry_after` has passed (a later end wins)."""
        self.until = max(self.until, time.monotonic() + retry_after_seconds(exc))

    def waiting(self) -> bool:
        """Whether a 429's wait is still running."""
        return self.until > time.monotonic()

    async def over(self) -> None:
        """Return once no 429's wait is running (at once when none is)."""
        while self.waiting():
            await _until(self.until)


class HaltingRateLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's overall and per-group limits, retries after a 429) whose halt
    after a 429 holds every request until the `retry_after` is over, and tells `flood` of it."""

    def __init__(self, flood: FloodWait, *, max_retries: int) -> None:
        super().__init__(max_retries=max_retries)
        self.flood = flood

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        """PTB's limits and retries, around a request that waits out any 429 first."""
        flood = self.flood

        async def after_any_flood_wait(*call_args: Any, **call_kwargs: Any) -> Answer:
            await flood.over()
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as exc:
                flood.note(exc)
                raise

        return await super().process_request(
            after_any_flood_wait, args, kwargs, endpoint, data, rate_limit_args
        )


class Pacer:
    """Turns to start a send, `1 / per_second` apart in the order asked for, none of them
    while a 429's wait is running."""

    def __init__(self, per_second: float, flood: FloodWait) -> None:
        self._interval = 1.0 / per_second
        self._flood = flood
        self._next = 0.0
        self._last: asyncio.Future[None] | None = None
        """The latest caller's turn, done once it has returned (or given up)."""

    async def turn(self) -> None:
        """Wait for this caller's turn. A turn is booked before waiting, and a caller returns
        only after every earlier caller has, so callers go in the order they asked, even when
        the machine stalls past several turns at once; one whose turn comes during a 429's
        wait books again after it."""
        earlier = self._last
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last = mine
        try:
            while True:
                slot = max(time.monotonic(), self._next, self._flood.until)
                self._next = slot + self._interval
                await _until(slot)
                if self._flood.until <= slot:  # no 429 came while waiting, or it is over
                    break
            if earlier is not None and not earlier.done():
                await asyncio.shield(earlier)
        finally:
            if not mine.done():
                mine.set_result(None)


async def _until(moment: float) -> None:
    left = moment - time.monotonic()
    if left > 0:
        await asyncio.sleep(left)
