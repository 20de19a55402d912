"""Every answer the real knowledge base can give is valid Telegram HTML in messages Telegram
accepts: checked with the fake Bot API's parser, which rejects what Telegram rejects."""

from __future__ import annotations

import pytest

from bot.announcement import announcement
from bot.responder import Responder
from bot.telegram.formatting import MESSAGE_LIMIT, split_html
from tests.conftest import TODAY
from tests.fake_bot_api import parse_html, utf16_len


def test_every_entry_renders_as_valid_telegram_html(real: Responder) -> None:
    broken = []
    for entry in real.entries:
        reply = real.reply_to_intent(entry.id, TODAY)
        assert reply is not None
        for chunk in split_html(reply.html()):
            assert utf16_len(chunk) <= MESSAGE_LIMIT, entry.id
            try:
                parse_html(chunk)
            except Exception as exc:
                broken.append(f"{entry.id}: {exc}")
    assert not broken


@pytest.mark.parametrize("year", [2026, 2027, 2030])
def test_the_announcement_is_one_valid_message(real: Responder, year: int) -> None:
    reply = announcement(real, year)
    assert reply is not None
    [message] = split_html(reply.html())
    text, _ = parse_html(message)
    assert text.startswith("Today is the World Day against Trafficking in Persons")
