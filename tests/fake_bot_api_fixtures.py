"""Pytest fixtures for the fake Telegram Bot API (load with ``pytest_plugins``).

In ``conftest.py``::

    pytest_plugins = ["tests.fake_bot_api_fixtures"]

then ask for ``fake_bot_api`` in a test::

    async def test_start(fake_bot_api: FakeBotApi) -> None:
        app = (
            ApplicationBuilder()
            .token(fake_bot_api.token)
            .base_url(fake_bot_api.base_url)
            .base_file_url(fake_bot_api.base_file_url)
            .build()
        )
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest_asyncio
from telegram.ext import Application

from tests.fake_bot_api import FakeBotApi

FAKE_BOT_TOKEN = "123:ABC"
FAKE_BOT_USERNAME = "oscebot_test"


@pytest_asyncio.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    """A started :class:`FakeBotApi` (token ``123:ABC``, bot ``@oscebot_test``).

    The server is closed after the test; the test fails at teardown if the fake itself hit
    an internal error, so a bug in the fake is never mistaken for a bot bug.
    """
    async with FakeBotApi(token=FAKE_BOT_TOKEN, bot_username=FAKE_BOT_USERNAME) as server:
        yield server
        if server.internal_errors:
            raise AssertionError(
                "FakeBotApi internal errors:\n" + "\n".join(server.internal_errors)
            )


@asynccontextmanager
async def polling(application: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """`application` as `run_polling` runs it (its post_init first), polling the fake server
    until the block ends."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        yield
        await application.updater.stop()
        await application.stop()
