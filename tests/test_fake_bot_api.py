"""Tests of the fake Telegram Bot API server, driven by PTB's own client.

Every happy path goes through ``telegram.Bot`` so the JSON shapes are proven to parse with
PTB's ``de_json``; validation and fault cases check that PTB raises the exception it raises
against the real Telegram.  Raw aiohttp requests cover routing and parameter encodings.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    ChatMemberAdministrator,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests import fake_bot_api_fixtures
from tests.fake_bot_api import FakeBotApi, FakeUser, parse_html, parse_markdown_v2, utf16_len

fake_bot_api = fake_bot_api_fixtures.fake_bot_api

Json = dict[str, Any]


def ci(text: str) -> str:
    """A case-insensitive ``pytest.raises(match=...)`` pattern for a literal text.

    PTB strips "Bad Request: " and lower-cases the rest of Telegram's descriptions.
    """
    return "(?i)" + re.escape(text)


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods; the int accessors warn (an error under -W error)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest_asyncio.fixture
async def bot(fake_bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    """A PTB Bot talking to the fake server."""
    async with Bot(
        fake_bot_api.token,
        base_url=fake_bot_api.base_url,
        base_file_url=fake_bot_api.base_file_url,
    ) as client:
        yield client


@pytest.fixture
def alice(fake_bot_api: FakeBotApi) -> FakeUser:
    """A user with a private chat with the bot."""
    user = fake_bot_api.add_user("Alice", username="alice")
    fake_bot_api.private_chat(user)
    return user


async def raw_call(
    server: FakeBotApi,
    method: str,
    *,
    json_body: Json | None = None,
    form: dict[str, str] | None = None,
    token: str | None = None,
    http_method: str = "POST",
) -> tuple[int, Json]:
    """Call the fake server without PTB and return (HTTP status, JSON body)."""
    url = f"http://127.0.0.1:{server.port}/bot{token or server.token}/{method}"
    async with (
        aiohttp.ClientSession() as session,
        session.request(http_method, url, json=json_body, data=form) as response,
    ):
        return response.status, await response.json()


# ------------------------------------------------------------------------------ routing


async def test_get_me_parses_and_has_bot_fields(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.id == 123
    assert me.username == "oscebot_test"
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is True
    status, body = await raw_call(fake_bot_api, "getMe", http_method="GET")
    assert status == 200
    assert body["ok"] is True
    assert body["result"]["is_bot"] is True


async def test_wrong_token_is_unauthorized(fake_bot_api: FakeBotApi) -> None:
    status, body = await raw_call(fake_bot_api, "getMe", token="123:WRONG")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("123:WRONG", base_url=fake_bot_api.base_url):
            pass


async def test_unknown_method_is_404_and_names_are_case_insensitive(
    fake_bot_api: FakeBotApi,
) -> None:
    status, body = await raw_call(fake_bot_api, "getSomethingElse")
    assert status == 404
    assert body == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    status, body = await raw_call(fake_bot_api, "GETME", http_method="GET")
    assert status == 200
    assert body["result"]["username"] == "oscebot_test"


async def test_json_form_and_query_parameters(fake_bot_api: FakeBotApi, alice: FakeUser) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    status, body = await raw_call(
        fake_bot_api,
        "sendMessage",
        json_body={"chat_id": alice.id, "text": "json", "reply_markup": markup},
    )
    assert status == 200, body
    assert body["result"]["reply_markup"] == markup
    assert isinstance(body["result"]["date"], int)
    status, body = await raw_call(
        fake_bot_api,
        "sendMessage",
        form={"chat_id": str(alice.id), "text": "form", "reply_markup": json.dumps(markup)},
    )
    assert status == 200, body
    assert body["result"]["message_id"] == 2
    status, body = await raw_call(
        fake_bot_api, f"sendMessage?chat_id={alice.id}&text=query", http_method="GET"
    )
    assert status == 200, body
    assert [m["text"] for m in fake_bot_api.messages_in(alice.id)] == ["json", "form", "query"]
    status, body = await raw_call(
        fake_bot_api,
        "sendMessage",
        form={"chat_id": str(alice.id), "text": "x", "reply_markup": "{not json"},
    )
    assert status == 400
    assert body["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


# ------------------------------------------------------------------------------ sending


async def test_send_message_with_html_and_inline_keyboard(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes", callback_data="yes")],
            [InlineKeyboardButton("Docs", url="https://www.osce.org/cthb")],
        ]
    )
    html = (
        "😀 <b>Bold</b> &amp; <i>it</i> <a href='https://www.osce.org/'>link</a> "
        '<pre><code class="language-python">x = 1</code></pre> '
        "<tg-spoiler>s</tg-spoiler> &lt;tag&gt; &#65;&#x42;"
    )
    message = await bot.send_message(
        alice.id, html, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    assert isinstance(message, Message)
    assert message.text == "😀 Bold & it link x = 1 s <tag> AB"
    assert message.from_user is not None and message.from_user.id == bot.id
    assert message.chat.id == alice.id
    assert message.reply_markup == keyboard
    kinds = {e.type: (e.offset, e.length) for e in message.entities}
    assert kinds["bold"] == (3, 4)  # the emoji counts as two UTF-16 code units
    assert kinds["italic"] == (10, 2)
    assert kinds["text_link"] == (13, 4)
    assert kinds["pre"] == (18, 5)
    assert kinds["spoiler"] == (24, 1)
    pre = next(e for e in message.entities if e.type == "pre")
    assert pre.language == "python"
    assert fake_bot_api.messages_in(alice.id)[0]["text"] == message.text
    assert (await fake_bot_api.next_bot_message(alice.id))["message_id"] == message.message_id
    call = fake_bot_api.calls("sendMessage")[0]
    assert call.params["chat_id"] == alice.id
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"


async def test_message_ids_increment_per_chat_and_replies(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    bob = fake_bot_api.add_user("Bob")
    first = await bot.send_message(alice.id, "one")
    second = await bot.send_message(alice.id, "two", reply_parameters=ReplyParameters(1))
    other = await bot.send_message(bob.id, "bob")  # known users get a private chat
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert second.reply_to_message is not None
    assert second.reply_to_message.text == "one"
    with pytest.raises(BadRequest, match=ci("message to be replied not found")):
        await bot.send_message(alice.id, "x", reply_parameters=ReplyParameters(99))
    lenient = await bot.send_message(
        alice.id, "x", reply_parameters=ReplyParameters(99, allow_sending_without_reply=True)
    )
    assert lenient.reply_to_message is None


async def test_edit_message_text_and_markup(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(alice.id, "before", reply_markup=keyboard)
    edited = await bot.edit_message_text(
        "<b>after</b>",
        chat_id=alice.id,
        message_id=sent.message_id,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )
    assert isinstance(edited, Message)
    assert edited.text == "after"
    assert edited.edit_date is not None
    assert edited.reply_markup == keyboard
    with pytest.raises(BadRequest, match=ci("message is not modified")):
        await bot.edit_message_text(
            "<b>after</b>",
            chat_id=alice.id,
            message_id=sent.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
    with pytest.raises(BadRequest, match=ci("message to edit not found")):
        await bot.edit_message_text("x", chat_id=alice.id, message_id=404)
    assert await bot.edit_message_text("inline", inline_message_id="AgAAAB") is True
    stripped = await bot.edit_message_reply_markup(chat_id=alice.id, message_id=sent.message_id)
    assert isinstance(stripped, Message)
    assert stripped.reply_markup is None
    with pytest.raises(BadRequest, match=ci("message is not modified")):
        await bot.edit_message_reply_markup(chat_id=alice.id, message_id=sent.message_id)
    assert await bot.delete_message(alice.id, sent.message_id) is True
    with pytest.raises(BadRequest, match=ci("message to delete not found")):
        await bot.delete_message(alice.id, sent.message_id)
    assert fake_bot_api.messages_in(alice.id) == []


async def test_send_document_multipart_and_get_file(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    content = "Quelle: OSCE-Bericht 2024 – Seite 3\n".encode()
    message = await bot.send_document(
        alice.id,
        document=content,
        filename="sources.txt",
        caption="<b>Sources</b>",
        parse_mode=ParseMode.HTML,
    )
    assert message.document is not None
    assert message.document.file_name == "sources.txt"
    assert message.document.file_size == len(content)
    assert message.caption == "Sources"
    [document] = fake_bot_api.documents
    assert (document.filename, document.content, document.chat_id) == (
        "sources.txt",
        content,
        alice.id,
    )
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content
    with pytest.raises(BadRequest, match=ci("file must be non-empty")):
        await bot.send_document(alice.id, document=b"", filename="empty.txt")


async def test_chat_action_chat_and_members(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    owner = fake_bot_api.add_user("Olga")
    admin = fake_bot_api.add_user("Adam")
    group = fake_bot_api.create_supergroup(
        "Anti-trafficking", [alice], admins=[admin], creator=owner, username="cthb_group"
    )
    assert await bot.send_chat_action(alice.id, "typing") is True
    with pytest.raises(BadRequest, match=ci("wrong parameter action")):
        await bot.send_chat_action(alice.id, "dancing")
    chat = await bot.get_chat(group.id)
    assert (chat.title, chat.type) == ("Anti-trafficking", "supergroup")
    assert (await bot.get_chat("@cthb_group")).id == group.id
    admins = await bot.get_chat_administrators(group.id)
    assert isinstance(admins[0], ChatMemberOwner)
    assert admins[0].user.id == owner.id
    assert isinstance(admins[1], ChatMemberAdministrator)
    assert (await bot.get_chat_member(group.id, alice.id)).status == "member"
    assert (await bot.get_chat_member(group.id, bot.id)).status == "member"
    with pytest.raises(BadRequest, match=ci("no administrators in the private chat")):
        await bot.get_chat_administrators(alice.id)
    assert await bot.leave_chat(group.id) is True
    with pytest.raises(Forbidden, match=ci("bot is not a member of the supergroup chat")):
        await bot.send_message(group.id, "still here?")


async def test_commands_and_descriptions(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    commands = [BotCommand("start", "Start"), BotCommand("help", "Help")]
    german = [BotCommand("start", "Starten")]
    assert await bot.set_my_commands(commands) is True
    assert await bot.set_my_commands(german, language_code="de") is True
    assert await bot.set_my_commands(commands[:1], scope=BotCommandScopeAllGroupChats())
    assert list(await bot.get_my_commands()) == commands
    assert list(await bot.get_my_commands(language_code="de")) == german
    assert list(await bot.get_my_commands(scope=BotCommandScopeAllGroupChats())) == commands[:1]
    assert list(await bot.get_my_commands(language_code="fr")) == []
    assert await bot.delete_my_commands(language_code="de") is True
    assert list(await bot.get_my_commands(language_code="de")) == []
    assert fake_bot_api.commands() == [c.to_dict() for c in commands]
    with pytest.raises(BadRequest, match=ci("chat not found")):
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(-42))
    assert await bot.set_my_description("Answers about OSCE anti-trafficking work.")
    assert (await bot.get_my_description()).description.startswith("Answers")
    assert await bot.set_my_short_description("OSCE THB answers", language_code="en")
    short = await bot.get_my_short_description(language_code="en")
    assert short.short_description == "OSCE THB answers"
    assert (await bot.get_my_short_description()).short_description == ""
    with pytest.raises(BadRequest, match=ci("short description is too long")):
        await bot.set_my_short_description("x" * 121)


@pytest.mark.parametrize(
    ("commands", "error"),
    [
        ([BotCommand("Start", "x")], "BOT_COMMAND_INVALID"),
        ([BotCommand("st-art", "x")], "BOT_COMMAND_INVALID"),
        ([BotCommand("a" * 33, "x")], "BOT_COMMAND_INVALID"),
        ([BotCommand("start", "")], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([BotCommand("start", "d" * 257)], "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([BotCommand(f"c{i}", "x") for i in range(101)], "BOT_COMMANDS_TOO_MUCH"),
    ],
)
async def test_set_my_commands_validation(bot: Bot, commands: list[BotCommand], error: str) -> None:
    with pytest.raises(BadRequest, match=ci(error)):
        await bot.set_my_commands(commands)


# ------------------------------------------------------------------------------ updates


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake_bot_api.wait_for(lambda: fake_bot_api.waiting_polls)
    await fake_bot_api.send_text(alice, alice, "/start payload")
    updates = await asyncio.wait_for(poll, 3)
    assert time.monotonic() - started < 2.5
    [update] = updates
    assert update.message is not None
    assert update.message.text == "/start payload"
    assert update.message.from_user is not None and update.message.from_user.id == alice.id
    [entity] = update.message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    # Unconfirmed updates are returned again; a higher offset confirms them.
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [update.update_id]
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert fake_bot_api.pending_updates == []


async def test_empty_long_poll_returns_after_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3


async def test_allowed_updates_and_webhook_conflict(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    await fake_bot_api.send_text(alice, alice, "hello")
    assert await bot.get_updates(timeout=0, allowed_updates=["callback_query"]) == ()
    assert len(await bot.get_updates(timeout=0, allowed_updates=[])) == 1
    assert await bot.set_webhook("https://bot.example.org/hook", secret_token="s3cr3t")
    info = await bot.get_webhook_info()
    assert info.url == "https://bot.example.org/hook"
    assert info.pending_update_count == 1
    with pytest.raises(Conflict, match=ci("webhook is active")):
        await bot.get_updates(timeout=0)
    with pytest.raises(BadRequest, match=ci("https url must be provided")):
        await bot.set_webhook("http://bot.example.org/hook")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()
    assert await bot.log_out() is True
    assert await bot.close() is True


async def test_callback_query_flow(bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    await bot.send_message(alice.id, "Answer", reply_markup=keyboard)
    sent = await fake_bot_api.next_bot_message(alice.id)
    with pytest.raises(LookupError):
        await fake_bot_api.press_button(sent, "nope", alice)
    pressed = await fake_bot_api.press_button(sent, "more:1", alice)
    [update] = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None
    assert (query.id, query.data, query.from_user.id) == (pressed["id"], "more:1", alice.id)
    assert query.chat_instance
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent["message_id"]
    with pytest.raises(BadRequest, match=ci("MESSAGE_TOO_LONG")):
        await bot.answer_callback_query(query.id, text="x" * 201)
    assert await bot.answer_callback_query(query.id, text="Loading…") is True
    assert fake_bot_api.answered_callbacks[0]["text"] == "Loading…"
    with pytest.raises(BadRequest, match=ci("query is too old")):
        await bot.answer_callback_query(query.id)
    with pytest.raises(BadRequest, match=ci("query is too old")):
        await bot.answer_callback_query("123456")


def _article(result_id: str, text: str = "Answer", **kwargs: Any) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(result_id, "Title", InputTextMessageContent(text, **kwargs))


async def test_inline_query_flow(bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser) -> None:
    sent = await fake_bot_api.inline_query(alice, "trafficking")
    [update] = await bot.get_updates(timeout=1)
    query = update.inline_query
    assert query is not None
    assert (query.id, query.query, query.offset, query.chat_type) == (
        sent["id"],
        "trafficking",
        "",
        "sender",
    )
    results = [_article("1", "<b>OSCE</b>", parse_mode=ParseMode.HTML), _article("2")]
    assert await bot.answer_inline_query(query.id, results, cache_time=0) is True
    [answer] = fake_bot_api.inline_answers
    assert [r["id"] for r in answer["results"]] == ["1", "2"]
    with pytest.raises(BadRequest, match=ci("query is too old")):
        await bot.answer_inline_query(query.id, results)


@pytest.mark.parametrize(
    ("results", "error"),
    [
        ([_article(str(i)) for i in range(51)], "RESULTS_TOO_MUCH"),
        ([_article("1"), _article("1")], "RESULT_ID_DUPLICATE"),
        ([_article("x" * 65)], "RESULT_ID_INVALID"),
        ([_article("1", "")], "message text is empty"),
        ([_article("1", "a <b", parse_mode=ParseMode.HTML)], "can't parse entities"),
        ([_article("1", "<b>x", parse_mode=ParseMode.HTML)], "can't parse entities"),
        ([_article("1", "x" * 4097)], "message is too long"),
        (
            [{"type": "article", "id": "1", "input_message_content": {"message_text": "x"}}],
            'Field "title"',
        ),
        ([{"type": "article", "id": "1", "title": "t"}], "input_message_content"),
        ([{"type": "nonsense", "id": "1"}], "RESULT_TYPE_INVALID"),
    ],
)
async def test_answer_inline_query_validation(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser, results: list[Any], error: str
) -> None:
    query = await fake_bot_api.inline_query(alice, "q")
    payload = [r if isinstance(r, dict) else r.to_dict() for r in results]
    with pytest.raises(BadRequest, match=ci(error)):
        await bot.answer_inline_query(query["id"], [], api_kwargs={"results": payload})


# ------------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("", None, "message text is empty"),
        ("  \n ", None, "message text is empty"),
        ("<b> </b>", "HTML", "message text is empty"),
        ("x" * 4097, None, "message is too long"),
        ("😀" * 2049, None, "message is too long"),  # 4098 UTF-16 code units
        ("<b>" + "&amp;" * 4097 + "</b>", "HTML", "message is too long"),
        ("<foo>x</foo>", "HTML", 'unsupported start tag "foo" at byte offset 0'),
        ("line<br>break", "HTML", 'unsupported start tag "br" at byte offset 4'),
        ("a < b", "HTML", 'unsupported start tag "" at byte offset 2'),
        ("AT&T", "HTML", 'unescaped "&" at byte offset 2'),
        ("<b>bold", "HTML", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "HTML", "unmatched end tag at byte offset 7"),
        ("x</b>", "HTML", "unexpected end tag at byte offset 1"),
        ("<span>x</span>", "HTML", 'tag "span" must have class "tg-spoiler"'),
        ("<b", "HTML", "unclosed start tag"),
        ("Hello.", "MarkdownV2", "character '.' is reserved"),
        ("*bold", "MarkdownV2", "can't find end of bold entity at byte offset 0"),
        ("_it", "Markdown", "can't find end of the entity starting at byte offset 0"),
        ("x", "XML", "unsupported parse_mode"),
    ],
)
async def test_send_message_text_validation(
    bot: Bot, alice: FakeUser, text: str, parse_mode: str | None, error: str
) -> None:
    with pytest.raises(BadRequest, match=ci(error)):
        await bot.send_message(alice.id, text, parse_mode=parse_mode)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 4096,
        "😀" * 2048,
        "&lt;&gt;&amp;&quot;&#39;&#x41;",
        "<tg-spoiler>s</tg-spoiler> <span class='tg-spoiler'>s</span>",
        "<blockquote expandable>q</blockquote> <blockquote>r</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "<s>a</s><strike>b</strike><del>c</del><u>d</u><ins>e</ins><em>f</em><strong>g</strong>",
        "<code>a &lt; b</code> 5 > 3",
        "<a href=>x</a> <a>www.osce.org</a>",
        "<B>upper-case tags are fine</B>",
    ],
)
async def test_send_message_accepts_valid_html(bot: Bot, alice: FakeUser, text: str) -> None:
    message = await bot.send_message(alice.id, text, parse_mode=ParseMode.HTML)
    assert message.text


async def test_markdown_v2_parses(bot: Bot, alice: FakeUser) -> None:
    message = await bot.send_message(
        alice.id,
        r"*bold* _it_ __u__ ~s~ ||sp|| `c` [OSCE](https://www.osce.org/) 1\.5",
        parse_mode=ParseMode.MARKDOWN_V2,
    )
    assert message.text == "bold it u s sp c OSCE 1.5"
    assert [e.type for e in message.entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ({"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": ""}]]}, "BUTTON_DATA_INVALID"),
        (
            {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]},
            "BUTTON_DATA_INVALID",
        ),  # 66 bytes
        ({"inline_keyboard": [[{"text": "x"}]]}, "Text buttons are unallowed"),
        (
            {"inline_keyboard": [[{"text": "x", "callback_data": "a", "url": "https://a.org"}]]},
            "exactly one of the optional fields",
        ),
        ({"inline_keyboard": [[{"callback_data": "a"}]]}, 'find field "text"'),
        (
            {"inline_keyboard": [[{"text": "x", "url": "javascript:alert(1)"}]]},
            "BUTTON_URL_INVALID",
        ),
        ({"inline_keyboard": [{"text": "x", "callback_data": "a"}]}, "Array of Arrays"),
        ({"something": True}, "can't parse reply keyboard markup"),
    ],
)
async def test_reply_markup_validation(bot: Bot, alice: FakeUser, markup: Json, error: str) -> None:
    with pytest.raises(BadRequest, match=ci(error)):
        await bot.send_message(alice.id, "x", api_kwargs={"reply_markup": markup})


async def test_callback_data_of_64_bytes_is_accepted(bot: Bot, alice: FakeUser) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 32)]])
    assert (await bot.send_message(alice.id, "x", reply_markup=keyboard)).reply_markup


async def test_chat_validation(bot: Bot, fake_bot_api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match=ci("chat not found")):
        await bot.send_message(987654321, "x")
    with pytest.raises(BadRequest, match=ci("chat not found")):
        await bot.send_message("@nobody_here", "x")
    with pytest.raises(BadRequest, match=ci("chat_id is empty")):
        await bot.send_message("", "x")


# ------------------------------------------------------------------------------ simulation


async def test_group_privacy_mode_commands_mentions_and_replies(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    group = fake_bot_api.create_group("Team", [alice])
    await fake_bot_api.send_text(group, alice, "just chatting")
    await fake_bot_api.send_text(group, alice, "/help@other_bot")
    await fake_bot_api.send_text(group, alice, "/help@oscebot_test")
    mention = await fake_bot_api.send_text(group, alice, "hi @oscebot_test what is THB?")
    asked = await bot.send_message(group.id, "Ask me")
    reply = await fake_bot_api.send_text(group, alice, "ok", reply_to=asked.message_id)
    updates = await bot.get_updates(timeout=0)
    texts = [u.message.text for u in updates if u.message is not None]
    assert texts == ["/help@oscebot_test", "hi @oscebot_test what is THB?", "ok"]
    assert updates[0].message is not None
    [entity] = updates[0].message.entities
    assert (entity.type, entity.length) == ("bot_command", len("/help@oscebot_test"))
    assert mention["entities"] == [{"type": "mention", "offset": 3, "length": 13}]
    assert reply["reply_to_message"]["from"]["id"] == bot.id
    assert [u["message"]["text"] for u in fake_bot_api.undelivered] == [
        "just chatting",
        "/help@other_bot",
    ]
    robot = fake_bot_api.add_user("Robo", is_bot=True)
    fake_bot_api.set_member_status(group, robot, "member")
    with pytest.raises(ValueError, match="not a member"):
        await fake_bot_api.send_text(group, fake_bot_api.add_user("Stranger"), "hi")
    await fake_bot_api.send_text(group, robot, "/help@oscebot_test")
    assert fake_bot_api.undelivered[-1]["message"]["from"]["id"] == robot.id


async def test_member_updates_block_and_migration(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    await fake_bot_api.block_bot(alice)
    with pytest.raises(Forbidden, match=ci("bot was blocked by the user")):
        await bot.send_message(alice.id, "hello?")
    group = fake_bot_api.create_group("Old group", [alice], creator=alice)
    await fake_bot_api.member_update(group, "member", "kicked")
    with pytest.raises(Forbidden, match=ci("bot was kicked from the group chat")):
        await bot.send_message(group.id, "x")
    await fake_bot_api.member_update(group, "kicked", "member")
    supergroup = await fake_bot_api.migrate(group)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group.id, "x")
    assert migrated.value.new_chat_id == supergroup.id
    assert (await bot.send_message(supergroup.id, "moved")).chat.type == "supergroup"
    updates = await bot.get_updates(timeout=0)
    member_updates = [u.my_chat_member for u in updates if u.my_chat_member is not None]
    assert [(m.old_chat_member.status, m.new_chat_member.status) for m in member_updates] == [
        ("member", "kicked"),
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    migrations = [u.message for u in updates if u.message is not None]
    assert migrations[0].migrate_to_chat_id == supergroup.id
    assert migrations[1].migrate_from_chat_id == group.id


async def test_edits_raw_updates_and_channel_posts(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    original = await fake_bot_api.send_text(alice, alice, "typo")
    await fake_bot_api.edit_text(original, "fixed")
    channel = fake_bot_api.create_channel("News", username="osce_news")
    await fake_bot_api.send_text(channel, None, "channel post")
    await fake_bot_api.send_raw_update(
        {
            "message": {
                "message_id": 99,
                "date": 1_700_000_000,
                "chat": {"id": alice.id, "type": "private", "first_name": "Alice"},
                "from": alice.to_dict(),
                "sticker": {
                    "file_id": "CAACAgIAAxkBAAE",
                    "file_unique_id": "AgADxx",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                },
            }
        }
    )
    updates = await bot.get_updates(timeout=0)
    assert all(isinstance(u, Update) for u in updates)
    assert updates[1].edited_message is not None
    assert updates[1].edited_message.text == "fixed"
    assert updates[2].channel_post is not None
    assert updates[2].channel_post.sender_chat is not None
    assert updates[3].message is not None and updates[3].message.sticker is not None
    post = await bot.send_message("@osce_news", "from the bot")
    assert post.from_user is None and post.sender_chat is not None


async def test_inline_chosen_result_and_utf16_helpers(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    await fake_bot_api.choose_inline_result(alice, "1", "q", inline_message_id="AgAAAB")
    [update] = await bot.get_updates(timeout=0)
    assert update.chosen_inline_result is not None
    assert update.chosen_inline_result.result_id == "1"
    assert utf16_len("a😀") == 3
    assert parse_html("<b>😀</b>x")[1] == [{"type": "bold", "offset": 0, "length": 2}]
    assert parse_markdown_v2(r"\*x\*") == ("*x*", [])


# ------------------------------------------------------------------------------ faults


@pytest.mark.parametrize(
    ("kind", "exception", "message"),
    [
        ("blocked", Forbidden, "bot was blocked by the user"),
        ("kicked", Forbidden, "bot was kicked from the group chat"),
        ("server_error", NetworkError, "Internal Server Error"),
        ("500", NetworkError, "Internal Server Error"),
        ("bad_gateway", NetworkError, "Bad Gateway"),
        ("502", NetworkError, "Bad Gateway"),
        ("conflict", Conflict, "terminated by other getUpdates request"),
    ],
)
async def test_fault_kinds(
    bot: Bot,
    fake_bot_api: FakeBotApi,
    alice: FakeUser,
    kind: Any,
    exception: type[Exception],
    message: str,
) -> None:
    fake_bot_api.fail_next("sendMessage", kind)
    with pytest.raises(exception, match=ci(message)):
        await bot.send_message(alice.id, "x")
    assert (await bot.send_message(alice.id, "recovered")).text == "recovered"


async def test_retry_after_and_migrate_faults(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    fake_bot_api.fail_next("sendMessage", "retry_after", times=2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(alice.id, "x")
        assert caught.value.retry_after == dtm.timedelta(seconds=7)
    fake_bot_api.fail_next("sendMessage", "migrate", migrate_to_chat_id=-1001234567890)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(alice.id, "x")
    assert migrated.value.new_chat_id == -1001234567890


async def test_faults_filtered_by_chat_and_wildcard(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    bob = fake_bot_api.add_user("Bob")
    fake_bot_api.fail_next("*", "blocked", chat_id=bob.id)
    assert (await bot.send_message(alice.id, "fine")).text == "fine"
    with pytest.raises(Forbidden):
        await bot.send_chat_action(bob.id, "typing")
    assert await bot.send_chat_action(bob.id, "typing")
    status = [r.status for r in fake_bot_api.requests if r.method == "sendChatAction"]
    assert status == [403, 200]


async def test_timeout_fault_times_out_but_is_processed(
    fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    request = HTTPXRequest(read_timeout=0.3)
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url, request=request) as slow:
        fake_bot_api.fail_next("sendMessage", "timeout", delay=0.8)
        with pytest.raises(TimedOut):
            await slow.send_message(alice.id, "late")
        # As with the real Telegram, the slow request still went through.
        call = await fake_bot_api.wait_for_call("sendMessage", timeout=3)
        assert call.params["text"] == "late"


async def test_disconnect_fault_drops_the_connection_after_processing(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    fake_bot_api.fail_next("sendMessage", "disconnect")
    with pytest.raises(NetworkError, match="Server disconnected") as caught:
        await bot.send_message(alice.id, "lost answer")
    assert not isinstance(caught.value, TimedOut)
    # PTB's NetworkError keeps the transport error: the request had gone out.
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    # The message was posted all the same, as Telegram may have done.
    assert [m["text"] for m in fake_bot_api.messages_in(alice)] == ["lost answer"]
    assert (await bot.send_message(alice.id, "recovered")).text == "recovered"


async def test_enforced_rate_limits(bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser) -> None:
    group = fake_bot_api.create_group("Busy", [alice])
    fake_bot_api.enforce_limits(global_per_second=30, per_group_per_minute=2)
    await bot.send_message(group.id, "1")
    await bot.send_message(group.id, "2")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(group.id, "3")
    retry_after = caught.value.retry_after
    assert isinstance(retry_after, dtm.timedelta)
    assert dtm.timedelta(seconds=1) <= retry_after <= dtm.timedelta(seconds=60)
    assert (await bot.send_message(alice.id, "private chats are not limited")).text
    fake_bot_api.enforce_limits(global_per_second=2, per_group_per_minute=None)
    with pytest.raises(RetryAfter):
        for _ in range(3):
            await bot.send_message(alice.id, "burst")
    fake_bot_api.disable_limits()
    assert await bot.send_message(alice.id, "free again")


async def test_latency_holds_each_request_and_requests_overlap(
    bot: Bot, fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    """With a latency a request is held before it is handled, so a client with several
    requests going sees them in flight together; a shorter latency lets held ones through."""
    assert FakeBotApi().latency == 0
    with pytest.raises(ValueError, match="latency"):
        FakeBotApi(latency=-1)
    assert FakeBotApi(latency=0.08).latency == 0.08
    await fake_bot_api.set_latency(3600)  # longer than the test: held until it is shortened
    sends = [asyncio.create_task(bot.send_message(alice.id, f"m{i}")) for i in range(3)]
    await fake_bot_api.wait_for(lambda: len(fake_bot_api.in_flight) == 3)
    assert fake_bot_api.messages_in(alice) == []  # held, not handled yet
    assert sorted(params["text"] for _, params in fake_bot_api.in_flight) == ["m0", "m1", "m2"]
    await fake_bot_api.set_latency(0)
    assert sorted(m.text for m in await asyncio.gather(*sends)) == ["m0", "m1", "m2"]
    assert fake_bot_api.in_flight == []
    assert fake_bot_api.peak_in_flight == 3
    assert fake_bot_api.peak_in_flight_per_chat == {alice.id: 3}


# ------------------------------------------------------------------------------ Application


async def test_application_answers_start_through_the_fake(
    fake_bot_api: FakeBotApi, alice: FakeUser
) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_user is not None
        await update.effective_message.reply_html(
            f"Hello, <b>{update.effective_user.first_name}</b>! Args: {context.args}"
        )

    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(fake_bot_api.token)
        .base_url(fake_bot_api.base_url)
        .base_file_url(fake_bot_api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await fake_bot_api.send_text(alice, alice, "/start osce")
        reply = await fake_bot_api.next_bot_message(alice.id)
        await app.updater.stop()
        await app.stop()
    assert reply["text"] == "Hello, Alice! Args: ['osce']"
    assert reply["entities"] == [{"type": "bold", "offset": 7, "length": 5}]
    assert "reply_to_message" not in reply  # PTB quotes only outside private chats
    assert fake_bot_api.pending_updates == []
