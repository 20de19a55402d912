"""Updates of different chats are handled at the same time, those of one chat in order
(bot.telegram.concurrency): unit tests of the processor, and end to end against the fake Bot
API holding the bot's sends in flight."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest_asyncio
from telegram import Chat, Message, Update, User

from bot.responder import Responder
from bot.settings import Secret, Settings
from bot.telegram.app import build_application
from bot.telegram.concurrency import CONCURRENT_UPDATES, PerChatUpdateProcessor, order_key
from tests.conftest import MINI_DIR
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api_fixtures import polling

VIENNA = ZoneInfo("Europe/Vienna")
HOLD = 2.0
"""A latency that keeps the bot's sends in flight until the test lowers it (or 2 s pass); below
PTB's 5 s timeouts, since the bot's long poll is held as well."""


def update(update_id: int, chat_id: int, user_id: int = 7) -> Update:
    message = Message(
        message_id=update_id,
        date=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
        chat=Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP),
        from_user=User(user_id, "U", is_bot=False),
        text="hi",
    )
    return Update(update_id, message=message)


def test_order_key_is_the_chat_else_the_user_else_none() -> None:
    assert order_key(update(1, chat_id=-100)) == -100
    assert order_key(Update(2)) is None
    assert order_key("not an update") is None


async def test_one_chat_in_order_other_chats_meanwhile() -> None:
    processor = PerChatUpdateProcessor(4)
    log: list[str] = []
    gates = {name: asyncio.Event() for name in ("a1", "a2", "b1")}

    async def handle(name: str) -> None:
        log.append(f"start {name}")
        await gates[name].wait()
        log.append(f"end {name}")

    tasks = [
        asyncio.create_task(processor.process_update(u, handle(name)))
        for name, u in (("a1", update(1, 10)), ("a2", update(2, 10)), ("b1", update(3, 20)))
    ]
    await asyncio.sleep(0.01)
    assert log == ["start a1", "start b1"]  # a2 waits for a1; chat 20 does not
    gates["a2"].set()  # finishing early changes nothing: a2 has not started
    gates["b1"].set()
    await asyncio.sleep(0.01)
    assert log == ["start a1", "start b1", "end b1"]
    gates["a1"].set()
    await asyncio.gather(*tasks)
    assert log == ["start a1", "start b1", "end b1", "end a1", "start a2", "end a2"]
    assert not processor._locks and not processor._waiting  # nothing kept once done


async def test_a_failing_update_releases_its_chat() -> None:
    processor = PerChatUpdateProcessor(2)

    async def fail() -> None:
        raise RuntimeError("handler bug")

    async def succeed() -> str:
        return "ok"

    first = asyncio.create_task(processor.process_update(update(1, 10), fail()))
    second = asyncio.create_task(processor.process_update(update(2, 10), succeed()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert results[1] is None
    assert not processor._locks


@pytest_asyncio.fixture
async def bot(fake_bot_api: FakeBotApi, mini: Responder) -> AsyncIterator[FakeBotApi]:
    settings = Settings(
        token=Secret(fake_bot_api.token),
        api_base_url=fake_bot_api.base_url,
        knowledge_dir=MINI_DIR,
        timezone=VIENNA,
    )
    application = build_application(
        settings, mini, clock=lambda: dt.datetime(2026, 11, 24, 12, tzinfo=VIENNA)
    )
    assert isinstance(application.update_processor, PerChatUpdateProcessor)
    assert application.update_processor.max_concurrent_updates == CONCURRENT_UPDATES
    async with polling(application):
        yield fake_bot_api


def sends_in_flight(server: FakeBotApi) -> int:
    return sum(1 for method, _ in server.in_flight if method == "sendMessage")


async def test_chats_are_answered_side_by_side(bot: FakeBotApi) -> None:
    """While Telegram has not answered one chat's reply, other chats' replies go out."""
    users = [bot.add_user(first_name=f"U{i}") for i in range(3)]
    await bot.set_latency(HOLD)
    for user in users:
        await bot.send_text(bot.private_chat(user), user, "When was the OSR/CTHB created?")
    await bot.wait_for(lambda: sends_in_flight(bot) == 3, timeout=10)
    await bot.set_latency(0)
    for user in users:
        reply = await bot.next_bot_message(bot.private_chat(user), timeout=10)
        assert "2003" in reply["text"]


async def test_one_chat_is_answered_in_the_order_asked(bot: FakeBotApi) -> None:
    """A chat's second question waits until its first is answered, so answers keep the order
    of the questions."""
    user = bot.add_user(first_name="Ana")
    chat = bot.private_chat(user)
    await bot.set_latency(HOLD)
    await bot.send_text(chat, user, "When was the OSR/CTHB created?")
    await bot.send_text(chat, user, "What is the Palermo Protocol?")
    await bot.wait_for(lambda: sends_in_flight(bot) == 1, timeout=10)
    await asyncio.sleep(0.2)  # time enough for a second send, were it allowed
    assert sends_in_flight(bot) == 1
    await bot.set_latency(0)
    first = await bot.next_bot_message(chat, timeout=10)
    second = await bot.next_bot_message(chat, timeout=10)
    assert "2003" in first["text"]
    assert "Palermo" in second["text"]
    assert bot.peak_in_flight_per_chat[chat.id] == 1
