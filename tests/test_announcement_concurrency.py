"""The 30 July announcement with several sends in flight at once, against the fake Bot API
server holding each request (its latency) until the test lets it through.

Each test checks that concurrency keeps the promises of sending one at a time: every group
gets exactly one announcement, a 429 pauses every start, a group's messages go one after
another, a database failure claims nothing more, and a crash leaves unconfirmed exactly the
sends that were in flight, which the next run names and does not send again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from functools import partial

import pytest
from telegram import Bot

import bot.telegram.announce as announce_module
from bot.responder import Responder
from bot.store import Delivery, Store
from bot.telegram.announce import MAX_IN_FLIGHT, UNCONFIRMED_ADVICE, Announcer
from bot.telegram.formatting import split_html
from bot.telegram.pacing import FloodWait
from tests.fake_bot_api import FakeBotApi
from tests.test_announcement_e2e import (
    VIENNA,
    announcements_in,
    clock_at,
    groups_with_subscriptions,
    wiring_for,
)

GROUPS = 30
HELD = 3600.0
"""A latency longer than any test: requests wait at the server until it is shortened."""


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # as in test_announcement_e2e


def sends_at_the_server(server: FakeBotApi) -> list[int]:
    """The chats whose sendMessage requests the server holds now."""
    return sorted(
        params["chat_id"] for method, params in server.in_flight if method == "sendMessage"
    )


def claims_without_outcome(store: Store) -> list[int]:
    return sorted(chat for chat, state in store.ledger(2027).items() if state is Delivery.SENDING)


def record_claims(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, int]]:
    """(time.monotonic(), chat) of every claim the announcer makes, in order."""
    claims: list[tuple[float, int]] = []
    claim = store.claim

    def recorded(chat_id: int, year: int, now: dt.datetime) -> bool:
        claims.append((time.monotonic(), chat_id))
        return claim(chat_id, year, now)

    monkeypatch.setattr(store, "claim", recorded)
    return claims


async def test_sends_overlap_up_to_the_limit_and_each_group_gets_one_message(
    fake_bot_api: FakeBotApi, mini: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = fake_bot_api
    store = Store.in_memory()
    groups = groups_with_subscriptions(server, store, GROUPS)
    claims = record_claims(store, monkeypatch)
    wiring = wiring_for(server, mini, store, clock_at(2027, 7, 30, 9, 0))
    async with wiring.application:
        await server.set_latency(HELD)  # after the start-up's getMe
        run = asyncio.create_task(wiring.announcer.run(wiring.application.bot))
        await server.wait_for(lambda: len(sends_at_the_server(server)) == MAX_IN_FLIGHT)
        # The limit is reached: nothing more is claimed or sent until an answer comes.
        assert claims_without_outcome(store) == sends_at_the_server(server)
        assert [chat for _, chat in claims] == sorted(g.id for g in groups)[:MAX_IN_FLIGHT]
        assert all(announcements_in(server, g.id) == 0 for g in groups)
        await server.set_latency(0)
        [report] = await run
    assert [announcements_in(server, g.id) for g in groups] == [1] * GROUPS
    assert sorted(report.sent) == sorted(g.id for g in groups)
    assert [chat for _, chat in claims] == sorted(g.id for g in groups)  # started in turn
    assert set(store.ledger(2027).values()) == {Delivery.SENT}
    assert server.peak_in_flight == MAX_IN_FLIGHT  # never more than the limit


async def test_a_long_announcement_goes_part_after_part_in_each_group(
    fake_bot_api: FakeBotApi, mini: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under Telegram's limit per group (enforced by the server): a group's parts never
    overlap and arrive in order while groups go in parallel, and none is refused with a 429.
    (The server holds the first sends, then answers them at once: its limit overall, which
    counts them as they are answered, would see a burst no client sent, so it is off here.)"""
    server = fake_bot_api
    monkeypatch.setattr(announce_module, "split_html", partial(split_html, limit=120))
    store = Store.in_memory()
    groups = groups_with_subscriptions(server, store, 12)
    server.enforce_limits(global_per_second=None, per_group_per_minute=20)
    wiring = wiring_for(server, mini, store, clock_at(2027, 7, 30, 9, 0), rate=25.0)
    async with wiring.application:
        await server.set_latency(HELD)  # after the start-up's getMe
        run = asyncio.create_task(wiring.announcer.run(wiring.application.bot))
        await server.wait_for(lambda: len(sends_at_the_server(server)) == MAX_IN_FLIGHT)
        await server.set_latency(0)
        [report] = await run
    assert len(report.sent) == 12
    parts = [[m["text"] for m in server.messages_in(g.id)] for g in groups]
    assert len(parts[0]) > 1 and all(p == parts[0] for p in parts)
    assert "\n".join(parts[0]).startswith("Today is the World Day")
    assert all(server.peak_in_flight_per_chat[g.id] == 1 for g in groups)
    assert [r for r in server.requests if r.status == 429] == []


@pytest.mark.parametrize("limiter", [True, False], ids=["rate-limiter", "bare-bot"])
async def test_a_429_pauses_every_start_not_only_that_send(
    fake_bot_api: FakeBotApi, mini: Responder, monkeypatch: pytest.MonkeyPatch, limiter: bool
) -> None:
    """With the rate limiter, it retries the refused send itself; without, the announcer gets
    the 429, gives the claim back and sends again. Either way no chat is claimed from the
    moment the bot hears the 429 until its retry_after is over."""
    server = fake_bot_api
    store = Store.in_memory()
    groups = groups_with_subscriptions(server, store, GROUPS)
    throttled = sorted(groups, key=lambda g: g.id)[5]
    server.fail_next("sendMessage", "retry_after", chat_id=throttled, retry_after=1)
    await server.set_latency(0.02)  # other sends are in flight when the 429 comes
    claims = record_claims(store, monkeypatch)
    waits: list[tuple[float, float]] = []
    note = FloodWait.note

    def noted(flood: FloodWait, exc: object) -> None:
        note(flood, exc)  # type: ignore[arg-type]
        waits.append((time.monotonic(), flood.until))

    monkeypatch.setattr(FloodWait, "note", noted)
    clock = clock_at(2027, 7, 30, 9, 0)
    wiring = wiring_for(server, mini, store, clock)
    async with wiring.application:
        if limiter:
            [report] = await wiring.announcer.run(wiring.application.bot)
        else:
            announcer = Announcer(
                wiring.live,
                store,
                default_zone=VIENNA,
                send_at=dt.time(9, 0),
                operators=frozenset(),
                clock=clock,
                messages_per_second=200.0,
            )
            async with Bot(server.token, base_url=server.base_url) as bare:
                [report] = await announcer.run(bare)
    assert waits, "the 429 reached the flood wait"
    for heard, until in waits:
        assert not any(heard <= at < until for at, _ in claims)
    assert [announcements_in(server, g.id) for g in groups] == [1] * GROUPS
    assert sorted(report.sent) == sorted(g.id for g in groups)
    assert len([r for r in server.requests if r.status == 429]) == 1
    claimed_twice = [
        chat for chat in {c for _, c in claims} if [c for _, c in claims].count(chat) > 1
    ]
    assert claimed_twice == ([] if limiter else [throttled.id])


async def test_a_database_failure_with_sends_in_flight_lets_them_finish_and_claims_nothing_more(
    fake_bot_api: FakeBotApi, mini: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = fake_bot_api
    store = Store.in_memory()
    groups = groups_with_subscriptions(server, store, GROUPS)
    claim = store.claim
    claims: list[int] = []
    failed = asyncio.Event()

    def claim_on_a_file_system_turning_read_only(chat_id: int, year: int, now: dt.datetime) -> bool:
        claims.append(chat_id)
        if len(claims) == MAX_IN_FLIGHT:  # the others are in flight
            store._db.execute("PRAGMA query_only = 1")
            failed.set()
        return claim(chat_id, year, now)

    monkeypatch.setattr(store, "claim", claim_on_a_file_system_turning_read_only)
    wiring = wiring_for(server, mini, store, clock_at(2027, 7, 30, 9, 0))
    async with wiring.application:
        await server.set_latency(HELD)  # after the start-up's getMe
        bot = wiring.application.bot
        run = asyncio.create_task(wiring.announcer.run(bot))
        await failed.wait()
        await server.wait_for(lambda: len(sends_at_the_server(server)) == MAX_IN_FLIGHT - 1)
        in_flight = sends_at_the_server(server)
        store._db.execute("PRAGMA query_only = 0")  # their outcomes can be recorded again
        await server.set_latency(0)
        [report] = await run
        assert report.stopped is not None and "is read-only" in report.stopped
        assert sorted(report.sent) == in_flight  # the sends in flight finished
        assert report.not_reached == GROUPS - len(in_flight)
        assert len(claims) == MAX_IN_FLIGHT  # none after the failure
        assert store.ledger(2027) == dict.fromkeys(in_flight, Delivery.SENT)
        assert [announcements_in(server, g.id) for g in groups] == [
            int(g.id in in_flight) for g in groups
        ]
        [after] = await wiring.announcer.run(bot)
    assert after.stopped is None and len(after.sent) == GROUPS - len(in_flight)
    assert [announcements_in(server, g.id) for g in groups] == [1] * GROUPS


async def test_a_crash_with_sends_in_flight_leaves_exactly_those_unconfirmed(
    fake_bot_api: FakeBotApi, mini: Responder
) -> None:
    """The run is cancelled (the process dies) while MAX_IN_FLIGHT sends wait at the server:
    their claims stay without an outcome, no other chat has one, and after the restart the
    report names each of them and the run sends to every other chat but not to them."""
    server = fake_bot_api
    store = Store.in_memory()
    groups = groups_with_subscriptions(server, store, GROUPS)
    operator = server.add_user(first_name="Operator")
    server.private_chat(operator)
    clock = clock_at(2027, 7, 30, 9, 0)
    crashing = wiring_for(server, mini, store, clock)
    async with crashing.application:
        await server.set_latency(HELD)  # after the start-up's getMe
        run = asyncio.create_task(crashing.announcer.run(crashing.application.bot))
        await server.wait_for(lambda: len(sends_at_the_server(server)) == MAX_IN_FLIGHT)
        in_flight = sends_at_the_server(server)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
    assert claims_without_outcome(store) == in_flight
    assert len(in_flight) <= MAX_IN_FLIGHT
    assert set(store.ledger(2027)) == set(in_flight)  # nobody else was claimed
    # The requests the dead process sent still reach Telegram, which posts them; their answers
    # go nowhere.
    await server.set_latency(0)
    await server.wait_for(lambda: not sends_at_the_server(server))
    restarted = wiring_for(
        server, mini, store, clock_at(2027, 7, 30, 9, 5), admins=frozenset({operator.id})
    )
    async with restarted.application:
        [report] = await restarted.announcer.run(restarted.application.bot)
    assert report.unconfirmed == in_flight
    assert sorted(report.sent) == sorted(g.id for g in groups if g.id not in in_flight)
    told = server.messages_in(operator.id)[-1]["text"]
    assert f"unconfirmed, may have arrived ({UNCONFIRMED_ADVICE}): {len(in_flight)}" in told
    [named] = [line for line in told.splitlines() if line.startswith("unconfirmed chats: ")]
    assert sorted(int(c) for c in named.removeprefix("unconfirmed chats: ").split(", ")) == (
        in_flight
    )
    assert [requests_to(server, g.id) for g in groups] == [1] * GROUPS  # none sent again
    assert [announcements_in(server, g.id) for g in groups] == [1] * GROUPS


def requests_to(server: FakeBotApi, chat_id: int) -> int:
    return sum(
        1 for r in server.requests if r.method == "sendMessage" and r.params["chat_id"] == chat_id
    )
