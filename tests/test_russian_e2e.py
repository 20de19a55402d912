"""End to end in Russian: the real PTB Application with the real knowledge base, polling over
real HTTP against the fake Bot API server on 127.0.0.1, and a user whose Telegram is set to
Russian."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.commands import PRIVATE, menu
from bot.knowledge import KnowledgeBase, bundled_knowledge_dir
from bot.responder import Responder
from bot.settings import Secret, Settings
from bot.telegram.app import build_application
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api_fixtures import polling

VIENNA = ZoneInfo("Europe/Vienna")
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 12, 7, 12, 0, tzinfo=VIENNA)


@pytest.fixture(scope="module")
def bilingual(real_kb: KnowledgeBase) -> Responder:
    return Responder(real_kb)


@pytest_asyncio.fixture
async def bot(fake_bot_api: FakeBotApi, bilingual: Responder) -> AsyncIterator[FakeBotApi]:
    settings = Settings(
        token=Secret(fake_bot_api.token),
        api_base_url=fake_bot_api.base_url,
        knowledge_dir=bundled_knowledge_dir(),
        timezone=VIENNA,
    )
    application = build_application(settings, bilingual, clock=fixed_clock)
    async with polling(application):
        yield fake_bot_api


async def test_a_russian_user_is_welcomed_in_russian(bot: FakeBotApi) -> None:
    user = bot.add_user(first_name="Анна", language_code="ru")
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "/start")
    reply = await bot.next_bot_message(chat)
    assert reply["text"].startswith("Здравствуйте")
    labels = [row[0]["text"] for row in reply["reply_markup"]["inline_keyboard"]]
    assert labels and all(CYRILLIC.search(label) for label in labels)
    await bot.send_text(chat, user, "/help")
    help_page = await bot.next_bot_message(chat)
    assert "/days" in help_page["text"] and CYRILLIC.search(help_page["text"])


async def test_a_russian_question_and_its_buttons_stay_russian(bot: FakeBotApi) -> None:
    user = bot.add_user(language_code="en")  # the message's own language decides
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "Что такое Палермский протокол?")
    answer = await bot.next_bot_message(chat)
    assert "2000" in answer["text"] and "Источник" in answer["text"]
    data = [b["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for b in row]
    more = next(d for d in data if d.endswith("more:palermo-protocol"))
    assert more == "a:ru~more:palermo-protocol"
    await bot.press_button(answer, more, user)
    detail = await bot.next_bot_message(chat)
    assert detail["text"].startswith("Это «первый глобальный")


async def test_a_forged_language_button_is_a_stale_button(bot: FakeBotApi) -> None:
    user = bot.add_user(language_code="ru")
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "Что такое Палермский протокол?")
    answer = await bot.next_bot_message(chat)
    await bot.press_button(answer, "a:xx~palermo-protocol", user, check_button=False)
    await bot.wait_for(lambda: bot.answered_callbacks or None)
    assert "кнопка" in str(bot.answered_callbacks[-1]).lower()


async def test_menus_and_descriptions_in_russian(bot: FakeBotApi) -> None:
    await bot.wait_for(lambda: bot.commands(language_code="ru") or None)
    russian = bot.commands(language_code="ru")
    english = bot.commands()
    assert [c["command"] for c in russian] == [c.name for c in menu(PRIVATE)]
    assert [c["command"] for c in english] == [c["command"] for c in russian]
    assert all(CYRILLIC.search(c["description"]) for c in russian)
    assert not any(CYRILLIC.search(c["description"]) for c in english)


async def test_ukrainian_gets_an_honest_reply_with_the_emergency_line(bot: FakeBotApi) -> None:
    user = bot.add_user(language_code="uk")
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "Що таке ОБСЄ і коли її створили?")
    reply = await bot.next_bot_message(chat)
    first = reply["text"].split("\n\n")[0]
    assert "112" in first and "російською" in first


async def test_a_russian_deep_link_opens_the_russian_answer(bot: FakeBotApi) -> None:
    user = bot.add_user(language_code="en")
    chat = bot.private_chat(user)
    await bot.send_text(chat, user, "/start rufact_palermo_protocol")
    reply = await bot.next_bot_message(chat)
    assert "2000" in reply["text"] and CYRILLIC.search(reply["text"])
    await bot.send_text(chat, user, "/start xxfact_palermo_protocol")  # no such language
    welcome = await bot.next_bot_message(chat)
    assert "I answer questions about the OSCE" in welcome["text"]
