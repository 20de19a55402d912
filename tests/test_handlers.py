"""Handler unit tests: the real application, updates fed to `process_update`, and a request
class that answers from memory (tests/offline_request.py), so no socket is ever opened."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.commands import (
    ADMINS_ONLY,
    APOLOGY,
    ASK_USAGE,
    OPERATORS_ONLY,
    STALE_BUTTON,
    SUBSCRIBE_IN_PRIVATE,
    UNKNOWN_COMMAND,
)
from bot.responder import Responder
from bot.store import Store
from tests.offline_harness import GROUP, USER, Harness, offline_app
from tests.offline_request import BOT_ID, BOT_USERNAME


async def test_private_question_gets_one_sourced_html_reply(offline: Harness) -> None:
    await offline.text("When was the OSR/CTHB created?")
    [reply] = offline.replies()
    assert "in 2003" in reply["text"]
    assert "Source:" in reply["text"]
    assert reply["parse_mode"] == "HTML"
    assert reply["link_preview_options"] == {"is_disabled": True}


async def test_fallback_offers_buttons_and_help(offline: Harness) -> None:
    await offline.text("Who painted the Mona Lisa?")
    [reply] = offline.replies()
    assert reply["text"].startswith("Sorry, I don't know that.")
    keyboard = reply["reply_markup"]["inline_keyboard"]
    assert 2 <= len(keyboard) <= 3
    assert all(row[0]["callback_data"].startswith("a:") for row in keyboard)


async def test_group_chatter_is_ignored(offline: Harness) -> None:
    await offline.text("the palermo protocol is on the agenda today", chat=GROUP)
    assert offline.request.calls == [("getMe", {})]


async def test_group_mention_is_answered_in_reply(offline: Harness) -> None:
    asked = await offline.text(f"@{BOT_USERNAME} what is the palermo protocol", chat=GROUP)
    [reply] = offline.replies()
    assert reply["text"].startswith("The Palermo Protocol was adopted")
    assert reply["reply_parameters"]["message_id"] == asked["message_id"]


async def test_group_reply_to_the_bot_is_answered(offline: Harness) -> None:
    bot_message = {
        "message_id": 1,
        "date": 1_790_000_000,
        "chat": GROUP,
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "oscebot"},
        "text": "earlier answer",
    }
    await offline.text("and when was the OSR created?", chat=GROUP, reply_to=bot_message)
    [reply] = offline.replies()
    assert "in 2003" in reply["text"]


async def test_ask_in_reply_answers_the_replied_question(offline: Harness) -> None:
    question = {
        "message_id": 55,
        "date": 1_790_000_000,
        "chat": GROUP,
        "from": {"id": 8, "is_bot": False, "first_name": "Bob"},
        "text": "what is the palermo protocol?",
    }
    await offline.text("/ask", chat=GROUP, reply_to=question)
    [reply] = offline.replies()
    assert reply["text"].startswith("The Palermo Protocol was adopted")
    assert reply["reply_parameters"]["message_id"] == 55


async def test_ask_without_a_question_explains_itself(offline: Harness) -> None:
    await offline.text("/ask")
    [reply] = offline.replies()
    assert reply["text"] == ASK_USAGE


@pytest.mark.parametrize("data", ["a:palermo-protocol", "a:sr-tasks"])
async def test_button_answers_its_entry(offline: Harness, data: str) -> None:
    await offline.press(data)
    assert offline.request.sent("answerCallbackQuery")
    [reply] = offline.replies()
    assert "Source:" in reply["text"]


@pytest.mark.parametrize("data", ["a:no-such-entry", "zzz", "", "a:", "fact_x", "a:" + "x" * 62])
async def test_forged_button_gets_a_polite_note(offline: Harness, data: str) -> None:
    await offline.press(data)
    [answered] = offline.request.sent("answerCallbackQuery")
    assert answered["text"] == STALE_BUTTON
    assert offline.replies() == []


async def test_inline_query_returns_at_most_ten_sourced_results(offline: Harness) -> None:
    await offline.feed(
        "inline_query", {"id": "q1", "from": USER, "query": "palermo protocol", "offset": ""}
    )
    [answer] = offline.request.sent("answerInlineQuery")
    results = answer["results"]
    assert 1 <= len(results) <= 10
    assert results[0]["id"] == "palermo-protocol"
    assert answer["cache_time"] == 300


async def test_unknown_command_points_to_help(offline: Harness) -> None:
    await offline.text("/frobnicate now")
    [reply] = offline.replies()
    assert reply["text"] == UNKNOWN_COMMAND


async def test_edited_messages_and_channel_posts_get_no_reply(offline: Harness) -> None:
    await offline.text("When was the OSR/CTHB created?", kind="edited_message")
    channel = {"id": -100300, "type": "channel", "title": "News"}
    await offline.feed(
        "channel_post",
        {"message_id": 3, "date": 1_790_000_000, "chat": channel, "text": "palermo protocol"},
    )
    assert offline.replies() == []


async def test_a_failed_reply_gets_an_apology_and_the_bot_goes_on(offline: Harness) -> None:
    offline.request.fail_next("sendMessage", 400, "Bad Request: message is too long")
    await offline.text("When was the OSR/CTHB created?")
    first, apology = offline.replies()
    assert "in 2003" in first["text"]  # the attempt that failed
    assert apology["text"] == APOLOGY
    await offline.text("palermo protocol")
    assert offline.replies()[-1]["text"].startswith("The Palermo Protocol was adopted")


# --- awareness days ------------------------------------------------------------------------


async def test_next_gives_the_next_day_in_full(offline: Harness) -> None:
    await offline.text("/next")
    [reply] = offline.replies()
    # on 24 November 2026 the World Day (30 July 2027) comes before 29 February 2028
    assert reply["text"].startswith("World Day against Trafficking in Persons is marked")
    assert "Next: 30 July 2027, in 248 days." in reply["text"]
    assert "Source:" in reply["text"]


@pytest.mark.parametrize(
    ("query", "start"),
    [("world anti-trafficking day", "World Day against Trafficking in Persons is marked")],
)
async def test_day_finds_a_day_by_name(offline: Harness, query: str, start: str) -> None:
    await offline.text(f"/day {query}")
    [reply] = offline.replies()
    assert reply["text"].startswith(start)


@pytest.mark.parametrize("query", ["pizza", "x" * 3000, "🎉🎉"])
async def test_day_with_an_unknown_name_lists_the_days(offline: Harness, query: str) -> None:
    await offline.text(f"/day {query}")
    [reply] = offline.replies()
    assert reply["text"].startswith("I don't know an awareness day by that name.")
    buttons = [row[0]["callback_data"] for row in reply["reply_markup"]["inline_keyboard"]]
    assert set(buttons) == {"a:day-world-day", "a:day-leap-day"}


async def test_day_without_a_name_explains_itself(offline: Harness) -> None:
    await offline.text("/day")
    [reply] = offline.replies()
    assert reply["text"].startswith("Send /day followed by a name")


@pytest.mark.parametrize(("arg", "count"), [("", 2), ("1", 1), ("abc", 2), ("99999999", 2)])
async def test_days_takes_an_optional_count(offline: Harness, arg: str, count: int) -> None:
    await offline.text(f"/days {arg}".strip())
    [reply] = offline.replies()
    assert reply["text"].count("Proclaimed by") == count


async def test_calendar_sends_an_ics_document(offline: Harness) -> None:
    await offline.text("/calendar")
    [document] = offline.request.sent("sendDocument")
    assert "Every awareness day" in document["caption"]


# --- subscriptions -------------------------------------------------------------------------

ADMIN_ID = 7  # USER is the one sending in these tests


async def test_subscribe_by_an_admin_with_a_time_zone(offline: Harness, store: Store) -> None:
    offline.request.chat_admins.add(ADMIN_ID)
    await offline.text("/subscribe Asia/Almaty", chat=GROUP)
    [reply] = offline.replies()
    assert reply["text"].startswith("Subscribed: on 30 July")
    assert "Asia/Almaty" in reply["text"]
    assert [(s.chat_id, s.timezone) for s in store.subscriptions()] == [
        (GROUP["id"], "Asia/Almaty")
    ]
    await offline.text("/unsubscribe", chat=GROUP)
    assert offline.replies()[-1]["text"].startswith("Done: this chat will no longer")
    assert store.subscriptions() == []


async def test_subscribe_by_a_member_is_refused(offline: Harness, store: Store) -> None:
    await offline.text("/subscribe", chat=GROUP)
    await offline.text("/unsubscribe", chat=GROUP)
    assert [r["text"] for r in offline.replies()] == [ADMINS_ONLY, ADMINS_ONLY]
    assert store.subscriptions() == []


async def test_subscribe_in_private_points_to_groups(offline: Harness, store: Store) -> None:
    await offline.text("/subscribe")
    [reply] = offline.replies()
    assert reply["text"] == SUBSCRIBE_IN_PRIVATE
    assert store.subscriptions() == []


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus", "../../etc/passwd", "Europe/Vienna\x00", "x" * 500]
)
async def test_subscribe_with_an_unknown_zone(offline: Harness, store: Store, zone: str) -> None:
    offline.request.chat_admins.add(ADMIN_ID)
    await offline.text(f"/subscribe {zone}", chat=GROUP)
    [reply] = offline.replies()
    assert reply["text"].startswith("I don't know the time zone")
    assert len(reply["text"]) < 300
    assert store.subscriptions() == []


# --- operators -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["/announce_preview", "/reload"])
async def test_operator_commands_are_refused_for_others(offline: Harness, command: str) -> None:
    await offline.text(command)
    [reply] = offline.replies()
    assert reply["text"] == OPERATORS_ONLY


async def test_an_anonymous_admin_may_subscribe(offline: Harness, store: Store) -> None:
    anonymous = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }
    message = {
        "message_id": 900,
        "date": 1_790_000_000,
        "chat": GROUP,
        "from": anonymous,
        "sender_chat": GROUP,
        "text": "/subscribe",
        "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
    }
    await offline.feed("message", message)
    [reply] = offline.replies()
    assert reply["text"].startswith("Subscribed")
    assert [s.chat_id for s in store.subscriptions()] == [GROUP["id"]]


async def test_days_count_from_today_in_the_groups_time_zone(
    offline: Harness, store: Store
) -> None:
    # 12:00 in Vienna on 24 November is already 25 November in Kiritimati (UTC+14)
    store.subscribe(GROUP["id"], "Pacific/Kiritimati", dt.date(2026, 11, 1))
    await offline.text("/days", chat=GROUP)
    await offline.text("/days")
    in_group, in_private = (r["text"] for r in offline.replies())
    assert "30 July 2027 (in 247 days)" in in_group
    assert "30 July 2027 (in 248 days)" in in_private


async def test_inline_query_about_danger_offers_the_numbers_first(offline: Harness) -> None:
    await offline.feed(
        "inline_query", {"id": "q2", "from": USER, "query": "they took my passport", "offset": ""}
    )
    [answer] = offline.request.sent("answerInlineQuery")
    first = answer["results"][0]
    assert first["id"] == "safety"
    assert first["title"] == "In danger? Emergency and hotline numbers"
    assert "112" in first["input_message_content"]["message_text"]


async def test_danger_in_private_gets_the_short_reply_with_buttons(
    real: Responder, store: Store
) -> None:
    async with offline_app(real, store) as harness:
        await harness.text("I am in Poland and my boss took my passport, I cannot leave")
        [reply] = harness.replies()
    assert reply["text"].startswith("In danger now? Call 112")
    assert "+48 22 628 01 20" in reply["text"]
    assert len(reply["text"]) <= 1000  # HTML links included; the visible text is shorter
    labels = [row[0]["text"] for row in reply["reply_markup"]["inline_keyboard"]]
    assert labels == ["All help numbers", "Hide this chat"]


async def test_danger_in_a_group_gets_112_and_a_private_link_only(
    real: Responder, store: Store
) -> None:
    async with offline_app(real, store) as harness:
        await harness.text(f"@{BOT_USERNAME} my boss took my passport, help", chat=GROUP)
        [reply] = harness.replies()
    assert "112" in reply["text"]
    assert "Delete" not in reply["text"] and "+48" not in reply["text"]
    [[button]] = reply["reply_markup"]["inline_keyboard"]
    assert button["url"] == f"https://t.me/{BOT_USERNAME}?start=fact_safety_help_en"


async def test_the_private_link_opens_the_safety_reply(real: Responder, store: Store) -> None:
    async with offline_app(real, store) as harness:
        await harness.text("/start fact_safety_help_uk")
        [reply] = harness.replies()
    assert reply["text"].startswith("Вам загрожує небезпека?")


async def test_a_russian_message_gets_the_reply_in_russian(real: Responder, store: Store) -> None:
    async with offline_app(real, store) as harness:
        await harness.text("у меня забрали паспорт и не отпускают, я в Грузии")
        [reply] = harness.replies()
    assert reply["text"].startswith("Вам угрожает опасность? Звоните 112")
    assert "(+995 32) 2 100 229" in reply["text"]


async def test_an_inline_search_typed_a_key_at_a_time_leaves_the_chat_open(
    mini: Responder, store: Store
) -> None:
    """Inline queries have their own limit: 30 in a few seconds are all answered, and the
    user's private question right after is answered too."""
    async with offline_app(mini, store, flood_clock=lambda: 100.0) as harness:
        query = "when was the osr created"
        for length in range(1, 31):
            await harness.feed(
                "inline_query",
                {"id": f"k{length}", "from": USER, "query": query[:length], "offset": ""},
            )
        await harness.text("When was the OSR/CTHB created?")
        answers = harness.request.sent("answerInlineQuery")
        [reply] = harness.replies()
    assert len(answers) == 30
    assert "in 2003" in reply["text"]


async def test_inline_results_are_short_and_lead_to_a_private_chat(offline: Harness) -> None:
    await offline.feed(
        "inline_query", {"id": "q9", "from": USER, "query": "awareness days", "offset": ""}
    )
    [answer] = offline.request.sent("answerInlineQuery")
    assert answer["button"]["start_parameter"] == "inline"
    for result in answer["results"]:
        assert len(result["input_message_content"]["message_text"]) <= 1000
        assert len(result["description"]) <= 120
        if len(result["description"]) == 120:
            assert result["description"].endswith("…")
        if result["id"] != "safety":
            [[button]] = result["reply_markup"]["inline_keyboard"]
            assert button["url"].startswith(f"https://t.me/{BOT_USERNAME}?start=fact_")


async def test_days_and_help_in_a_group_are_replies(offline: Harness) -> None:
    for command in ("/days", "/help"):
        asked = await offline.text(command, chat=GROUP)
        reply = offline.replies()[-1]
        assert reply["reply_parameters"]["message_id"] == asked["message_id"], command
