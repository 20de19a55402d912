"""Per-user flood control, with time passed in."""

from __future__ import annotations

from bot.flood import LIMIT, WINDOW_SECONDS, FloodGate, Verdict


def test_a_flood_gets_one_notice_then_silence_until_the_window_passes() -> None:
    gate = FloodGate()
    verdicts = [gate.check(1, now=i * 0.1) for i in range(100)]  # 100 messages in 10 seconds
    assert verdicts[:LIMIT] == [Verdict.ALLOW] * LIMIT
    assert verdicts[LIMIT] is Verdict.NOTICE
    assert set(verdicts[LIMIT + 1 :]) == {Verdict.SILENT}
    later = 0.1 * 99 + WINDOW_SECONDS
    assert gate.check(1, now=later) is Verdict.ALLOW


def test_other_users_are_unaffected() -> None:
    gate = FloodGate()
    for i in range(100):
        gate.check(1, now=i * 0.01)
    assert gate.check(2, now=1.0) is Verdict.ALLOW


def test_a_steady_human_pace_is_never_limited() -> None:
    gate = FloodGate()
    assert all(gate.check(1, now=i * 3.0) is Verdict.ALLOW for i in range(500))


def test_memory_is_bounded() -> None:
    gate = FloodGate(max_users=100)
    for user in range(10_000):
        gate.check(user, now=0.0)
    assert len(gate._seen) == 100
