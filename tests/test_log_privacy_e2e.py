"""Logs hold nothing about people at any level: `python -m bot run` at DEBUG, polling the fake
Bot API, sees canary names, texts, a phone number, an e-mail address, a group title, an inline
query and a button press; none of them, nor the user id or the token, may reach its output."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import MINI_DIR
from tests.fake_bot_api import FakeBotApi

TOKEN = "5550001:PRIVACY-canary-Token_x9"
BOT_USERNAME = "oscebot_privacy"
USER_ID = 7318064259
FIRST_NAME = "Quillonvex"
LAST_NAME = "Brammelsport"
USERNAME = "zarquon_canary7"
PHONE = "+43 660 5550173"
EMAIL = "zelda.quorvant@example.org"
PRIVATE_TEXT = f"Quorvantic: they took my passport, call {PHONE} or write {EMAIL}"
GROUP_TITLE = "Vellichor Ferret Society"
GROUP_TEXT = f"@{BOT_USERNAME} Plumbrigade palermo protocol"
INLINE_TEXT = "Snorklewhistle palermo protocol"
CANARIES = [
    str(USER_ID),
    FIRST_NAME,
    LAST_NAME,
    USERNAME,
    "Quorvantic",
    "took my passport",
    PHONE,
    PHONE.replace(" ", ""),
    "5550173",
    EMAIL,
    GROUP_TITLE,
    "Vellichor",
    "Plumbrigade",
    "Snorklewhistle",
    TOKEN,
    TOKEN.split(":")[1],
]


async def test_debug_logs_of_the_running_bot_carry_no_personal_data(tmp_path: Path) -> None:
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        log_path = tmp_path / "output.log"
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "OSCEBOT_KNOWLEDGE": str(MINI_DIR),
            "OSCEBOT_DB": str(tmp_path / "db.sqlite3"),
            "OSCEBOT_LOG_LEVEL": "DEBUG",
        }
        with log_path.open("wb") as output:  # a file, not a pipe: DEBUG output can fill a pipe
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, stdout=output, stderr=output
            )
            try:
                await _converse(api)
            finally:
                process.send_signal(signal.SIGINT)  # PTB stops polling cleanly on SIGINT
                try:
                    await asyncio.wait_for(process.wait(), timeout=30)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        if api.internal_errors:
            raise AssertionError("FakeBotApi internal errors:\n" + "\n".join(api.internal_errors))
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    leaks = {
        canary: [line for line in logged.splitlines() if canary.lower() in line.lower()][:3]
        for canary in CANARIES
        if canary.lower() in logged.lower()
    }
    assert not leaks, f"personal data or the token in the log: {leaks}"
    assert process.returncode == 0, logged[-2000:]
    assert " DEBUG bot." in logged  # our own DEBUG lines were written, so DEBUG was in force
    assert "kind=safety" in logged and "kind=answer" in logged


async def _converse(api: FakeBotApi) -> None:
    """A private question, a group mention, an inline query and a button press, each answered."""
    user = api.add_user(FIRST_NAME, last_name=LAST_NAME, username=USERNAME, user_id=USER_ID)
    chat = api.private_chat(user)
    await api.send_text(chat, user, PRIVATE_TEXT)
    safety = await api.next_bot_message(chat, timeout=30)  # the bot's start-up comes first
    assert "112" in safety["text"]

    group = api.create_group(GROUP_TITLE, members=[user])
    await api.send_text(group, user, GROUP_TEXT)
    answer = await api.next_bot_message(group)
    assert answer["text"].startswith("The Palermo Protocol was adopted")

    await api.inline_query(user, INLINE_TEXT)
    inline = await api.wait_for(_last(api.inline_answers))
    assert inline["results"][0]["id"] == "palermo-protocol"

    await api.send_text(chat, user, "OSCE anti-trafficking")
    clarify = await api.next_bot_message(chat)
    await api.press_button(clarify, "a:sr-tasks", user)
    pressed = await api.next_bot_message(chat)
    assert pressed["text"].startswith("The Special Representative co-ordinates")
    assert api.answered_callbacks


def _last(items: list[dict[str, Any]]) -> Callable[[], dict[str, Any] | None]:
    return lambda: items[-1] if items else None
