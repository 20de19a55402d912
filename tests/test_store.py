"""The SQLite store: subscriptions, the at-most-once ledger, migrations, damaged files."""

from __future__ import annotations

import datetime as dt
import errno
import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.store import Delivery, Store, StoreError

TODAY = dt.date(2027, 7, 30)
NOW = dt.datetime(2027, 7, 30, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "state" / "oscebot.sqlite3")


def test_subscribe_change_zone_and_unsubscribe(store: Store) -> None:
    assert store.subscribe(-100, "Europe/Vienna", TODAY) is True
    assert store.subscribe(-100, "Asia/Almaty", TODAY) is False  # a change, not a new one
    assert store.subscription(-100) is not None
    assert store.subscription(-100).timezone == "Asia/Almaty"  # type: ignore[union-attr]
    assert [s.chat_id for s in store.subscriptions()] == [-100]
    assert store.unsubscribe(-100) is True
    assert store.unsubscribe(-100) is False
    assert store.subscriptions() == []


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = Store.open(path)
    first.subscribe(-1, "Europe/Vienna", TODAY)
    assert first.claim(-1, 2027, NOW)
    first.record(-1, 2027, Delivery.SENT, NOW, message_id=9)
    first.close()
    again = Store.open(path)
    assert [s.chat_id for s in again.subscriptions()] == [-1]
    assert again.ledger(2027) == {-1: Delivery.SENT}
    assert again.claim(-1, 2027, NOW) is False


def test_a_claim_wins_once_per_chat_and_year(store: Store) -> None:
    assert store.claim(-1, 2027, NOW) is True
    assert store.claim(-1, 2027, NOW) is False
    assert store.claim(-1, 2028, NOW) is True
    assert store.claim(-2, 2027, NOW) is True


def test_release_gives_back_only_unfinished_claims(store: Store) -> None:
    store.claim(-1, 2027, NOW)
    store.release(-1, 2027)
    assert store.claim(-1, 2027, NOW) is True  # definitely not delivered: may be sent again
    store.record(-1, 2027, Delivery.SENT, NOW, message_id=1)
    store.release(-1, 2027)
    assert store.claim(-1, 2027, NOW) is False  # a sent message is never released


def test_blocked_ends_the_subscription(store: Store) -> None:
    store.subscribe(-1, "Europe/Vienna", TODAY)
    store.claim(-1, 2027, NOW)
    store.record(-1, 2027, Delivery.BLOCKED, NOW)
    assert store.subscriptions() == []
    assert store.ledger(2027) == {-1: Delivery.BLOCKED}


def test_migration_moves_subscription_and_ledger(store: Store) -> None:
    store.subscribe(-5, "Europe/Warsaw", TODAY)
    store.claim(-5, 2027, NOW)
    store.record(-5, 2027, Delivery.SENT, NOW, message_id=3)
    assert store.migrate(-5, -1005) is True
    assert store.migrate(-5, -1005) is False  # reported again from the other side
    assert [(s.chat_id, s.timezone) for s in store.subscriptions()] == [(-1005, "Europe/Warsaw")]
    assert store.ledger(2027) == {-1005: Delivery.SENT}
    assert store.claim(-1005, 2027, NOW) is False  # no second message after the migration


def test_migration_keeps_what_the_new_id_already_has(store: Store) -> None:
    store.subscribe(-5, "Europe/Warsaw", TODAY)
    store.subscribe(-1005, "Europe/Vienna", TODAY)
    store.migrate(-5, -1005)
    assert [(s.chat_id, s.timezone) for s in store.subscriptions()] == [(-1005, "Europe/Vienna")]


def test_a_failing_transaction_changes_nothing(store: Store) -> None:
    store.subscribe(-1, "Europe/Vienna", TODAY)
    store.claim(-1, 2027, NOW)
    assert store.path is not None
    with sqlite3.connect(store.path) as db:  # the second statement of `record` will fail
        db.execute(
            "CREATE TRIGGER no_delete BEFORE DELETE ON subscriptions "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        store.record(-1, 2027, Delivery.BLOCKED, NOW)
    assert store.ledger(2027) == {-1: Delivery.SENDING}  # the first statement was rolled back
    assert [s.chat_id for s in store.subscriptions()] == [-1]


def test_claims_from_two_processes_never_overlap(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    Store.open(path).close()
    script = textwrap.dedent(
        f"""
        import datetime as dt
        from pathlib import Path
        from bot.store import Store
        store = Store.open(Path({str(path)!r}))
        now = dt.datetime(2027, 7, 30, tzinfo=dt.UTC)
        print(sum(store.claim(-chat, 2027, now) for chat in range(1, 301)))
        """
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    wins = [int(worker.communicate(timeout=60)[0]) for worker in workers]
    assert sum(wins) == 300


# Advice that would lose the ledger, and with it send every group the announcement again.
LOSES_THE_LEDGER = re.compile(r"aside|delete|remove|rename|start (with|from) an empty", re.I)


def not_a_database(path: Path) -> None:
    path.write_bytes(b"this is not SQLite\x00" * 100)


def malformed_schema(path: Path) -> None:
    Store.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:300] = b"\x07" * 200  # the schema table's page, just after the file header
    path.write_bytes(bytes(data))


def failed_integrity_check(path: Path) -> None:
    store = Store.open(path)
    store.subscribe(-1, "Europe/Vienna", TODAY)
    store.close()
    with sqlite3.connect(path) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'subscriptions'")
        page = root.fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    data[start + 3 : start + 5] = (50).to_bytes(2, "big")  # claims 50 cells; it has one
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [not_a_database, malformed_schema, failed_integrity_check])
def test_a_damaged_file_says_restore_a_backup_and_never_start_empty(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    path = tmp_path / "oscebot.sqlite3"
    damage(path)
    damaged = path.read_bytes()
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    message = str(raised.value)
    assert str(path) in message and "\n" not in message
    assert "not a readable oscebot database: it is damaged" in message
    assert "restore it from a backup" in message
    assert not LOSES_THE_LEDGER.search(message)
    assert path.read_bytes() == damaged  # nothing written


def fill_up(store: Store) -> None:
    """Let the database grow no further: SQLite then fails as on a full disk (SQLITE_FULL)."""
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_a_clear_error_that_changes_nothing(store: Store) -> None:
    store.subscribe(-1, "Europe/Vienna", TODAY)
    fill_up(store)
    claimed = []
    with pytest.raises(StoreError) as raised:
        for chat in range(1, 10_000):
            store.claim(-chat, 2027, NOW)
            claimed.append(-chat)
    message = str(raised.value)
    assert "the disk is full (database or disk is full)" in message
    assert "damaged" not in message and not LOSES_THE_LEDGER.search(message)
    failed = -(len(claimed) + 1)
    assert failed not in store.ledger(2027)  # no claim, so that chat is never sent to
    assert sorted(store.ledger(2027)) == sorted(claimed)
    assert [s.chat_id for s in store.subscriptions()] == [-1]  # reading still works


def test_a_read_only_database_is_a_clear_error_not_damage(store: Store) -> None:
    store.subscribe(-1, "Europe/Vienna", TODAY)
    store.claim(-1, 2027, NOW)
    store._db.execute("PRAGMA query_only = 1")  # as when the file system turns read-only
    for write in (
        lambda: store.claim(-2, 2027, NOW),
        lambda: store.record(-1, 2027, Delivery.SENT, NOW, message_id=1),
        lambda: store.release(-1, 2027),
    ):
        with pytest.raises(StoreError) as raised:
            write()
        message = str(raised.value)
        assert "is read-only (attempt to write a readonly database;" in message
        assert "damaged" not in message and not LOSES_THE_LEDGER.search(message)
    assert store.ledger(2027) == {-1: Delivery.SENDING}


def test_a_database_reopened_read_only_is_not_called_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "oscebot.sqlite3"
    Store.open(path).close()
    connect = sqlite3.connect

    def read_only(database: Path, **options: Any) -> sqlite3.Connection:
        return connect(f"file:{database}?mode=ro", uri=True, **options)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    message = str(raised.value)
    assert f"{path} is read-only" in message
    assert "damaged" not in message and not LOSES_THE_LEDGER.search(message)


def test_a_read_only_file_system_while_creating_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only_mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only_mkdir)
    with pytest.raises(StoreError, match=r"is read-only .*Read-only file system"):
        Store.open(tmp_path / "new" / "oscebot.sqlite3")


def test_a_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        Store.open(path)


def test_an_unwritable_location_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open"):
        Store.open(blocker / "sub" / "db.sqlite3")


def test_wal_mode_is_on(store: Store, tmp_path: Path) -> None:
    assert store.path is not None
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_misses_are_counted_and_expire(store: Store) -> None:
    store.count_miss("who won the match", TODAY, keep_days=30)
    store.count_miss("who won the match", TODAY, keep_days=30)
    store.count_miss("recipe for soup", TODAY, keep_days=30)
    assert store.top_misses(5) == [("who won the match", 2), ("recipe for soup", 1)]
    later = TODAY + dt.timedelta(days=31)
    store.count_miss("new question", later, keep_days=30)
    assert store.top_misses(5) == [("new question", 1)]


def test_unconfirmed_sends_are_released_only_on_request(store: Store) -> None:
    for chat in (-1, -2, -3):
        store.claim(chat, 2027, NOW)
    store.record(-2, 2027, Delivery.SENT, NOW, message_id=5)
    store.claim(-1, 2028, NOW)
    assert store.release_unconfirmed(2027) == [-3, -1]
    assert store.ledger(2027) == {-2: Delivery.SENT}
    assert store.ledger(2028) == {-1: Delivery.SENDING}


def test_a_version_1_file_gains_the_language_column_and_keeps_its_groups(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE subscriptions (chat_id INTEGER PRIMARY KEY, timezone TEXT NOT NULL,"
        " since TEXT NOT NULL);"
        "INSERT INTO subscriptions VALUES (-100, 'Europe/Vienna', '2026-01-01');"
        "PRAGMA user_version = 1;"
    )
    db.close()
    store = Store.open(path)
    try:
        old = store.subscription(-100)
        assert old is not None and (old.timezone, old.language) == ("Europe/Vienna", "en")
        store.subscribe(-200, "Asia/Almaty", dt.date(2026, 12, 7), "ru")
        store.subscribe(-100, "Europe/Vienna", dt.date(2026, 12, 7), "ru")
    finally:
        store.close()
    reopened = Store.open(path)
    try:
        assert [(s.chat_id, s.language) for s in reopened.subscriptions()] == [
            (-200, "ru"),
            (-100, "ru"),
        ]
    finally:
        reopened.close()
