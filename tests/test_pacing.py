"""Telegram's flood limits: after a 429 no request goes out until its `retry_after` is over,
even when another request finishes meanwhile (which lifts AIORateLimiter's own halt)."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.pacing import FloodWait, HaltingRateLimiter, Pacer, retry_after_seconds

WAIT = dt.timedelta(milliseconds=300)


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB warns when reading it as a number


def test_retry_after_in_seconds() -> None:
    assert retry_after_seconds(RetryAfter(dt.timedelta(seconds=7))) == 7.0
    assert retry_after_seconds(RetryAfter(WAIT)) == pytest.approx(0.3)


async def test_a_429_halts_every_request_though_another_finishes_meanwhile() -> None:
    """A request in flight when the 429 comes finishes during the wait: AIORateLimiter alone
    would let the next request go then; this one holds it until the wait is over."""
    flood = FloodWait()
    limiter = HaltingRateLimiter(flood, max_retries=1)
    refused = asyncio.Event()
    went_out_while_waiting: list[bool] = []
    attempts: list[str] = []

    async def slow(*_: Any) -> bool:
        await refused.wait()  # answered only after the 429
        return True

    async def flooded(*_: Any) -> bool:
        attempts.append("flooded")
        if len(attempts) == 1:
            refused.set()
            raise RetryAfter(WAIT)
        return True

    async def later(*_: Any) -> bool:
        went_out_while_waiting.append(flood.waiting())
        return True

    def request(callback: Any, chat_id: int) -> Any:
        return limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": chat_id}, None)

    in_flight = asyncio.create_task(request(slow, 1))
    retried = asyncio.create_task(request(flooded, 2))
    assert await in_flight is True
    assert flood.waiting()  # the 429 was noted
    assert await request(later, 3) is True
    assert await retried is True
    assert attempts == ["flooded", "flooded"]
    assert went_out_while_waiting == [False]


async def test_turns_keep_their_order_when_the_machine_stalls() -> None:
    """A caller whose turn is already past when it asks (the loop was blocked) must not go
    before an earlier caller still asleep until its own, earlier turn: the announcement's
    claims go out in the order the groups were taken."""
    pacer = Pacer(per_second=1000, flood=FloodWait())
    order: list[int] = []

    async def caller(n: int) -> None:
        await pacer.turn()
        order.append(n)

    first = [asyncio.create_task(caller(n)) for n in (0, 1)]
    await asyncio.sleep(0)  # 0 goes at once; 1 books the next turn, a millisecond on, and sleeps
    time.sleep(0.05)  # noqa: ASYNC251 - on purpose: the machine stalls, blocking the loop
    later = [asyncio.create_task(caller(n)) for n in range(2, 6)]
    await asyncio.gather(*first, *later)
    assert order == [0, 1, 2, 3, 4, 5]
