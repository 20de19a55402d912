"""Sending the 30 July announcement to subscribed chats: at most once per chat and year, and
never lost to a restart on the day.

A job ticks every minute. Each tick asks the core (`bot.announcement.owed`) which chats are
owed the announcement now, in their own time zones, and sends to them. Sends *start* at a
steady pace below Telegram's ~30 messages per second (OSCEBOT_ANNOUNCE_RATE) without waiting
for the answers before: up to MAX_IN_FLIGHT sends are in flight at once, each in its own
task on the event loop, so the round trip to Telegram does not slow the run down; the rate
does. Each send is *claimed* in the SQLite ledger just before it goes out and its outcome
recorded when the answer comes, so a crash, a restart, a second tick or a second process can
never send it again; a restart later on 30 July sends to the chats still owed (those without
a claim), and on 31 July nothing is owed any more. This does not rely on the scheduler
remembering anything: PTB's jobs are not persisted, and APScheduler would skip a late job
without `misfire_grace_time`. The ledger is only touched from the event loop's thread.

Outcomes per chat: sent; 429 -> PTB's AIORateLimiter waits `retry_after` and retries, and
every other request and every new start waits too (`bot.telegram.pacing`); 403 (removed or
blocked) -> the subscription ends; migrated to a supergroup -> the subscription and claim move
and the message goes to the new id. A chat's messages (a long announcement is split) go one
after another, within AIORateLimiter's per-group limit. A network error is retried only when
the request certainly never reached Telegram: the connection could not be made (PTB raises
NetworkError or TimedOut *from* httpx.ConnectError or ConnectTimeout), no pooled connection
was free (TimedOut from httpx.PoolTimeout), or Telegram answered 429. Then the claim is
released and the send retried with back-off (on this tick or the next). Everything else may
have posted the message, so it stays claimed and is reported as unconfirmed rather than risk a
duplicate in a group: a 5xx answer (PTB: NetworkError with the server's text, such as
"Internal Server Error" or "Bad Gateway"), a connection lost after the request went out
(httpx.RemoteProtocolError, ReadError, WriteError), a read time-out, or an error PTB cannot
place. One chat's failure never stops the others. Operators get a report after each run; it
also names the claims an earlier run or another process left without an outcome (it died
mid-send: at most the MAX_IN_FLIGHT sends then in flight), which are never resent by
themselves: after a restart, the first report lists them even when no chat is owed any more.

When the database fails during a run (a full disk, a read-only file system, a damaged file:
a StoreError), the run stops: no new claim, no new send, and the next claim would fail the
same way. The sends already in flight finish and are reported (their outcome is recorded if
the database still takes it). The report says what was sent, how many chats were not reached
and why; those chats have no claim, so the next run (the next tick, or `oscebot announce`)
sends to them once the database is fixed. The same stop is told to operators once, not every
minute.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from telegram import Bot, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ContextTypes

from bot.announcement import Subscriber, announcement, owed_at
from bot.answers import Reply
from bot.i18n import SOURCE_LANGUAGE
from bot.live import LiveKnowledge
from bot.responder import Responder
from bot.store import Delivery, Store, StoreError
from bot.telegram.delivery_report import UNCONFIRMED_ADVICE, DeliveryReport
from bot.telegram.formatting import split_html
from bot.telegram.pacing import FloodWait, Pacer

__all__ = ["UNCONFIRMED_ADVICE", "Announcer", "DeliveryReport", "certainly_not_sent"]

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
TICK_SECONDS = 60
MESSAGES_PER_SECOND = 25.0
"""Below Telegram's ~30 per second overall, leaving room for answers sent meanwhile."""
MAX_IN_FLIGHT = 10
"""Sends in flight at once. 25 per second keep going at round trips up to 400 ms (five times
the 80 ms the benchmark assumes), and a crash leaves at most this many chats for operators to
check, all named on one line of the next report (it names up to 20)."""
NETWORK_ATTEMPTS = 4
BACKOFF_SECONDS = 1.0


@dataclass
class _Run:
    """One run's reports, and whether it has to stop starting sends."""

    reports: dict[int, DeliveryReport]
    bug: Exception | None = None
    """An unexpected error in one send: the others finish, then `run` raises it."""

    @property
    def halted(self) -> bool:
        return self.bug is not None or any(r.stopped for r in self.reports.values())

    def stop(self, why: str) -> None:
        """The database failed: no new claim, and every report says why (the first reason)."""
        for report in self.reports.values():
            report.stopped = report.stopped or why


class Announcer:
    """Decides who is owed the announcement now and delivers it, once."""

    def __init__(
        self,
        live: LiveKnowledge,
        store: Store,
        *,
        default_zone: dt.tzinfo,
        send_at: dt.time,
        operators: frozenset[int],
        clock: Clock,
        messages_per_second: float = MESSAGES_PER_SECOND,
        backoff_seconds: float = BACKOFF_SECONDS,
        max_in_flight: int = MAX_IN_FLIGHT,
        flood: FloodWait | None = None,
    ) -> None:
        self.live = live
        self.store = store
        self.default_zone = default_zone
        self.send_at = send_at
        self.operators = operators
        self.clock = clock
        self.flood = flood or FloodWait()
        """The bot's 429 wait, shared with its rate limiter: starts wait for it to end."""
        self._pacer = Pacer(messages_per_second, self.flood)
        self._backoff = backoff_seconds
        self._max_in_flight = max_in_flight
        self._lock = asyncio.Lock()
        self._told_unconfirmed: set[tuple[int, int]] = set()
        """(chat, year) claims without an outcome already in a report from this process."""
        self._last_stop: str | None = None

    @property
    def responder(self) -> Responder:
        """The responder in use now (an operator's /reload replaces it)."""
        return self.live.responder

    def owed_now(self, now: dt.datetime, on: dt.date | None = None) -> list[tuple[int, int]]:
        """(chat, year) pairs owed at `now`, or on the day `on` when an operator names it."""
        subscribers = [Subscriber(s.chat_id, s.timezone) for s in self.store.subscriptions()]
        chosen = owed_at(
            self.responder.kb,
            subscribers,
            self.store.ledger,
            now,
            self.send_at,
            self.default_zone,
            on,
        )
        return [(o.chat_id, o.year) for o in chosen]

    async def tick(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The minute job: start a run in the background unless one is still going (a run
        to thousands of groups outlasts many ticks; the job itself returns at once)."""
        if self._lock.locked():
            return
        context.application.create_task(self.run(context.bot), name="announcement")

    async def run(
        self, bot: Bot, now: dt.datetime | None = None, on: dt.date | None = None
    ) -> list[DeliveryReport]:
        """Deliver to every chat owed at `now` (default: the clock), or on the day `on`
        (`oscebot announce --date`); one report per year."""
        async with self._lock:
            moment = now or self.clock()
            this_year = on.year if on is not None else moment.year
            try:
                due = self.owed_now(moment, on)
                reports = self._reports_to_give(due, this_year)
            except StoreError as exc:  # not even readable: nothing is claimed or sent
                due, reports = [], {this_year: DeliveryReport(this_year, stopped=str(exc))}
            if not reports:
                return []
            await self._deliver_all(bot, due, _Run(reports))
            for report in reports.values():
                log.info("announcement %s", report.text().replace("\n", "; "))
                if report.stopped is not None:
                    log.error("announcement stopped: %s", report.stopped)
                # A stop that only repeats the last run's is told once, not every minute.
                if report.sent or report.stopped is None or report.stopped != self._last_stop:
                    await self._report(bot, report)
                self._told_unconfirmed.update((chat, report.year) for chat in report.unconfirmed)
            self._last_stop = next((r.stopped for r in reports.values() if r.stopped), None)
            return list(reports.values())

    def _reports_to_give(
        self, due: list[tuple[int, int]], this_year: int
    ) -> dict[int, DeliveryReport]:
        """A report for each year with chats owed, and for this year when it has claims left
        without an outcome that operators have not heard of from this process: after a crash
        or a restart, the first report names the chats to check even if nobody is owed."""
        reports: dict[int, DeliveryReport] = {}
        for year in sorted({year for _, year in due} | {this_year}):
            ledger = self.store.ledger(year)
            report = DeliveryReport(year)
            report.sent_earlier = sum(state is Delivery.SENT for state in ledger.values())
            report.unconfirmed = sorted(
                c for c, state in ledger.items() if state is Delivery.SENDING
            )
            untold = {(chat, year) for chat in report.unconfirmed} - self._told_unconfirmed
            if untold or any(year == owed_year for _, owed_year in due):
                reports[year] = report
        return reports

    async def _deliver_all(self, bot: Bot, due: list[tuple[int, int]], run: _Run) -> None:
        """Start a send for each chat in turn, each in a task of its own, with at most
        `max_in_flight` going at once; return when every one has ended. After a stop, the
        chats not started yet are counted as not reached."""
        languages = {s.chat_id: s.language for s in self.store.subscriptions()}
        texts: dict[tuple[int, str], Reply | None] = {}
        free = asyncio.Semaphore(self._max_in_flight)
        async with asyncio.TaskGroup() as sends:
            for index, (chat_id, year) in enumerate(due):
                await free.acquire()
                if run.halted:
                    free.release()
                    for _, owed_year in due[index:]:
                        run.reports[owed_year].not_reached += 1
                    break
                language = languages.get(chat_id, SOURCE_LANGUAGE)
                if (year, language) not in texts:
                    texts[year, language] = announcement(self.responder, year, language)
                reply = texts[year, language]
                if reply is None:
                    free.release()
                    log.error("no announcement in the knowledge base for %d", year)
                    run.reports[year].failed.append(chat_id)
                    continue
                sends.create_task(self._send_in_turn(bot, chat_id, year, reply, run, free))
        if run.bug is not None:
            raise run.bug

    async def _send_in_turn(
        self, bot: Bot, chat_id: int, year: int, reply: Reply, run: _Run, free: asyncio.Semaphore
    ) -> None:
        try:
            await self._deliver(bot, chat_id, year, reply, run)
        except StoreError as exc:
            # Nothing is sent without a claim, and the next claim would fail alike.
            run.stop(str(exc))
        except Exception as exc:  # a bug: start nothing more, let the sends in flight end
            run.bug = run.bug or exc
        finally:
            free.release()

    async def _deliver(self, bot: Bot, chat_id: int, year: int, reply: Reply, run: _Run) -> None:
        """Claim, send, record. Every path ends with the ledger saying what happened."""
        report = run.reports[year]
        chunks = split_html(reply.html())
        attempts = 0
        while True:
            await self._pacer.turn()
            if run.halted:  # the database failed meanwhile: no claim, so it stays owed
                report.not_reached += 1
                return
            try:
                claimed = self.store.claim(chat_id, year, self.clock())
            except StoreError:
                report.not_reached += 1
                raise
            if not claimed:
                report.claimed_elsewhere += 1
                return
            posted: list[Message] = []
            try:
                for chunk in chunks:
                    if posted:  # the next part of a long announcement takes a turn too
                        await self._pacer.turn()
                    posted.append(await bot.send_message(chat_id, chunk))
                report.sent.append(chat_id)  # first: it went out even if recording it fails
                self.store.record(chat_id, year, Delivery.SENT, self.clock(), posted[0].message_id)
                return
            except ChatMigrated as exc:
                new_id = exc.new_chat_id
                self.store.release(chat_id, year)  # not delivered to the old id
                self.store.migrate(chat_id, new_id)
                report.migrated.append((chat_id, new_id))
                chat_id = new_id
            except Forbidden:
                report.blocked.append(chat_id)
                self.store.record(chat_id, year, Delivery.BLOCKED, self.clock())
                return
            except BadRequest as exc:  # before NetworkError, which PTB makes its base class
                log.warning("announcement refused for chat=%s: %s", chat_id, exc.message)
                report.failed.append(chat_id)
                self.store.record(chat_id, year, Delivery.FAILED, self.clock())
                return
            except (RetryAfter, NetworkError) as exc:
                if isinstance(exc, RetryAfter):  # the rate limiter's own retries ran out
                    self.flood.note(exc)  # every start waits, not only this chat's
                if posted or not certainly_not_sent(exc):
                    # Telegram may have posted it (or an earlier part of it): sending again
                    # could post it twice, so the claim stays until an operator has checked.
                    log.warning(
                        "announcement unconfirmed for chat=%s: %.100s", chat_id, exc.message
                    )
                    report.unconfirmed.append(chat_id)
                    return
                self.store.release(chat_id, year)
                if isinstance(exc, RetryAfter):
                    continue  # the next turn comes after the 429's wait
                attempts += 1
                if attempts >= NETWORK_ATTEMPTS:
                    report.retry_later.append(chat_id)
                    return
                await asyncio.sleep(self._backoff * 2 ** (attempts - 1))
            except TelegramError as exc:
                log.warning("announcement failed for chat=%s: %s", chat_id, type(exc).__name__)
                report.failed.append(chat_id)
                self.store.record(chat_id, year, Delivery.FAILED, self.clock())
                return

    async def _report(self, bot: Bot, report: DeliveryReport) -> None:
        for operator in sorted(self.operators):
            try:
                await bot.send_message(operator, report.text(), parse_mode=None)
            except TelegramError as exc:
                log.warning("could not send the delivery report: %s", type(exc).__name__)


def certainly_not_sent(exc: TelegramError) -> bool:
    """Whether Telegram certainly never got the request, so sending again cannot duplicate.

    A 429 was refused. Otherwise only a connection that was never made counts: PTB raises its
    error from httpx's, and ConnectError, ConnectTimeout and PoolTimeout all happen before a
    byte of the request is written. A 5xx has no httpx cause, and a connection lost later
    (RemoteProtocolError, ReadError, WriteError, ReadTimeout) may follow a posted message.
    """
    if isinstance(exc, RetryAfter):
        return True
    return isinstance(exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
