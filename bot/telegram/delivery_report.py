"""The operators' report of one run of the 30 July announcement: what was sent, what was not
and why, and which chats to check by hand (claims without an outcome, named by chat id)."""

from __future__ import annotations

from dataclasses import dataclass, field

UNCONFIRMED_ADVICE = "check these chats, then run oscebot announce --retry-unconfirmed"


@dataclass
class DeliveryReport:
    """What one run did, for the operators and the logs.

    `unconfirmed` holds every claim of the year without an outcome: those this run could not
    confirm, and those an earlier run or another process left (it died mid-send), which no
    run ever resends by itself."""

    year: int
    sent: list[int] = field(default_factory=list)
    sent_earlier: int = 0
    claimed_elsewhere: int = 0
    """Chats another process claimed while this run was going; that run reports them."""
    blocked: list[int] = field(default_factory=list)
    migrated: list[tuple[int, int]] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unconfirmed: list[int] = field(default_factory=list)
    retry_later: list[int] = field(default_factory=list)
    stopped: str | None = None
    """Why the run stopped early (the database failed), if it did."""
    not_reached: int = 0
    """Chats owed that the run stopped before sending to; without a claim they stay owed."""

    def text(self) -> str:
        """The operators' summary."""
        lines = [f"30 July announcement {self.year}: delivery report"]
        if self.stopped is not None:
            lines.append(
                f"STOPPED EARLY, {self.not_reached} chat(s) not reached; the next run sends to "
                f"them once the database is fixed: {self.stopped}"
            )
        lines += [
            f"sent: {len(self.sent)}",
            f"sent earlier: {self.sent_earlier}",
            f"blocked or removed (subscription ended): {len(self.blocked)}",
            f"moved to a supergroup: {len(self.migrated)}",
            f"failed (Telegram refused): {len(self.failed)}",
            f"unconfirmed, may have arrived ({UNCONFIRMED_ADVICE}): {len(self.unconfirmed)}",
            f"network errors, will retry: {len(self.retry_later)}",
        ]
        if self.claimed_elsewhere:
            lines.append(f"claimed by another run meanwhile: {self.claimed_elsewhere}")
        for label, chats in (
            ("failed", self.failed),
            ("unconfirmed", self.unconfirmed),
            ("retrying", self.retry_later),
        ):
            if chats:
                shown = ", ".join(str(c) for c in chats[:20])
                more = f" and {len(chats) - 20} more" if len(chats) > 20 else ""
                lines.append(f"{label} chats: {shown}{more}")
        return "\n".join(lines)
