"""Durable state in one SQLite file: chat subscriptions, the announcement ledger and (only when
an operator turns it on) counts of unanswered questions.

The file is opened in WAL mode with `synchronous=FULL`, and every change is one transaction,
so a crash at any point leaves either the old state or the new one. The ledger is what makes
the 30 July announcement at most once per chat and year, even across restarts, two jobs
firing together or a second process (`oscebot announce`): a chat is *claimed* by inserting
its (chat, year) row before the message is sent, and the primary key lets only one claim win.
Nothing here stores message text, names or user ids. Time is passed in.

When the disk or the file fails, the operation raises StoreError with one line that says
which file, what happened and what to do, and changes nothing. A full disk, a read-only
file system or file, an I/O error and a damaged file are told apart; the advice for a damaged
file is always to stop and restore a backup, never to start with an empty one, which would
send every subscribed chat the announcement again.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

SCHEMA_VERSION = 2
"""2: subscriptions.language (the language of a group's announcement)."""
BUSY_TIMEOUT_MS = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER PRIMARY KEY,
    timezone TEXT NOT NULL,
    since TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en'
);
CREATE TABLE IF NOT EXISTS ledger (
    chat_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'blocked', 'failed')),
    message_id INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, year)
);
CREATE TABLE IF NOT EXISTS misses (
    question TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_seen TEXT NOT NULL
);
"""


class StoreError(RuntimeError):
    """The database file cannot be used; the message says which file and what to do."""


DAMAGED_ADVICE = (
    "It holds the subscriptions and the ledger of chats already sent the announcement: stop "
    "the bot and restore it from a backup. Do not replace it with an empty database, or "
    "every subscribed chat would get the announcement again."
)


def _store_error_for(where: Path | None, exc: sqlite3.Error | OSError) -> StoreError | None:
    """What a failure of the disk or the file means and what to do, or None for any other
    error: a bug (a constraint, a misuse of SQL) should surface as it is."""
    name = str(where) if where is not None else "the in-memory database"
    if isinstance(exc, OSError):  # creating the directory, before SQLite has a say
        code = {errno.ENOSPC: sqlite3.SQLITE_FULL, errno.EROFS: sqlite3.SQLITE_READONLY}.get(
            exc.errno or 0, -1
        )
    else:  # the extended code's low byte is the primary one
        code = getattr(exc, "sqlite_errorcode", -1) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return StoreError(
            f"{name}: the disk is full ({exc}): free space on that disk, then try again."
        )
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(
            f"{name} is read-only ({exc}; a read-only file system or mount, or the file's "
            "permissions): make it writable, then try again."
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(
            f"{name} is not a readable oscebot database: it is damaged ({exc}). {DAMAGED_ADVICE}"
        )
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return StoreError(
            f"{name} cannot be read or written ({exc}): check the disk and that its file "
            "system is mounted read-write, then try again."
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(
            f"{name} stayed locked by another process for {BUSY_TIMEOUT_MS // 1000} s ({exc}). "
            "Try again when it is done."
        )
    return None


class Delivery(StrEnum):
    """Where one chat's announcement for one year stands in the ledger."""

    SENDING = "sending"
    """Claimed, and the send may have reached Telegram: never sent again automatically."""
    SENT = "sent"
    BLOCKED = "blocked"
    """The bot was removed or blocked (403): the subscription was ended."""
    FAILED = "failed"
    """Telegram refused the message for good (400): not retried."""


@dataclass(frozen=True)
class Subscription:
    """A chat that wants the yearly announcement, in its own time zone."""

    chat_id: int
    timezone: str
    since: str
    language: str = "en"
    """The language the group's announcement is posted in."""


class Store:
    """One SQLite file; a single connection used from the bot's event loop."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (or create) the database at `path`; raise StoreError if it is unusable."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except (OSError, sqlite3.Error) as exc:
            known = _store_error_for(path, exc)
            raise known or StoreError(f"{path}: cannot open the database: {exc}") from None
        store = cls(connection, path)
        try:
            store._prepare()
        except (StoreError, sqlite3.Error) as exc:
            connection.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(
                f"{path} cannot be used as an oscebot database ({exc}). {DAMAGED_ADVICE}"
            ) from None
        return store

    @classmethod
    def in_memory(cls) -> Store:
        """A private database that lives as long as the object (for tests and dry runs)."""
        store = cls(sqlite3.connect(":memory:", isolation_level=None), None)
        store._prepare()
        return store

    def _prepare(self) -> None:
        db = self._db
        with self._failures():
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {version} is newer than this bot's: run the "
                    "newer bot, or restore a backup made by this one."
                )
            problems = db.execute("PRAGMA quick_check").fetchone()[0]
            if problems != "ok":
                # The first finding is enough to decide; the message stays one line.
                findings = [line for line in problems.splitlines() if not line.startswith("***")]
                first = findings[0] if findings else problems
                raise StoreError(
                    f"{self.path} is not a readable oscebot database: it is damaged (integrity "
                    f"check failed: {first[:120]}). {DAMAGED_ADVICE}"
                )
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        with self._transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            columns = {row[1] for row in db.execute("PRAGMA table_info(subscriptions)")}
            if "language" not in columns:  # a version 1 file: its groups read English
                db.execute(
                    "ALTER TABLE subscriptions ADD COLUMN language TEXT NOT NULL DEFAULT 'en'"
                )
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection (everything is already committed)."""
        self._db.close()

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """Turn a failure of the disk or the file into a StoreError that says what to do."""
        try:
            yield
        except sqlite3.Error as exc:
            known = _store_error_for(self.path, exc)
            if known is None:
                raise
            raise known from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (a failed COMMIT included)."""
        with self._failures():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # SQLite has already rolled back after some errors, such as a full disk.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    # --- subscriptions --------------------------------------------------------------------

    def subscribe(self, chat_id: int, timezone: str, today: dt.date, language: str = "en") -> bool:
        """Subscribe a chat, or change its time zone and language; True when it was not
        subscribed."""
        with self._transaction() as db:
            existed = db.execute(
                "SELECT 1 FROM subscriptions WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            db.execute(
                "INSERT INTO subscriptions (chat_id, timezone, since, language) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
                "timezone = excluded.timezone, language = excluded.language",
                (chat_id, timezone, today.isoformat(), language),
            )
        return existed is None

    def unsubscribe(self, chat_id: int) -> bool:
        """End a chat's subscription; True when there was one."""
        with self._transaction() as db:
            return (
                db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)).rowcount > 0
            )

    def subscription(self, chat_id: int) -> Subscription | None:
        """One chat's subscription, if it has one."""
        with self._failures():
            row = self._db.execute(
                "SELECT chat_id, timezone, since, language FROM subscriptions WHERE chat_id = ?",
                (chat_id,),
            ).fetchone()
        return Subscription(*row) if row else None

    def subscriptions(self) -> list[Subscription]:
        """Every subscription, by chat id."""
        with self._failures():
            rows = self._db.execute(
                "SELECT chat_id, timezone, since, language FROM subscriptions ORDER BY chat_id"
            ).fetchall()
        return [Subscription(*row) for row in rows]

    def migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: move its subscription and ledger rows to the new id.

        Idempotent (Telegram reports a migration twice: once from each side). Rows the new
        id already has win, so a chat already announced to this year stays announced.
        """
        with self._transaction() as db:
            moved = db.execute(
                "INSERT OR IGNORE INTO subscriptions (chat_id, timezone, since, language) "
                "SELECT ?, timezone, since, language FROM subscriptions WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            ).rowcount
            db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (old_chat_id,))
            db.execute(
                "INSERT OR IGNORE INTO ledger (chat_id, year, state, message_id, updated_at) "
                "SELECT ?, year, state, message_id, updated_at FROM ledger WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
            db.execute("DELETE FROM ledger WHERE chat_id = ?", (old_chat_id,))
        return moved > 0

    # --- the announcement ledger ----------------------------------------------------------

    def claim(self, chat_id: int, year: int, now: dt.datetime) -> bool:
        """Reserve this chat's announcement for `year`; only the first claim ever wins."""
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT INTO ledger (chat_id, year, state, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id, year) DO NOTHING",
                (chat_id, year, Delivery.SENDING.value, now.isoformat()),
            ).rowcount
        return inserted == 1

    def release(self, chat_id: int, year: int) -> None:
        """Give a claim back: Telegram certainly did not get the request (429, no connection)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM ledger WHERE chat_id = ? AND year = ? AND state = ?",
                (chat_id, year, Delivery.SENDING.value),
            )

    def release_unconfirmed(self, year: int) -> list[int]:
        """Give back every claim of `year` that never got an answer from Telegram (the process
        died or the request timed out), after an operator has checked that those chats did not
        get the message. Returns the chats released."""
        with self._transaction() as db:
            chats = [
                chat_id
                for (chat_id,) in db.execute(
                    "SELECT chat_id FROM ledger WHERE year = ? AND state = ? ORDER BY chat_id",
                    (year, Delivery.SENDING.value),
                )
            ]
            db.execute(
                "DELETE FROM ledger WHERE year = ? AND state = ?", (year, Delivery.SENDING.value)
            )
        return chats

    def record(
        self,
        chat_id: int,
        year: int,
        state: Delivery,
        now: dt.datetime,
        message_id: int | None = None,
    ) -> None:
        """Record how a claimed send ended; a block also ends the chat's subscription."""
        with self._transaction() as db:
            db.execute(
                "UPDATE ledger SET state = ?, message_id = ?, updated_at = ? "
                "WHERE chat_id = ? AND year = ?",
                (state.value, message_id, now.isoformat(), chat_id, year),
            )
            if state is Delivery.BLOCKED:
                db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))

    def ledger(self, year: int) -> dict[int, Delivery]:
        """Every chat with a ledger row for `year`, and its state."""
        with self._failures():
            rows = self._db.execute(
                "SELECT chat_id, state FROM ledger WHERE year = ?", (year,)
            ).fetchall()
        return {chat_id: Delivery(state) for chat_id, state in rows}

    # --- unanswered questions (opt-in) ----------------------------------------------------

    def count_miss(self, question: str, today: dt.date, keep_days: int) -> None:
        """Count one unanswered (normalised) question; forget those unseen for `keep_days`."""
        cutoff = (today - dt.timedelta(days=keep_days)).isoformat()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO misses (question, count, last_seen) VALUES (?, 1, ?) "
                "ON CONFLICT (question) DO UPDATE SET count = count + 1, "
                "last_seen = excluded.last_seen",
                (question, today.isoformat()),
            )
            db.execute("DELETE FROM misses WHERE last_seen < ?", (cutoff,))

    def top_misses(self, limit: int) -> list[tuple[str, int]]:
        """The most frequent unanswered questions, most frequent first."""
        with self._failures():
            rows = self._db.execute(
                "SELECT question, count FROM misses ORDER BY count DESC, question LIMIT ?",
                (limit,),
            ).fetchall()
        return [(question, count) for question, count in rows]
