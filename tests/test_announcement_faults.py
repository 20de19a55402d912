"""The 30 July announcement under faults, through the real Announcer and, where it matters,
`oscebot announce` as a process, against the fake Bot API server.

Telegram: only a request that certainly never reached Telegram is retried; a 5xx or a
connection lost after the request went out may hide a posted message, so the send stays
claimed and is reported unconfirmed. The database: when it fails mid-run (a full disk, a
read-only file system) the run stops; a chat is never sent to without a claim; the run ends
with a report of what was sent before the failure and, from the command, one clear line and
a non-zero exit code; once the database is fixed the next run sends to the rest, and nobody
gets the message twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import sqlite3
import sys
import textwrap
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut

from bot.responder import Responder
from bot.store import Delivery, Store
from bot.telegram.announce import Announcer, certainly_not_sent
from tests.fake_bot_api import FakeBotApi, FakeChat, FaultKind
from tests.test_announcement_e2e import (
    ROOT,
    VIENNA,
    announcements_in,
    clock_at,
    groups_with_subscriptions,
    process_env,
    wiring_for,
)
from tests.test_store import LOSES_THE_LEDGER, fill_up

GROUPS = 30


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # as in test_announcement_e2e


def with_small_pages(path: Path) -> None:
    """A new database of 512-byte pages: a few claims, not a hundred, fill the ledger's page,
    so the database runs out of room in the middle of the run rather than at its start."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA page_size = 512")
        db.execute("CREATE TABLE fixes_the_page_size (x)")
        db.execute("DROP TABLE fixes_the_page_size")


def make_room(store: Store) -> None:
    """Space freed on the disk."""
    store._db.execute("PRAGMA max_page_count = 1073741823")


def receivers(server: FakeBotApi, groups: list[FakeChat]) -> set[int]:
    """The groups that got the announcement, after checking none got it twice."""
    counts = {g.id: announcements_in(server, g.id) for g in groups}
    assert max(counts.values()) <= 1
    return {chat for chat, count in counts.items() if count}


@pytest.mark.parametrize("fault", ["server_error", "bad_gateway", "disconnect"])
async def test_an_answer_that_may_hide_a_posted_message_is_never_resent(
    fake_bot_api: FakeBotApi, mini: Responder, fault: FaultKind
) -> None:
    """A 5xx, or a connection lost after the request went out: Telegram may have posted the
    message (the fake posts it for `disconnect`), so the claim stays and operators are told."""
    store = Store.in_memory()
    groups = groups_with_subscriptions(fake_bot_api, store, 3)
    fake_bot_api.fail_next("sendMessage", fault, chat_id=groups[1])
    wiring = wiring_for(fake_bot_api, mini, store, clock_at(2027, 7, 30, 9, 0))
    async with wiring.application:
        [report] = await wiring.announcer.run(wiring.application.bot)
        assert await wiring.announcer.run(wiring.application.bot) == []
    posted = 1 if fault == "disconnect" else 0
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [1, posted, 1]
    assert len(fake_bot_api.calls("sendMessage")) == 2 + posted  # one request each, no retry
    assert report.unconfirmed == [groups[1].id]
    assert sorted(report.sent) == sorted([groups[0].id, groups[2].id])
    assert store.ledger(2027)[groups[1].id] is Delivery.SENDING


async def test_a_connection_that_could_not_be_made_is_retried(
    fake_bot_api: FakeBotApi, mini: Responder
) -> None:
    """Connection refused: the request never left, so the claim is given back and the next
    run sends."""
    store = Store.in_memory()
    groups = groups_with_subscriptions(fake_bot_api, store, 2)
    wiring = wiring_for(fake_bot_api, mini, store, clock_at(2027, 7, 30, 9, 0))
    announcer = Announcer(
        wiring.live,
        store,
        default_zone=VIENNA,
        send_at=dt.time(9, 0),
        operators=frozenset(),
        clock=clock_at(2027, 7, 30, 9, 0),
        messages_per_second=200.0,
        backoff_seconds=0.01,
    )
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    unreachable = Bot(fake_bot_api.token, base_url=f"http://127.0.0.1:{closed_port}/bot")
    [report] = await announcer.run(unreachable)
    assert sorted(report.retry_later) == sorted(g.id for g in groups)
    assert report.unconfirmed == [] and store.ledger(2027) == {}
    async with wiring.application:
        [report] = await announcer.run(wiring.application.bot)
    assert len(report.sent) == 2
    assert [announcements_in(fake_bot_api, g.id) for g in groups] == [1, 1]


def raised_from(error: TelegramError, cause: Exception | None) -> TelegramError:
    """`error` as PTB raises it: `raise error from cause`."""
    error.__cause__ = cause
    return error


REQUEST = httpx.Request("POST", "https://api.telegram.org/bot123:ABC/sendMessage")

# What PTB raised -> did the request certainly never reach Telegram (so it may be resent)?
# Built inside the test: PTB warns about RetryAfter before PTB_TIMEDELTA is set.
NOT_SENT_CASES: list[tuple[Callable[[], TelegramError], bool]] = [
    (lambda: raised_from(NetworkError("refused"), httpx.ConnectError("refused")), True),
    (lambda: raised_from(TimedOut(), httpx.ConnectTimeout("connect")), True),
    (lambda: raised_from(TimedOut("Pool timeout"), httpx.PoolTimeout("pool")), True),
    (lambda: RetryAfter(dt.timedelta(seconds=3)), True),
    (lambda: NetworkError("Internal Server Error"), False),  # a 5xx: no httpx cause
    (lambda: NetworkError("Bad Gateway"), False),
    (lambda: raised_from(TimedOut(), httpx.ReadTimeout("read", request=REQUEST)), False),
    (lambda: raised_from(NetworkError("lost"), httpx.RemoteProtocolError("gone")), False),
    (lambda: raised_from(NetworkError("lost"), httpx.ReadError("reset")), False),
    (lambda: raised_from(NetworkError("lost"), httpx.WriteError("broken pipe")), False),
    (lambda: raised_from(NetworkError("Unknown error in HTTP implementation"), OSError()), False),
]


@pytest.mark.parametrize(("error", "not_sent"), NOT_SENT_CASES)
def test_only_a_request_that_never_left_counts_as_not_sent(
    error: Callable[[], TelegramError], not_sent: bool
) -> None:
    assert certainly_not_sent(error()) is not_sent


async def test_a_full_disk_stops_the_run_with_a_report_and_no_send_without_a_claim(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    with_small_pages(path)
    store = Store.open(path)
    groups = groups_with_subscriptions(fake_bot_api, store, GROUPS)
    fill_up(store)
    operator = fake_bot_api.add_user(first_name="Operator")
    fake_bot_api.private_chat(operator)
    wiring = wiring_for(
        fake_bot_api, mini, store, clock_at(2027, 7, 30, 9, 0), admins=frozenset({operator.id})
    )
    async with wiring.application:
        bot = wiring.application.bot
        [report] = await wiring.announcer.run(bot)
        assert report.stopped is not None and "the disk is full" in report.stopped
        assert not LOSES_THE_LEDGER.search(report.stopped)
        got = receivers(fake_bot_api, groups)
        assert 0 < len(got) < GROUPS and got == set(report.sent)
        assert report.not_reached == GROUPS - len(got)
        ledger = store.ledger(2027)
        assert not any(g.id in ledger for g in groups if g.id not in got)  # no claim, no send
        told = fake_bot_api.messages_in(operator.id)
        assert "STOPPED EARLY" in told[-1]["text"] and "the disk is full" in told[-1]["text"]
        # The next tick stops the same way: operators are not told again every minute.
        [again] = await wiring.announcer.run(bot)
        assert again.stopped == report.stopped and again.sent == []
        assert len(fake_bot_api.messages_in(operator.id)) == len(told)
        make_room(store)
        [after] = await wiring.announcer.run(bot)
    assert after.stopped is None and len(after.sent) == GROUPS - len(got)
    assert receivers(fake_bot_api, groups) == {g.id for g in groups}


async def test_a_file_system_turning_read_only_mid_run_stops_it_cleanly(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "db.sqlite3")
    groups = groups_with_subscriptions(fake_bot_api, store, GROUPS)
    wiring = wiring_for(fake_bot_api, mini, store, clock_at(2027, 7, 30, 9, 0), rate=20.0)

    async def turn_read_only() -> None:
        await fake_bot_api.wait_for(lambda: len(receivers(fake_bot_api, groups)) >= 5, 30)
        store._db.execute("PRAGMA query_only = 1")

    async with wiring.application:
        bot = wiring.application.bot
        [report], _ = await asyncio.gather(wiring.announcer.run(bot), turn_read_only())
        assert report.stopped is not None
        assert "is read-only (attempt to write a readonly database;" in report.stopped
        assert "damaged" not in report.stopped
        got = receivers(fake_bot_api, groups)
        assert 5 <= len(got) < GROUPS and got == set(report.sent)
        ledger = store.ledger(2027)
        assert not any(g.id in ledger for g in groups if g.id not in got)
        store._db.execute("PRAGMA query_only = 0")
        [after] = await wiring.announcer.run(bot)
    assert after.stopped is None
    assert receivers(fake_bot_api, groups) == {g.id for g in groups}


# `oscebot announce` with a fault put into its own database connection.
RUN_ANNOUNCE = "from bot.cli import main\nsys.exit(main(sys.argv[1:]))\n"
DISK_FILLS_UP = textwrap.dedent(
    """
    import sys
    from bot.store import Store
    opened = Store.open
    def open_then_fill_up(path):
        store = opened(path)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        return store
    Store.open = open_then_fill_up
    """
)
READ_ONLY_AFTER_FIVE_CLAIMS = textwrap.dedent(
    """
    import sys
    from bot.store import Store
    claim = Store.claim
    claims = []
    def claim_on_a_file_system_turning_read_only(store, *args):
        claims.append(args)
        if len(claims) == 6:
            store._db.execute("PRAGMA query_only = 1")
        return claim(store, *args)
    Store.claim = claim_on_a_file_system_turning_read_only
    """
)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [(DISK_FILLS_UP, "the disk is full"), (READ_ONLY_AFTER_FIVE_CLAIMS, "is read-only")],
)
async def test_oscebot_announce_ends_with_one_clear_line_and_a_report(
    fake_bot_api: FakeBotApi, tmp_path: Path, fault: str, reason: str
) -> None:
    path = tmp_path / "db.sqlite3"
    with_small_pages(path)
    store = Store.open(path)
    groups = groups_with_subscriptions(fake_bot_api, store, GROUPS)
    store.close()
    env = process_env(fake_bot_api, path, OSCEBOT_LOG_LEVEL="CRITICAL")
    announce = ["announce", "--date", "2027-07-30"]
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-c", fault + RUN_ANNOUNCE, *announce],
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = (part.decode() for part in await asyncio.wait_for(process.communicate(), 60))
    assert process.returncode == 3
    assert "Traceback" not in err
    [line] = err.strip().splitlines()
    assert line.startswith("The announcement stopped: ") and reason in line
    assert not LOSES_THE_LEDGER.search(line)
    got = receivers(fake_bot_api, groups)
    assert 0 < len(got) < GROUPS
    assert f"sent: {len(got)}" in out.splitlines()
    assert f"STOPPED EARLY, {GROUPS - len(got)} chat(s) not reached" in out
    fixed = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *announce, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(fixed.communicate(), 60)
    assert fixed.returncode == 0
    assert f"sent: {GROUPS - len(got)}" in out.decode().splitlines()
    assert receivers(fake_bot_api, groups) == {g.id for g in groups}
