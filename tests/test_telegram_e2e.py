"""End to end: the real PTB Application, polling over real HTTP, against the fake Bot API
server on 127.0.0.1. A simulated user sends messages, presses buttons and queries inline."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
import pytest_asyncio
from icalendar import Calendar
from telegram import Update

from bot.commands import ADMIN, GROUP, PRIVATE, STALE_BUTTON, menu
from bot.responder import Responder
from bot.settings import Secret, Settings
from bot.telegram.app import build_application, webhook_options
from tests.conftest import MINI_DIR
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api_fixtures import FAKE_BOT_USERNAME, polling

VIENNA = ZoneInfo("Europe/Vienna")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 11, 24, 12, 0, tzinfo=VIENNA)


@pytest_asyncio.fixture
async def bot(fake_bot_api: FakeBotApi, mini: Responder) -> AsyncIterator[FakeBotApi]:
    settings = Settings(
        token=Secret(fake_bot_api.token),
        api_base_url=fake_bot_api.base_url,
        knowledge_dir=MINI_DIR,
        timezone=VIENNA,
    )
    application = build_application(settings, mini, clock=fixed_clock)
    async with polling(application):
        yield fake_bot_api


async def test_start_welcomes_with_suggestion_buttons(bot: FakeBotApi) -> None:
    user = bot.add_user(first_name="Ana")
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "/start")
    reply = await bot.next_bot_message(chat)
    assert "I answer questions about the OSCE" in reply["text"]
    buttons = [row[0]["callback_data"] for row in reply["reply_markup"]["inline_keyboard"]]
    assert buttons == ["a:awareness-days", "a:help-numbers"]


async def test_deep_link_answers_that_fact(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "/start fact_palermo-protocol")
    reply = await bot.next_bot_message(chat)
    assert reply["text"].startswith("The Palermo Protocol was adopted")


async def test_question_gets_a_sourced_answer(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "When was the OSR/CTHB created?")
    reply = await bot.next_bot_message(chat)
    assert "in 2003" in reply["text"]
    assert "Source: OSCE, 30 July 2024" in reply["text"]
    links = [e for e in reply.get("entities", []) if e["type"] == "text_link"]
    assert links and links[0]["url"] == "https://www.osce.org/example"
    related = reply["reply_markup"]["inline_keyboard"][0][0]
    assert related["callback_data"] == "a:palermo-protocol"


async def test_did_you_mean_button_press_answers(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "OSCE anti-trafficking")
    clarify = await bot.next_bot_message(chat)
    assert "I'm not sure which of these you mean" in clarify["text"]
    data = [row[0]["callback_data"] for row in clarify["reply_markup"]["inline_keyboard"]]
    assert "a:sr-tasks" in data
    await bot.press_button(clarify, "a:sr-tasks", user)
    answer = await bot.next_bot_message(chat)
    assert answer["text"].startswith("The Special Representative co-ordinates")
    assert bot.answered_callbacks


async def test_more_button_opens_the_detail(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "What is the Palermo Protocol?")
    answer = await bot.next_bot_message(chat)
    assert "Transnational Organized Crime" not in answer["text"]
    data = [b["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for b in row]
    assert "a:more:palermo-protocol" in data
    await bot.press_button(answer, "a:more:palermo-protocol", user)
    detail = await bot.next_bot_message(chat)
    assert detail["text"].startswith("It supplements the UN Convention against Transnational")


async def test_a_detail_the_sources_lack_is_said_plainly(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "How much did the Office of the Special Representative cost?")
    reply = await bot.next_bot_message(chat)
    assert reply["text"].startswith("I don't have costs, budgets or salaries in my sources.")
    data = [b["callback_data"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert data[0] == "a:osr-created"


async def test_forged_button_gets_a_polite_note(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "OSCE anti-trafficking")
    clarify = await bot.next_bot_message(chat)
    await bot.press_button(clarify, "a:no-such-entry", user, check_button=False)
    call = await bot.wait_for_call("answerCallbackQuery")
    assert call.params.get("text") == STALE_BUTTON


async def test_fallback_is_honest(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "Who painted the Mona Lisa?")
    reply = await bot.next_bot_message(chat)
    assert reply["text"].startswith("Sorry, I don't know that.")
    assert "/help" in reply["text"]
    assert reply["reply_markup"]["inline_keyboard"]


async def test_group_is_silent_on_chatter_and_answers_mentions(bot: FakeBotApi) -> None:
    alice = bot.add_user(first_name="Alice")
    group = bot.create_group("NGO team", members=[alice])
    await bot.send_text(group, alice, "lunch at noon? palermo protocol is on the agenda")
    await bot.send_text(group, alice, f"@{FAKE_BOT_USERNAME} what is the palermo protocol")
    reply = await bot.next_bot_message(group)
    assert reply["text"].startswith("The Palermo Protocol was adopted")
    assert reply["reply_to_message"]["text"].startswith(f"@{FAKE_BOT_USERNAME}")
    assert len(bot.messages_in(group)) == 1  # the bot said nothing about the lunch


async def test_group_reply_to_the_bot_is_answered(bot: FakeBotApi) -> None:
    alice = bot.add_user()
    group = bot.create_group("Team", members=[alice])
    await bot.send_text(group, alice, f"@{FAKE_BOT_USERNAME} palermo protocol")
    first = await bot.next_bot_message(group)
    await bot.send_text(group, alice, "and when was the OSR created?", reply_to=first)
    second = await bot.next_bot_message(group)
    assert "in 2003" in second["text"]


async def test_ask_as_a_reply_answers_that_question(bot: FakeBotApi) -> None:
    alice = bot.add_user(first_name="Alice")
    bob = bot.add_user(first_name="Bob")
    group = bot.create_group("Team", members=[alice, bob])
    question = await bot.send_text(group, alice, "what is the palermo protocol?")
    await bot.send_text(group, bob, "/ask", reply_to=question)
    reply = await bot.next_bot_message(group)
    assert reply["text"].startswith("The Palermo Protocol was adopted")
    assert reply["reply_to_message"]["message_id"] == question["message_id"]


async def test_inline_query_returns_sourced_results(bot: FakeBotApi) -> None:
    user = bot.add_user()
    await bot.inline_query(user, "palermo protocol")
    answer = await bot.wait_for(lambda: bot.inline_answers[-1] if bot.inline_answers else None)
    results = answer["results"]
    assert results[0]["id"] == "palermo-protocol"
    assert "Source:" in results[0]["input_message_content"]["message_text"]
    await bot.inline_query(user, "")
    empty = await bot.wait_for(
        lambda: bot.inline_answers[-1] if len(bot.inline_answers) > 1 else None
    )
    assert 1 <= len(empty["results"]) <= 10


async def test_unknown_command_points_to_help(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "/frobnicate now")
    reply = await bot.next_bot_message(chat)
    assert "/help" in reply["text"]


async def test_menus_come_from_the_command_table(bot: FakeBotApi) -> None:
    """One menu per scope; /subscribe only for group administrators."""
    admins = {"type": "all_chat_administrators"}
    await bot.wait_for(lambda: bot.commands(admins) or None)
    for scope, name in (
        (None, PRIVATE),
        ({"type": "all_group_chats"}, GROUP),
        (admins, ADMIN),
    ):
        assert [c["command"] for c in bot.commands(scope)] == [c.name for c in menu(name)]
    assert "subscribe" not in [c["command"] for c in bot.commands()]


@pytest.mark.parametrize("fault", ["server_error", "retry_after", "bad_gateway"])
async def test_bot_survives_a_fault_during_a_reply(bot: FakeBotApi, fault: str) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    bot.fail_next("sendMessage", fault, retry_after=1)
    await bot.send_text(chat, user, "palermo protocol")
    await bot.send_text(chat, user, "When was the OSR/CTHB created?")
    reply = await bot.wait_for(
        lambda: next((m for m in bot.messages_in(chat) if "in 2003" in m.get("text", "")), None),
        timeout=15,
    )
    assert reply["from"]["is_bot"] is True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_answers_updates_posted_with_the_secret(
    fake_bot_api: FakeBotApi, mini: Responder
) -> None:
    settings = Settings(
        token=Secret(fake_bot_api.token),
        api_base_url=fake_bot_api.base_url,
        knowledge_dir=MINI_DIR,
        timezone=VIENNA,
        webhook_url="https://bot.example.org/tg/hook",
        webhook_secret=Secret("s3cret-Token_1"),
        webhook_port=free_port(),
    )
    application = build_application(settings, mini, clock=fixed_clock)
    user = fake_bot_api.add_user()
    chat = fake_bot_api.private_chat(user)
    local = f"http://127.0.0.1:{settings.webhook_port}/tg/hook"
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(
            **webhook_options(settings, listen="127.0.0.1"), allowed_updates=Update.ALL_TYPES
        )
        try:
            assert fake_bot_api.webhook_url == "https://bot.example.org/tg/hook"
            # Telegram would now POST each update; the fake queued it, the test delivers it.
            await fake_bot_api.send_text(chat, user, "When was the OSR/CTHB created?")
            update = fake_bot_api.all_updates[-1]
            async with aiohttp.ClientSession() as http:
                forged = await http.post(local, json=update, headers={SECRET_HEADER: "wrong"})
                assert forged.status == 403
                posted = await http.post(
                    local, json=update, headers={SECRET_HEADER: "s3cret-Token_1"}
                )
                assert posted.status == 200
            reply = await fake_bot_api.next_bot_message(chat)
            assert "in 2003" in reply["text"]
            assert len(fake_bot_api.messages_in(chat)) == 1  # the forged post was not answered
        finally:
            await application.updater.stop()
            await application.stop()


async def test_each_successful_poll_refreshes_the_heartbeat(
    fake_bot_api: FakeBotApi, mini: Responder, tmp_path: Path
) -> None:
    heartbeat = tmp_path / "oscebot.heartbeat"
    settings = Settings(
        token=Secret(fake_bot_api.token),
        api_base_url=fake_bot_api.base_url,
        knowledge_dir=MINI_DIR,
        timezone=VIENNA,
        heartbeat_path=heartbeat,
    )
    application = build_application(settings, mini, clock=fixed_clock, announce_every=None)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            await fake_bot_api.wait_for(heartbeat.exists, timeout=10)
            first = heartbeat.stat().st_mtime_ns
            fake_bot_api.fail_next("getUpdates", "server_error", times=2)
            user = fake_bot_api.add_user()
            await fake_bot_api.send_text(fake_bot_api.private_chat(user), user, "palermo")
            await fake_bot_api.next_bot_message(fake_bot_api.private_chat(user), timeout=15)
            assert heartbeat.stat().st_mtime_ns > first
        finally:
            await application.updater.stop()
            await application.stop()


async def test_a_rejected_token_never_appears_in_the_output(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    secret = "999:WRONG-secret-value"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": secret,
        "TELEGRAM_API_BASE_URL": fake_bot_api.base_url,
        "OSCEBOT_KNOWLEDGE": str(MINI_DIR),
        "OSCEBOT_DB": str(tmp_path / "db.sqlite3"),
        "OSCEBOT_LOG_LEVEL": "DEBUG",  # PTB's own DEBUG lines hold the API URL, token included
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    output = (out + err).decode()
    assert process.returncode == 2
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in output
    assert "WRONG-secret-value" not in output
    # PTB's error, whose message names the token, was logged: its type, not its message.
    assert "InvalidToken: [message withheld]" in output
    assert "there was no database at" in output  # a missing file is said, not silently made


async def test_calendar_arrives_as_an_ics_file(bot: FakeBotApi) -> None:
    user = bot.add_user()
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "/calendar")
    document = await bot.wait_for(lambda: bot.documents[-1] if bot.documents else None)
    assert document.filename == "awareness-days.ics"
    calendar = Calendar.from_ical(document.content)
    names = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert names == ["Test Leap Day", "World Day against Trafficking in Persons"]
    assert "Every awareness day" in (document.caption or "")
