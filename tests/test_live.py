"""The knowledge base in use: a reload builds a new responder (in a worker thread, off the
bot's event loop) and swaps it in whole; reloads never overlap."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from bot.live import LiveKnowledge
from bot.responder import Responder
from tests.conftest import MINI_DIR


def test_concurrent_reloads_each_swap_in_a_whole_responder(mini: Responder, tmp_path: Path) -> None:
    directory = tmp_path / "kb"
    shutil.copytree(MINI_DIR, directory)
    live = LiveKnowledge(mini, directory)
    inside = 0
    most_inside = 0
    guard = threading.Lock()
    original = live._reload

    def counting() -> tuple[bool, str]:
        nonlocal inside, most_inside
        with guard:
            inside += 1
            most_inside = max(most_inside, inside)
        try:
            return original()
        finally:
            with guard:
                inside -= 1

    live._reload = counting  # type: ignore[method-assign]
    results: list[tuple[bool, str]] = []
    threads = [threading.Thread(target=lambda: results.append(live.reload())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [ok for ok, _report in results] == [True, True, True]
    assert most_inside == 1  # one reload at a time
    assert live.responder is not mini and live.responder.entry("palermo-protocol") is not None
