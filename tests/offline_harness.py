"""An offline harness for handler tests: the real application built by `bot.telegram.app.build`,
updates fed to `Application.process_update`, and a request class that answers from memory
(tests/offline_request.py), so no socket is ever opened. Loaded as a pytest plugin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from telegram import Update
from telegram.ext import Application

from bot.responder import Responder
from bot.settings import Secret, Settings
from bot.store import Store
from bot.telegram.app import Wiring, build
from tests.conftest import MINI_DIR
from tests.offline_request import BOT_ID, BOT_USERNAME, OfflineRequest

VIENNA = ZoneInfo("Europe/Vienna")
USER = {"id": 7, "is_bot": False, "first_name": "Ana"}
GROUP = {"id": -100200, "type": "supergroup", "title": "NGO team"}
_ids = itertools.count(1)


def clock() -> dt.datetime:
    return dt.datetime(2026, 11, 24, 12, 0, tzinfo=VIENNA)


class Harness:
    """One offline application and helpers that build Telegram-shaped updates."""

    def __init__(self, wiring: Wiring, request: OfflineRequest) -> None:
        self.wiring = wiring
        self.application: Application = wiring.application  # type: ignore[type-arg]
        self.request = request

    async def feed(self, kind: str, payload: dict[str, Any]) -> None:
        data = {"update_id": next(_ids), kind: payload}
        await self.application.process_update(Update.de_json(data, self.application.bot))

    async def text(
        self,
        text: str,
        *,
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
        kind: str = "message",
        sender: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        sender = sender or USER
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": 1_790_000_000,
            "chat": chat or {"id": sender["id"], "type": "private", "first_name": "Ana"},
            "from": sender,
            "text": text,
        }
        entities: list[dict[str, Any]] = []
        if text.startswith("/"):
            command = text.split()[0]
            entities.append({"type": "bot_command", "offset": 0, "length": len(command)})
        mention = f"@{BOT_USERNAME}"
        if mention in text and not text.startswith("/"):
            offset = text.index(mention)
            entities.append({"type": "mention", "offset": offset, "length": len(mention)})
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        await self.feed(kind, message)
        return message

    async def other(
        self, fields: dict[str, Any], *, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message without text (sticker, photo, location...) from the usual user."""
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": 1_790_000_000,
            "chat": chat or {"id": USER["id"], "type": "private", "first_name": "Ana"},
            "from": USER,
            **fields,
        }
        await self.feed("message", message)
        return message

    async def press(self, data: str) -> None:
        await self.feed(
            "callback_query",
            {
                "id": str(next(_ids)),
                "from": USER,
                "chat_instance": "ci-1",
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": 1_790_000_000,
                    "chat": {"id": USER["id"], "type": "private", "first_name": "Ana"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "oscebot"},
                    "text": "earlier answer",
                },
            },
        )

    def replies(self) -> list[dict[str, Any]]:
        return self.request.sent("sendMessage")


@pytest.fixture
def store() -> Store:
    return Store.in_memory()


@asynccontextmanager
async def offline_app(
    responder: Responder,
    store: Store,
    *,
    flood_clock: Callable[[], float] | None = None,
    **settings: Any,
) -> AsyncIterator[Harness]:
    """A started offline application; `settings` override the test defaults."""
    request = OfflineRequest()
    base = Settings(token=Secret("4242:OFFLINE"), knowledge_dir=MINI_DIR, timezone=VIENNA)
    wiring = build(
        dataclasses.replace(base, **settings),
        responder,
        store=store,
        clock=clock,
        request=request,
        get_updates_request=OfflineRequest(),
        announce_every=None,
        flood_clock=flood_clock,
    )
    async with wiring.application:
        yield Harness(wiring, request)


@pytest_asyncio.fixture
async def offline(mini: Responder, store: Store) -> AsyncIterator[Harness]:
    async with offline_app(mini, store) as harness:
        yield harness
