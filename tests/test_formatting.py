"""Telegram formatting: messages split cleanly at the limit, button data that fits."""

from __future__ import annotations

import re

import pytest

from bot.answers import Reply, SourceRef
from bot.telegram.formatting import (
    callback_data,
    deep_link,
    deep_link_intent,
    intent_of,
    split_html,
)


def test_short_text_is_one_message() -> None:
    assert split_html("<b>x</b>") == ["<b>x</b>"]


def test_long_reply_splits_between_lines_never_inside_a_tag() -> None:
    body = "\n".join(f"Line {i}: " + "word " * 30 for i in range(200))
    reply = Reply("q", "answer", "x", 90, body, (SourceRef("T", "P", "https://e.org", None),))
    html = reply.html()
    chunks = split_html(html)
    assert len(chunks) > 1
    assert all(len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks).replace("\n", "") == html.replace("\n", "")
    assert chunks[-1].count("<a ") == chunks[-1].count("</a>") == 1


def test_a_single_overlong_line_is_cut_at_spaces() -> None:
    chunks = split_html("word " * 2000, limit=100)
    assert all(len(c) <= 100 for c in chunks)
    assert " ".join(c.strip() for c in chunks).split() == ["word"] * 2000


def test_callback_data_round_trip_and_limits() -> None:
    assert intent_of(callback_data("osr-created")) == "osr-created"
    assert callback_data("x" * 70) is None
    for forged in (None, "", "a:", "b:osr-created", "\x00\xff", "a:" + "y" * 100):
        assert intent_of(forged) is None


@pytest.mark.parametrize("intent", ["palermo-protocol", "ru~palermo-protocol", "osr-created"])
def test_deep_links_round_trip_with_their_language(intent: str) -> None:
    payload = deep_link("oscebot", intent).split("?start=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)  # what Telegram allows
    assert deep_link_intent(payload) == intent
    assert deep_link_intent("inline") is None
