"""Per-user flood control: a sliding window of recent requests for each user.

Pure: the caller passes the time (seconds on a monotonic clock). A user over the limit gets
one polite notice, then silence until the window has room again; other users are unaffected.
Only user ids (numbers) and times are held, in memory, for at most one window.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from enum import Enum

LIMIT = 12
"""Requests a user may make per window: a person typing questions stays far below it."""
WINDOW_SECONDS = 30.0
MAX_TRACKED_USERS = 50_000
"""Bound on memory: the least recently seen users are forgotten first."""


class Verdict(Enum):
    """What to do with one request."""

    ALLOW = "allow"
    NOTICE = "notice"
    """Over the limit for the first time in this burst: say so, once."""
    SILENT = "silent"


class FloodGate:
    """Counts each user's requests in the last `window` seconds."""

    def __init__(
        self,
        limit: int = LIMIT,
        window: float = WINDOW_SECONDS,
        max_users: int = MAX_TRACKED_USERS,
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._seen: OrderedDict[int, deque[float]] = OrderedDict()
        self._noticed: dict[int, float] = {}

    def check(self, user_id: int, now: float) -> Verdict:
        """Record a request from `user_id` at `now` and say whether to serve it."""
        times = self._seen.pop(user_id, None) or deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        self._seen[user_id] = times  # most recently seen last
        while len(self._seen) > self.max_users:
            forgotten, _ = self._seen.popitem(last=False)
            self._noticed.pop(forgotten, None)
        if len(times) < self.limit:
            times.append(now)
            self._noticed.pop(user_id, None)
            return Verdict.ALLOW
        noticed_at = self._noticed.get(user_id)
        if noticed_at is not None and now - noticed_at < self.window:
            return Verdict.SILENT
        self._noticed[user_id] = now
        return Verdict.NOTICE
