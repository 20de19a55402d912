"""The 30 July announcement when the database fails mid-run (a full disk, a read-only file
system), through the real Announcer and through `oscebot announce` as a process.

A chat is never sent to without a claim; the run ends with a report of what was sent before
the failure and, from the command, one clear line and a non-zero exit code; once the
database is fixed the next run sends to the rest, and nobody gets the message twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from bot.responder import Responder
from bot.store import Store
from tests.fake_bot_api import FakeBotApi, FakeChat
from tests.test_announcement_e2e import (
    ROOT,
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
