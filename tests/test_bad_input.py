"""Bad input through the real handlers: each row is something people (or scripts) send, and
the reply it must get. Nothing crashes, nothing leaks a traceback, every reply is valid
Telegram HTML within the length limit, and injection strings come back escaped or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.answers import (
    CLARIFY_BUTTONS,
    CLARIFY_ONE_BUTTONS,
    EMPTY_TEXT,
    FALLBACK_TEXT,
)
from bot.commands import (
    APOLOGY,
    NOT_TEXT,
    STALE_BUTTON,
    SUBSCRIBE_IN_PRIVATE,
    UNKNOWN_COMMAND,
    WELCOME,
)
from bot.responder import Responder
from bot.store import Store
from bot.telegram.guard import SLOW_DOWN
from tests.fake_bot_api import parse_html
from tests.offline_harness import GROUP, Harness, offline_app

SAFETY = "If you or someone else is in immediate danger, call 112"
PALERMO = "The Palermo Protocol was adopted"
CLARIFY = (CLARIFY_BUTTONS, CLARIFY_ONE_BUTTONS)
"""A "did you mean" reply, with several choices or one."""
NO_QUOTE = "I have no quote for that."
DAYS = "Awareness days coming up:"
HELP = "Ask me about the OSCE's work"
SILENCE = None
OTHER_LANGUAGE = "In danger, call 112"

# (what is sent, the start of the one reply expected, or SILENCE)
TEXT_ROWS: list[tuple[str, str | tuple[str, ...] | None]] = [
    ("   ", EMPTY_TEXT),
    ("\n\n\t", EMPTY_TEXT),
    ("😀😀😀", EMPTY_TEXT),
    ("🙏", EMPTY_TEXT),
    ("\u200b\u200b\u200d", EMPTY_TEXT),
    ("\x00\x01\x02\x7f", EMPTY_TEXT),
    ("?!?!...", EMPTY_TEXT),
    ("a" * 4096, FALLBACK_TEXT),
    ("what is the palermo protocol " + "x" * 4000, PALERMO),
    ("palermo\x00protocol", PALERMO),
    ("ما هو بروتوكول باليرمو؟", OTHER_LANGUAGE),
    ("מה זה פרוטוקול פלרמו", OTHER_LANGUAGE),
    ("\u202epalermo\u202c protocol", PALERMO),  # bidi overrides are dropped, not read
    ("Палермо protocol", (PALERMO, *CLARIFY)),  # mixed scripts: offered or answered, never lost
    ("'; DROP TABLE subscriptions; --", FALLBACK_TEXT),
    ("1 OR 1=1", FALLBACK_TEXT),
    ("<script>alert(1)</script>", FALLBACK_TEXT),
    ('<a href="javascript:alert(1)">x</a>', FALLBACK_TEXT),
    ("<b>palermo</b> protocol", PALERMO),
    ("*bold* _italic_ `code` [link](http://x)", FALLBACK_TEXT),
    ("&amp; &lt; &#0; &", FALLBACK_TEXT),
    ("{{7*7}} ${jndi:ldap://x}", FALLBACK_TEXT),
    ("%s%s%n", FALLBACK_TEXT),
    ("null", FALLBACK_TEXT),
    ("asdf qwerty", FALLBACK_TEXT),
    ("they took my passport", SAFETY),
    ("помогите", SAFETY),
    ("/quote " + "x" * 4000, NO_QUOTE),
    ("/quote <b>x</b> & y", NO_QUOTE),
    ("/days -5", DAYS),
    ("/days 1e9", DAYS),
    ("/days 99999999999999999999", DAYS),
    ("/day " + "🎉" * 100, "I don't know an awareness day by that name."),
    ("/start fact_", WELCOME[:40]),
    ("/start fact_../../etc/passwd", WELCOME[:40]),
    ("/start " + "x" * 64, WELCOME[:40]),
    ("/ask 😀", EMPTY_TEXT),
    ("/ask <i>palermo protocol</i>", PALERMO),
    ("/subscribe Europe/Vienna; rm -rf /", SUBSCRIBE_IN_PRIVATE),
    ("/unknown_cmd@otherbot", UNKNOWN_COMMAND),
    ("/help@oscebot_offline extra junk", HELP),
    ("/" + "x" * 100, UNKNOWN_COMMAND),
]

STICKER: dict[str, Any] = {
    "sticker": {
        "file_id": "s1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}
LOCATION: dict[str, Any] = {"location": {"latitude": 48.2, "longitude": 16.37}}

# (a message without text, in a private chat or a group) -> reply
OTHER_ROWS: list[tuple[dict[str, Any], bool, str | None]] = [
    (
        STICKER,
        False,
        NOT_TEXT,
    ),
    (
        {"photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]},
        False,
        NOT_TEXT,
    ),
    ({"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}}, False, NOT_TEXT),
    (LOCATION, False, NOT_TEXT),
    ({"contact": {"phone_number": "+43 1 000", "first_name": "X"}}, False, NOT_TEXT),
    (
        STICKER,
        True,
        SILENCE,
    ),
    (LOCATION, True, SILENCE),
]

FORGED_BUTTONS = ["\x00\xff", "a:" + "🙂" * 15, "a:../../", "x:palermo-protocol", "a:a:a:a", ""]


def check_valid_html(harness: Harness) -> None:
    for reply in harness.replies():
        assert len(reply["text"]) <= 4096
        parse_html(reply["text"])  # raises like Telegram on a broken entity or tag
        assert "Traceback" not in reply["text"]


def only_reply(harness: Harness) -> str | None:
    replies = harness.replies()
    assert len(replies) <= 1, [r["text"][:60] for r in replies]
    return replies[0]["text"] if replies else None


@pytest.mark.parametrize(("text", "expected"), TEXT_ROWS)
async def test_text(offline: Harness, text: str, expected: str | tuple[str, ...] | None) -> None:
    await offline.text(text)
    check_valid_html(offline)
    reply = only_reply(offline)
    assert reply is not None and reply.startswith(expected or ""), reply
    for dangerous in ("<script>", "javascript:", "DROP TABLE"):
        assert dangerous not in reply


@pytest.mark.parametrize(("fields", "in_group", "expected"), OTHER_ROWS)
async def test_messages_without_text(
    offline: Harness, fields: dict[str, Any], in_group: bool, expected: str | None
) -> None:
    await offline.other(fields, chat=GROUP if in_group else None)
    assert only_reply(offline) == expected


@pytest.mark.parametrize("data", FORGED_BUTTONS)
async def test_forged_buttons(offline: Harness, data: str) -> None:
    await offline.press(data)
    [answered] = offline.request.sent("answerCallbackQuery")
    assert answered["text"] == STALE_BUTTON
    assert offline.replies() == []


async def test_a_stale_but_real_button_still_answers(offline: Harness) -> None:
    await offline.press("a:palermo-protocol")
    assert (only_reply(offline) or "").startswith(PALERMO)


@pytest.mark.parametrize("kind", ["edited_message", "channel_post", "edited_channel_post"])
async def test_edits_and_channel_posts_are_ignored(offline: Harness, kind: str) -> None:
    channel = {"id": -100300, "type": "channel", "title": "News"}
    await offline.text("palermo protocol", kind=kind, chat=channel if "channel" in kind else None)
    assert offline.replies() == []


async def test_messages_from_other_bots_are_ignored(offline: Harness) -> None:
    other_bot = {"id": 999, "is_bot": True, "first_name": "Spam", "username": "spam_bot"}
    await offline.text("palermo protocol", sender=other_bot)
    await offline.text("/start", sender=other_bot, chat=GROUP)
    assert offline.replies() == []


async def test_a_flood_gets_one_notice_then_silence_and_others_are_served(
    mini: Responder,
) -> None:
    now = [0.0]
    async with offline_app(mini, Store.in_memory(), flood_clock=lambda: now[0]) as harness:
        for i in range(100):  # 100 messages in 10 seconds
            now[0] = i * 0.1
            await harness.text("palermo protocol")
        texts = [r["text"] for r in harness.replies()]
        answered = [t for t in texts if t.startswith(PALERMO)]
        assert 1 <= len(answered) < 20
        assert texts.count(SLOW_DOWN) == 1
        assert texts[-1] == SLOW_DOWN  # silence after the notice
        other = {"id": 8, "is_bot": False, "first_name": "Bo"}
        await harness.text("palermo protocol", sender=other)
        assert harness.replies()[-1]["text"].startswith(PALERMO)
        now[0] = 10.0 + 30.0  # the window has passed
        await harness.text("palermo protocol")
        assert harness.replies()[-1]["text"].startswith(PALERMO)


async def test_a_crashing_handler_apologises_and_keeps_the_data(
    mini: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.in_memory()
    store.subscribe(GROUP["id"], "Europe/Vienna", dt.date(2027, 1, 1))

    def explode(*_: object) -> None:
        raise RuntimeError("boom")

    async with offline_app(mini, store) as harness:
        monkeypatch.setattr(harness.wiring.live.responder, "reply", explode)
        await harness.text("palermo protocol")
        assert only_reply(harness) == APOLOGY
    assert [s.chat_id for s in store.subscriptions()] == [GROUP["id"]]


def test_the_table_is_big_enough() -> None:
    rows = len(TEXT_ROWS) + len(OTHER_ROWS) + len(FORGED_BUTTONS) + 3 + 2 + 1
    assert rows >= 40
