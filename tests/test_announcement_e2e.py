"""The 30 July announcement end to end: the real application and announcer over HTTP against
the fake Bot API server, with an injected clock, faults, a killed process and restarts.

Every test checks the one promise: each eligible group gets exactly one announcement.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.announcement import announcement
from bot.responder import Responder
from bot.settings import Secret, Settings
from bot.store import Delivery, Store
from bot.telegram.announce import MAX_IN_FLIGHT, UNCONFIRMED_ADVICE
from bot.telegram.app import Wiring, build
from tests.conftest import MINI_DIR
from tests.fake_bot_api import FakeBotApi, FakeChat

VIENNA = ZoneInfo("Europe/Vienna")
ROOT = Path(__file__).resolve().parent.parent
INTRO = "Today is the World Day against Trafficking in Persons (test)."


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns when it reads RetryAfter.retry_after as a number; the 429s here would turn
    # that warning into an error under -W error.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def clock_at(*moment: int) -> Callable[[], dt.datetime]:
    return lambda: dt.datetime(*moment, tzinfo=VIENNA)  # type: ignore[misc]


def wiring_for(
    server: FakeBotApi,
    responder: Responder,
    store: Store,
    clock: Callable[[], dt.datetime],
    *,
    admins: frozenset[int] = frozenset(),
    announce_every: float | None = None,
    rate: float = 200.0,
) -> Wiring:
    settings = Settings(
        token=Secret(server.token),
        api_base_url=server.base_url,
        knowledge_dir=MINI_DIR,
        timezone=VIENNA,
        admins=admins,
        announce_rate=rate,
    )
    return build(settings, responder, store=store, clock=clock, announce_every=announce_every)


def groups_with_subscriptions(server: FakeBotApi, store: Store, count: int) -> list[FakeChat]:
    admin = server.add_user(first_name="Admin")
    groups = [server.create_group(f"NGO {i}", admins=[admin]) for i in range(count)]
    for group in groups:
        store.subscribe(group.id, "Europe/Vienna", dt.date(2027, 7, 1))
    return groups


def process_env(server: FakeBotApi, database: Path, **extra: str) -> dict[str, str]:
    """The environment of an `oscebot` process talking to the fake server."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "OSCEBOT_KNOWLEDGE": str(MINI_DIR),
        "OSCEBOT_DB": str(database),
        **extra,
    }


def announcements_in(server: FakeBotApi, chat_id: int) -> int:
    return sum(1 for m in server.messages_in(chat_id) if m.get("text", "").startswith(INTRO))


async def test_200_groups_with_429s_403s_and_a_migration(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    server = fake_bot_api
    store = Store.open(tmp_path / "db.sqlite3")
    groups = groups_with_subscriptions(server, store, 200)
    chooser = random.Random(2027)
    picked = chooser.sample(groups, 11)
    throttled, blocked, migrating, flaky = picked[:3], picked[3:8], picked[8], picked[9:]
    for group in throttled:
        server.fail_next("sendMessage", "retry_after", chat_id=group, retry_after=1)
    # A 5xx may hide a posted message: those two stay claimed and are reported, not resent.
    server.fail_next("sendMessage", "server_error", chat_id=flaky[0])
    server.fail_next("sendMessage", "bad_gateway", chat_id=flaky[1])
    for group in blocked:
        server.fail_next("sendMessage", "kicked", chat_id=group)
    supergroup = await server.migrate(migrating)  # the bot has not seen the service messages
    operator = server.add_user(first_name="Operator")
    server.private_chat(operator)
    wiring = wiring_for(
        server, mini, store, clock_at(2027, 7, 30, 9, 0), admins=frozenset({operator.id})
    )
    async with wiring.application:
        bot = wiring.application.bot
        # Two runs at once (two job firings) and then a third: still one message per group.
        first, second = await asyncio.gather(wiring.announcer.run(bot), wiring.announcer.run(bot))
        third = await wiring.announcer.run(bot)
    [report] = first
    assert second == [] and third == []
    eligible = [g for g in groups if g not in blocked and g is not migrating]
    assert all(announcements_in(server, g.id) == (g not in flaky) for g in eligible)
    assert all(announcements_in(server, g.id) == 0 for g in blocked)
    assert announcements_in(server, supergroup.id) == 1
    assert len(report.sent) == 193 and len(report.blocked) == 5
    assert sorted(report.unconfirmed) == sorted(g.id for g in flaky)
    assert report.migrated == [(migrating.id, supergroup.id)]
    subscribed = {s.chat_id for s in store.subscriptions()}
    assert subscribed == {g.id for g in eligible} | {supergroup.id}
    ledger = store.ledger(2027)
    assert sum(state is Delivery.SENT for state in ledger.values()) == 193
    assert all(ledger[g.id] is Delivery.SENDING for g in flaky)
    operator_report = server.messages_in(operator.id)[-1]["text"]
    assert "sent: 193" in operator_report
    assert "blocked or removed (subscription ended): 5" in operator_report


async def test_two_processes_sharing_the_database_never_double_send(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    groups = groups_with_subscriptions(fake_bot_api, Store.open(path), 40)
    clock = clock_at(2027, 7, 30, 9, 30)
    one = wiring_for(fake_bot_api, mini, Store.open(path), clock)
    two = wiring_for(fake_bot_api, mini, Store.open(path), clock)
    async with one.application, two.application:
        await asyncio.gather(
            one.announcer.run(one.application.bot), two.announcer.run(two.application.bot)
        )
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [1] * 40


async def test_a_restart_at_23_30_catches_up_through_the_job(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    store = Store.open(path)
    groups = groups_with_subscriptions(fake_bot_api, store, 10)
    now = dt.datetime(2027, 7, 30, 9, 0, tzinfo=VIENNA)
    for group in groups[:4]:  # sent at 09:00, before the process died
        store.claim(group.id, 2027, now)
        store.record(group.id, 2027, Delivery.SENT, now, message_id=1)
    store.close()
    restarted = wiring_for(
        fake_bot_api, mini, Store.open(path), clock_at(2027, 7, 30, 23, 30), announce_every=0.1
    )
    async with restarted.application:
        await restarted.application.start()
        await fake_bot_api.wait_for(
            lambda: all(announcements_in(fake_bot_api, g.id) for g in groups[4:]), timeout=10
        )
        await restarted.application.stop()
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [0] * 4 + [1] * 6


@pytest.mark.parametrize(
    "moment",
    [(2027, 7, 31, 0, 5), (2027, 7, 30, 8, 59), (2027, 7, 29, 23, 59), (2027, 12, 30, 9, 0)],
)
async def test_nothing_is_sent_outside_the_day_and_hour(
    fake_bot_api: FakeBotApi, mini: Responder, moment: tuple[int, ...]
) -> None:
    store = Store.in_memory()
    groups = groups_with_subscriptions(fake_bot_api, store, 5)
    wiring = wiring_for(fake_bot_api, mini, store, clock_at(*moment))
    async with wiring.application:
        reports = await wiring.announcer.run(wiring.application.bot)
    assert reports == []
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [0] * 5


async def test_claims_left_by_a_crash_are_reported_by_chat_id_and_not_resent(
    fake_bot_api: FakeBotApi, mini: Responder
) -> None:
    store = Store.in_memory()
    groups = groups_with_subscriptions(fake_bot_api, store, 4)
    before = dt.datetime(2027, 7, 30, 9, 0, tzinfo=VIENNA)
    store.claim(groups[0].id, 2027, before)  # the process died with this send in flight
    store.claim(groups[1].id, 2027, before)
    store.record(groups[1].id, 2027, Delivery.SENT, before, message_id=1)
    operator = fake_bot_api.add_user(first_name="Operator")
    fake_bot_api.private_chat(operator)
    wiring = wiring_for(
        fake_bot_api, mini, store, clock_at(2027, 7, 30, 9, 5), admins=frozenset({operator.id})
    )
    async with wiring.application:
        [report] = await wiring.announcer.run(wiring.application.bot)
    assert report.unconfirmed == [groups[0].id]
    assert report.sent_earlier == 1 and sorted(report.sent) == sorted(g.id for g in groups[2:])
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [0, 0, 1, 1]
    told = fake_bot_api.messages_in(operator.id)[-1]["text"]
    assert "sent earlier: 1" in told
    assert f"unconfirmed, may have arrived ({UNCONFIRMED_ADVICE}): 1" in told
    assert f"unconfirmed chats: {groups[0].id}" in told


async def test_a_crash_on_the_last_chat_is_reported_once_though_nobody_is_owed(
    fake_bot_api: FakeBotApi, mini: Responder
) -> None:
    store = Store.in_memory()
    groups = groups_with_subscriptions(fake_bot_api, store, 2)
    before = dt.datetime(2027, 7, 30, 9, 0, tzinfo=VIENNA)
    store.claim(groups[0].id, 2027, before)
    store.record(groups[0].id, 2027, Delivery.SENT, before, message_id=1)
    store.claim(groups[1].id, 2027, before)  # in flight when the process died
    wiring = wiring_for(fake_bot_api, mini, store, clock_at(2027, 7, 30, 9, 5))
    async with wiring.application:
        [report] = await wiring.announcer.run(wiring.application.bot)
        assert await wiring.announcer.run(wiring.application.bot) == []  # told once a process
    assert report.unconfirmed == [groups[1].id] and report.sent == []
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [0, 0]


async def test_a_killed_announce_process_resumes_without_duplicates(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    """SIGKILL while a send is in flight (Telegram holds its answer, then posts it), with the
    others going on meanwhile: the restart names every chat claimed without an outcome (at
    most the sends then in flight), does not send them again, and sends the rest."""
    path = tmp_path / "db.sqlite3"
    store = Store.open(path)
    groups = groups_with_subscriptions(fake_bot_api, store, 30)
    store.close()
    in_flight = sorted(groups, key=lambda g: g.id)[12]  # sends start in chat-id order
    fake_bot_api.fail_next("sendMessage", "timeout", chat_id=in_flight, delay=3.0)
    env = process_env(fake_bot_api, path, OSCEBOT_ANNOUNCE_RATE="10", PTB_TIMEDELTA="true")
    command = [sys.executable, "-m", "bot", "announce", "--date", "2027-07-30"]

    def sent() -> int:
        return sum(announcements_in(fake_bot_api, g.id) for g in groups)

    first = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    await fake_bot_api.wait_for(lambda: sent() >= 12, timeout=30)
    await fake_bot_api.wait_for(lambda: fake_bot_api.pending_faults == 0, timeout=10)
    first.send_signal(signal.SIGKILL)  # the request for `in_flight` has reached the server
    await first.wait()
    assert 12 <= sent() < 30  # it really died in the middle
    left = Store.open(path)
    claims_without_outcome = sorted(
        c for c, st in left.ledger(2027).items() if st is Delivery.SENDING
    )
    left.close()
    assert in_flight.id in claims_without_outcome
    assert len(claims_without_outcome) <= MAX_IN_FLIGHT
    second = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await asyncio.wait_for(second.communicate(), timeout=60)
    assert second.returncode == 0
    report = output.decode()
    assert "delivery report" in report and "unconfirmed, may have arrived" in report
    [named] = [line for line in report.splitlines() if line.startswith("unconfirmed chats: ")]
    assert named == "unconfirmed chats: " + ", ".join(str(c) for c in claims_without_outcome)
    await fake_bot_api.wait_for(lambda: announcements_in(fake_bot_api, in_flight.id), timeout=10)
    # Once each; a chat claimed whose request the killed process had not sent yet has none.
    for group in groups:
        expected = {0, 1} if group.id in claims_without_outcome else {1}
        assert announcements_in(fake_bot_api, group.id) in expected


async def test_the_announcement_text_is_the_knowledge_bases(mini: Responder) -> None:
    reply = announcement(mini, 2027)
    assert reply is not None
    assert reply.body.startswith(INTRO)
    assert "Political will is the single most important ingredient" in reply.body


async def polling(wiring: Wiring) -> None:
    await wiring.application.start()
    assert wiring.application.updater is not None
    await wiring.application.updater.start_polling(poll_interval=0, timeout=1)


async def stop(wiring: Wiring) -> None:
    assert wiring.application.updater is not None
    await wiring.application.updater.stop()
    await wiring.application.stop()


async def test_subscription_lifecycle_in_a_group(fake_bot_api: FakeBotApi, mini: Responder) -> None:
    """Added -> hello; an admin subscribes, a member may not; a migration keeps the
    subscription; removal ends it."""
    server = fake_bot_api
    admin = server.add_user(first_name="Admin")
    member = server.add_user(first_name="Member")
    group = server.create_group("NGO", members=[member], admins=[admin], bot_status="left")
    store = Store.in_memory()
    wiring = wiring_for(server, mini, store, clock_at(2027, 7, 30, 10, 0))
    async with wiring.application:
        await polling(wiring)
        try:
            await server.member_update(group, "left", "member", by=admin)
            hello = await server.next_bot_message(group)
            assert "/subscribe" in hello["text"]
            await server.send_text(group, member, "/subscribe")
            refusal = await server.next_bot_message(group)
            assert refusal["text"] == "Only this group's admins can change its subscription."
            await server.send_text(group, admin, "/subscribe Europe/Warsaw")
            confirmation = await server.next_bot_message(group)
            assert "Europe/Warsaw" in confirmation["text"]
            supergroup = await server.migrate(group)
            await server.wait_for(
                lambda: [s.chat_id for s in store.subscriptions()] == [supergroup.id]
            )
            await wiring.announcer.run(wiring.application.bot)
            assert announcements_in(server, supergroup.id) == 1
            assert announcements_in(server, group.id) == 0
            await server.member_update(supergroup, "member", "kicked", by=admin)
            await server.wait_for(lambda: store.subscriptions() == [] or None)
        finally:
            await stop(wiring)
    assert store.ledger(2027) == {supergroup.id: Delivery.SENT}


async def test_an_operator_can_retry_unconfirmed_sends(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    store = Store.open(path)
    groups = groups_with_subscriptions(fake_bot_api, store, 3)
    store.claim(groups[0].id, 2027, dt.datetime(2027, 7, 30, 9, tzinfo=VIENNA))  # timed out
    store.close()
    env = process_env(fake_bot_api, path)

    async def announce(*extra: str) -> str:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "announce",
            "--date",
            "2027-07-30",
            *extra,
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
        assert process.returncode == 0
        return out.decode()

    output = await announce()
    assert f"unconfirmed chats: {groups[0].id}" in output
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [0, 1, 1]
    output = await announce("--retry-unconfirmed")
    assert f"Released 1 unconfirmed send(s): [{groups[0].id}]" in output
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [1, 1, 1]
