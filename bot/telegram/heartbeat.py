"""A heartbeat file for the container's HEALTHCHECK: refreshed after every successful long
poll (or, in webhook mode, by a job every half minute), checked by `oscebot health`.

A bot whose event loop hangs or whose polling keeps failing stops refreshing it, so the
health check turns red even though the process is still alive.
"""

from __future__ import annotations

import logging
from pathlib import Path

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 120.0
"""Older than this, the bot is unhealthy: long polls return at least every few seconds."""
WEBHOOK_BEAT_SECONDS = 30.0


def beat(path: Path) -> None:
    """Refresh the heartbeat (its modification time is what counts)."""
    try:
        path.touch()
    except OSError as exc:  # a full or read-only disk must not stop the bot answering
        log.warning("could not refresh the heartbeat: %s", type(exc).__name__)


def age(path: Path, now: float) -> float | None:
    """Seconds since the last beat at `now` (Unix time), or None if there never was one."""
    try:
        return now - path.stat().st_mtime
    except OSError:
        return None


class HeartbeatRequest(HTTPXRequest):
    """PTB's HTTP client for getUpdates that beats after each successful poll."""

    def __init__(self, path: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.path = path

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url,
            method,
            request_data=request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if 200 <= code < 300:
            beat(self.path)
        return code, payload
