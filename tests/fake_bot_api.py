"""A strict fake of the Telegram Bot API, served over real HTTP on 127.0.0.1.

End-to-end tests run the real python-telegram-bot ``Application`` against this server.
It answers with Telegram's JSON shapes and error wording, validates requests as strictly as
Telegram does (entity parsing, keyboards, lengths, known chats and messages), simulates users,
chats and the updates they cause, records everything the bot sends, and can inject faults
(429, 403, 400 migration, 5xx, timeouts and connections dropped after the request was read).

Usage::

    async with FakeBotApi(token="123:ABC", bot_username="oscebot_test") as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
        ...
        alice = server.add_user("Alice")
        await server.send_text(server.private_chat(alice), alice, "/start")
        reply = await server.next_bot_message(alice.id)

Simulation methods that cause updates are coroutines; set-up methods (users and chats) are
plain functions.  Every message, callback query or inline query is a plain ``dict`` in the
Bot API's JSON shape.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import math
import mimetypes
import re
import time
import traceback
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, NamedTuple, TypeVar

from aiohttp import BodyPartReader, web

__all__ = [
    "ApiError",
    "ApiRequest",
    "FakeBotApi",
    "FakeChat",
    "FakeDocument",
    "FakeUser",
    "FaultKind",
    "MemberStatus",
    "SentCall",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]

JSONDict = dict[str, Any]
T = TypeVar("T")

FaultKind = Literal[
    "retry_after",
    "429",
    "blocked",
    "kicked",
    "migrate",
    "server_error",
    "500",
    "bad_gateway",
    "502",
    "timeout",
    "disconnect",
    "conflict",
]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]
ChatType = Literal["private", "group", "supergroup", "channel"]

_FAULT_ALIASES: Final[Mapping[str, str]] = {
    "429": "retry_after",
    "500": "server_error",
    "502": "bad_gateway",
}
_FAULT_KINDS: Final = frozenset(
    {
        "retry_after",
        "blocked",
        "kicked",
        "migrate",
        "server_error",
        "bad_gateway",
        "timeout",
        "disconnect",
        "conflict",
    }
)
_MEMBER_STATUSES: Final = frozenset(
    {"creator", "administrator", "member", "restricted", "left", "kicked"}
)
_PRESENT_STATUSES: Final = frozenset({"creator", "administrator", "member", "restricted"})
_ADMIN_STATUSES: Final = frozenset({"creator", "administrator"})

ALL_UPDATE_TYPES: Final = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
DEFAULT_UPDATE_TYPES: Final = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

_CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ACTIONS: Final = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_INLINE_RESULT_TYPES: Final = frozenset(
    {
        "article",
        "photo",
        "gif",
        "mpeg4_gif",
        "video",
        "audio",
        "voice",
        "document",
        "location",
        "venue",
        "contact",
        "game",
        "sticker",
    }
)
_COMMAND_SCOPES: Final = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_ENTITY_TYPES: Final = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "date_time",
    }
)

# Parameters whose form-encoded value PTB sends as a JSON document.
_JSON_PARAMS: Final = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "entities",
        "caption_entities",
        "link_preview_options",
        "results",
        "commands",
        "scope",
        "allowed_updates",
        "button",
        "message_ids",
        "media",
        "menu_button",
        "rights",
        "permissions",
        "reaction",
    }
)
_INT_PARAMS: Final = frozenset(
    {
        "message_id",
        "user_id",
        "offset",
        "limit",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
        "max_connections",
        "until_date",
        "duration",
        "width",
        "height",
    }
)
_FLOAT_PARAMS: Final = frozenset({"timeout"})
_BOOL_PARAMS: Final = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "is_personal",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "disable_content_type_detection",
        "for_channels",
        "revoke_messages",
        "only_if_banned",
        "allow_paid_broadcast",
        "has_spoiler",
        "show_caption_above_media",
    }
)
_CHAT_ID_PARAMS: Final = frozenset({"chat_id", "from_chat_id"})

_COMMAND_RE: Final = re.compile(r"^[a-z0-9_]{1,32}$")
_LANG_RE: Final = re.compile(r"^[a-z]{2}$")
_SECRET_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_START_PARAM_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_AUTO_COMMAND_RE: Final = re.compile(
    r"(?<![A-Za-z0-9_/@.])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])"
)
_AUTO_MENTION_RE: Final = re.compile(r"(?<![A-Za-z0-9_@/.])@[A-Za-z0-9_]{5,32}(?![A-Za-z0-9_])")
_AUTO_URL_RE: Final = re.compile(r"(?<![A-Za-z0-9_@/.])https?://[^\s<>\"]+", re.IGNORECASE)
_URL_TRAILING: Final = ".,;:!?)'\"]"

_STRIP_CHARS: Final = " \t\r\n\v\f"
_MAX_UPLOAD: Final = 64 * 1024 * 1024  # what the HTTP server reads at most
_MAX_BOT_UPLOAD: Final = 50 * 1024 * 1024  # Telegram's limit for files uploaded by bots
_DEFAULT_ADMIN_RIGHTS: Final[Mapping[str, bool]] = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
_RESTRICTED_FLAGS: Final = (
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_send_messages",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_manage_topics",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_edit_tag",
)
_NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD: Final = "query is too old and response timeout expired or query ID is invalid"
_BAD_GATEWAY_HTML: Final = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answered by the Bot API: an HTTP status plus Telegram's JSON error body."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        """Create an error with ``error_code`` ``code`` and the full ``description``."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        """Return the body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def _bad(message: str, parameters: JSONDict | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {message}", parameters)


def _forbidden(message: str) -> ApiError:
    return ApiError(403, f"Forbidden: {message}")


def _entities_error(message: str) -> ApiError:
    return _bad(f"can't parse entities: {message}")


# --------------------------------------------------------------------------------------------
# Text utilities: UTF-16 lengths and Telegram's entity parsers (modelled on TDLib)
# --------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


_SPACE: Final = frozenset(" \t\r\n\0\v\f")
_HTML_TAGS: Final = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_HTML_ENTITY: Final[Mapping[str, str]] = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}


@dataclass
class _OpenEntity:
    kind: str
    argument: str
    offset: int  # in UTF-16 code units of the parsed text
    byte_offset: int  # in UTF-8 bytes of the source text
    result_pos: int  # in characters of the parsed text


class _TextBuilder:
    """Accumulates parsed text while tracking its UTF-16 length."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.chars = 0
        self.u16 = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.chars += len(text)
        self.u16 += utf16_len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&lt;``/``&gt;``/``&amp;``/``&quot;``/``&#N;``/``&#xH;`` at ``pos`` as TDLib does.

    Returns the character and the position after the reference, or None.  The closing ``;``
    is optional, as in TDLib.
    """
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        value = 0
        if end < n and text[end] == "x":
            end += 1
            start = end
            while end < n and text[end] in "0123456789abcdefABCDEF":
                value = value * 16 + int(text[end], 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
        else:
            start = end
            while end < n and text[end].isascii() and text[end].isdigit():
                value = value * 10 + int(text[end])
                end += 1
                if value >= 0x10FFFF:
                    return None
        if end == start or value == 0 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
        if name not in named:
            return None
        char = named[name]
    if end < n and text[end] == ";":
        end += 1
    return char, end


def _check_link(url: str) -> str | None:
    """Return the normalised URL Telegram would keep for a text link, or None if invalid."""
    url = url.strip()
    if not url:
        return None
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):(//)?", url)
    if match is None:
        candidate = "http://" + url
        host = url.split("/", 1)[0]
        return candidate if "." in host and " " not in url else None
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        if match.group(2) is None:
            return None
        host = url[match.end() :].split("/", 1)[0].split("?", 1)[0]
        return url if host and " " not in url and ("." in host or host == "localhost") else None
    if scheme in ("tg", "ton", "tonsite"):
        return url
    return None


def _tg_user_id(url: str) -> int | None:
    match = re.fullmatch(r"tg://user\?id=(\d{1,19})", url)
    return int(match.group(1)) if match else None


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML into plain text and message entities.

    Follows TDLib's ``parse_html`` (tags, attributes, entity references and error wording).
    Raises :class:`ApiError` ("Bad Request: can't parse entities: ...") on invalid markup.
    With ``strict_ampersand`` (the default) a bare ``&`` that does not start one of the
    supported character references is rejected, as the Bot API documentation demands; real
    Telegram silently keeps such an ``&``.
    """
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    def boff(k: int) -> int:
        return len(text[:k].encode("utf-8"))

    out = _TextBuilder()
    entities: list[JSONDict] = []
    stack: list[_OpenEntity] = []
    i = 0
    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.add(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise _entities_error(
                    f'Unescaped "&" at byte offset {boff(i)}; use "&amp;" instead'
                )
        if char != "<":
            out.add(char)
            i += 1
            continue
        begin = i
        i += 1
        if at(i) != "/":
            while at(i) not in _SPACE and at(i) != ">":
                i += 1
            if i >= n:
                raise _entities_error(f"Unclosed start tag at byte offset {boff(begin)}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise _entities_error(f'Unsupported start tag "{tag}" at byte offset {boff(begin)}')
            argument = ""
            while at(i) != ">":
                while i < n and at(i) in _SPACE:
                    i += 1
                if at(i) == ">":
                    break
                attr_begin = i
                while at(i) not in _SPACE and at(i) not in "=>":
                    i += 1
                attr_name = text[attr_begin:i]
                if not attr_name:
                    raise _entities_error(
                        f'Empty attribute name in the tag "{tag}" at byte offset {boff(begin)}'
                    )
                while i < n and at(i) in _SPACE:
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                        continue
                    raise _entities_error(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {boff(begin)}'
                    )
                i += 1
                while i < n and at(i) in _SPACE:
                    i += 1
                if i >= n:
                    raise _entities_error(
                        f'Unclosed start tag "{tag}" at byte offset {boff(begin)}'
                    )
                if at(i) not in "'\"":
                    token_begin = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if at(i) not in _SPACE and at(i) != ">":
                        raise _entities_error(
                            f"Unexpected end of name token at byte offset {boff(token_begin)}"
                        )
                else:
                    quote = at(i)
                    string_begin = i
                    i += 1
                    chars: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            decoded = _decode_html_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    if at(i) != quote:
                        raise _entities_error(
                            f"Unclosed start tag at byte offset {boff(string_begin)}"
                        )
                    i += 1
                    value = "".join(chars)
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise _entities_error(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {boff(begin)}'
                )
            stack.append(_OpenEntity(tag, argument, out.u16, boff(begin), out.chars))
            i += 1  # the closing '>'
            continue
        # An end tag.
        if not stack:
            raise _entities_error(f"Unexpected end tag at byte offset {boff(begin)}")
        while at(i) not in _SPACE and at(i) != ">":
            i += 1
        end_name = text[begin + 2 : i]
        while i < n and at(i) in _SPACE:
            i += 1
        if at(i) != ">":
            raise _entities_error(f"Unclosed end tag at byte offset {boff(begin)}")
        opened = stack.pop()
        if end_name and end_name.lower() != opened.kind:
            raise _entities_error(
                f'Unmatched end tag at byte offset {boff(begin)}, expected "</{opened.kind}>", '
                f'found "</{end_name}>"'
            )
        i += 1
        length = out.u16 - opened.offset
        if length <= 0:
            continue
        _close_html_entity(opened, length, out, entities)
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].kind}"')
    for entity in entities:
        entity.pop("_language", None)
    return out.text(), entities


def _close_html_entity(
    opened: _OpenEntity, length: int, out: _TextBuilder, entities: list[JSONDict]
) -> None:
    offset = opened.offset
    tag = opened.kind
    if tag in _SIMPLE_HTML_ENTITY:
        entities.append({"type": _SIMPLE_HTML_ENTITY[tag], "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if opened.argument.isdigit():
            entities.append(
                {
                    "type": "custom_emoji",
                    "offset": offset,
                    "length": length,
                    "custom_emoji_id": opened.argument,
                }
            )
    elif tag == "a":
        url = opened.argument or out.text()[opened.result_pos :]
        user_id = _tg_user_id(url)
        if user_id is not None:
            entities.append(
                {
                    "type": "text_mention",
                    "offset": offset,
                    "length": length,
                    "user": {"id": user_id, "is_bot": False, "first_name": "User"},
                }
            )
        else:
            checked = _check_link(url)
            if checked is not None:
                entities.append(
                    {"type": "text_link", "offset": offset, "length": length, "url": checked}
                )
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
            and last.get("_language")
        ):
            entities[-1] = {
                "type": "pre",
                "offset": offset,
                "length": length,
                "language": last["_language"],
            }
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "code":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "pre"
            and last["offset"] == offset
            and last["length"] == length
            and opened.argument
        ):
            last["language"] = opened.argument
        else:
            entity: JSONDict = {"type": "code", "offset": offset, "length": length}
            if opened.argument:
                entity["_language"] = opened.argument
            entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if opened.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


_MDV2_RESERVED: Final = "_*[]()~`>#+-=|{}.!"
_MDV2_ERROR_NAMES: Final[Mapping[str, str]] = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """Parse MarkdownV2 into plain text and entities, following TDLib's parser.

    Reserved characters outside code must be escaped with ``\\``; unclosed entities and
    unescaped reserved characters raise :class:`ApiError` with Telegram's wording.  Block
    quotes are supported in their simple form (``>`` at the start of consecutive lines).
    """
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    def boff(k: int) -> int:
        return len(text[:k].encode("utf-8"))

    def reserved_error(char: str) -> ApiError:
        return _entities_error(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    out = _TextBuilder()
    entities: list[JSONDict] = []
    stack: list[_OpenEntity] = []
    quote_start: int | None = None
    i = 0
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.add(text[i + 1])
            i += 2
            continue
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if char == ">" and not in_code and (i == 0 or text[i - 1] == "\n"):
            if quote_start is None:
                quote_start = out.u16
            i += 1
            continue
        reserved = "`" if in_code else _MDV2_RESERVED
        if char not in reserved:
            if char == "\n" and quote_start is not None and at(i + 1) != ">":
                if out.u16 > quote_start:
                    entities.append(
                        {
                            "type": "blockquote",
                            "offset": quote_start,
                            "length": out.u16 - quote_start,
                        }
                    )
                quote_start = None
            out.add(char)
            i += 1
            continue
        is_end = False
        if stack:
            kind = stack[-1].kind
            is_end = (
                (kind == "bold" and char == "*")
                or (kind == "italic" and char == "_" and at(i + 1) != "_")
                or (kind == "code" and char == "`")
                or (kind == "pre" and text[i : i + 3] == "```")
                or (kind in ("text_link", "custom_emoji") and char == "]")
                or (kind == "underline" and char == "_" and at(i + 1) == "_")
                or (kind == "strikethrough" and char == "~")
                or (kind == "spoiler" and char == "|" and at(i + 1) == "|")
            )
        if not is_end:
            begin_bytes = boff(i)
            argument = ""
            if char == "_":
                if at(i + 1) == "_":
                    kind = "underline"
                    i += 1
                else:
                    kind = "italic"
            elif char == "*":
                kind = "bold"
            elif char == "~":
                kind = "strikethrough"
            elif char == "|":
                if at(i + 1) != "|":
                    raise reserved_error(char)
                kind = "spoiler"
                i += 1
            elif char == "[":
                kind = "text_link"
            elif char == "`":
                if text[i : i + 3] == "```":
                    kind = "pre"
                    i += 3
                    language_end = i
                    while at(language_end) not in _SPACE and at(language_end) != "`":
                        language_end += 1
                    if i != language_end and language_end < n and at(language_end) != "`":
                        argument = text[i:language_end]
                        i = language_end
                    if at(i) in "\r\n":
                        i += 2 if at(i + 1) in "\r\n" and at(i) != at(i + 1) else 1
                    i -= 1
                else:
                    kind = "code"
            elif char == "!":
                if at(i + 1) != "[":
                    raise reserved_error(char)
                kind = "custom_emoji"
                i += 1
            else:
                raise reserved_error(char)
            stack.append(_OpenEntity(kind, argument, out.u16, begin_bytes, out.chars))
            i += 1
            continue
        opened = stack.pop()
        kind = opened.kind
        url = ""
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind == "pre":
            i += 2
        elif kind in ("text_link", "custom_emoji"):
            if at(i + 1) == "(":
                i += 2
                url_begin = i
                url_chars: list[str] = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                        url_chars.append(text[i + 1])
                        i += 2
                        continue
                    url_chars.append(text[i])
                    i += 1
                if at(i) != ")":
                    raise _entities_error(
                        f"Can't find end of a URL at byte offset {boff(url_begin)}"
                    )
                url = "".join(url_chars)
            elif kind == "custom_emoji":
                raise _entities_error("Custom emoji entity must contain a tg://emoji URL")
            else:
                url = out.text()[opened.result_pos :]
        i += 1
        length = out.u16 - opened.offset
        if length <= 0:
            continue
        entity: JSONDict = {"type": kind, "offset": opened.offset, "length": length}
        if kind == "pre" and opened.argument:
            entity["language"] = opened.argument
        if kind == "custom_emoji":
            match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
            if match is None:
                raise _entities_error("Invalid custom emoji URL specified")
            entity["custom_emoji_id"] = match.group(1)
        if kind == "text_link":
            user_id = _tg_user_id(url)
            checked = _check_link(url)
            if user_id is not None:
                entity = {
                    "type": "text_mention",
                    "offset": opened.offset,
                    "length": length,
                    "user": {"id": user_id, "is_bot": False, "first_name": "User"},
                }
            elif checked is None:
                continue
            else:
                entity["url"] = checked
        entities.append(entity)
    if stack:
        opened = stack[-1]
        name = _MDV2_ERROR_NAMES[opened.kind]
        if opened.kind == "pre" and opened.argument:
            name = "PreCode"
        raise _entities_error(
            f"Can't find end of {name} entity at byte offset {opened.byte_offset}"
        )
    if quote_start is not None and out.u16 > quote_start:
        entities.append(
            {"type": "blockquote", "offset": quote_start, "length": out.u16 - quote_start}
        )
    return out.text(), entities


def parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Parse legacy Markdown (``parse_mode=Markdown``) as TDLib does."""
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    out = _TextBuilder()
    entities: list[JSONDict] = []
    i = 0
    while i < n:
        char = text[i]
        if char == "\\" and at(i + 1) in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        begin = i
        end_char = "]" if char == "[" else char
        is_pre = False
        language = ""
        i += 1
        if char == "`" and at(i) == "`" and at(i + 1) == "`":
            i += 2
            is_pre = True
            language_end = i
            while at(language_end) not in _SPACE and at(language_end) != "`":
                language_end += 1
            if i != language_end and language_end < n and at(language_end) != "`":
                language = text[i:language_end]
                i = language_end
            if at(i) in "\r\n":
                i += 2 if at(i + 1) in "\r\n" and at(i) != at(i + 1) else 1
        offset = out.u16
        while i < n and (
            text[i] != end_char or (is_pre and not (at(i + 1) == "`" and at(i + 2) == "`"))
        ):
            out.add(text[i])
            i += 1
        if i >= n:
            raise _entities_error(
                "Can't find end of the entity starting at byte offset "
                f"{len(text[:begin].encode('utf-8'))}"
            )
        length = out.u16 - offset
        if length > 0:
            if char == "_":
                entities.append({"type": "italic", "offset": offset, "length": length})
            elif char == "*":
                entities.append({"type": "bold", "offset": offset, "length": length})
            elif char == "[":
                if at(i + 1) == "(":
                    i += 2
                    url_chars: list[str] = []
                    while i < n and text[i] != ")":
                        url_chars.append(text[i])
                        i += 1
                    url = "".join(url_chars)
                else:
                    url = text[begin + 1 : i]
                checked = _check_link(url)
                if checked is not None:
                    entities.append(
                        {"type": "text_link", "offset": offset, "length": length, "url": checked}
                    )
            elif is_pre:
                entity: JSONDict = {"type": "pre", "offset": offset, "length": length}
                if language:
                    entity["language"] = language
                entities.append(entity)
            else:
                entities.append({"type": "code", "offset": offset, "length": length})
        if is_pre:
            i += 2
        i += 1
    return out.text(), entities


def _u16_offset(text: str, index: int) -> int:
    return utf16_len(text[:index])


def _auto_entities(text: str) -> list[JSONDict]:
    """Entities Telegram detects by itself: bot commands, @mentions and URLs."""
    found: list[JSONDict] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        offset = _u16_offset(text, start)
        found.append({"type": kind, "offset": offset, "length": _u16_offset(text, end) - offset})

    for match in _AUTO_URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING:
            end -= 1
        add("url", match.start(), end)
    for match in _AUTO_COMMAND_RE.finditer(text):
        add("bot_command", match.start(), match.end())
    for match in _AUTO_MENTION_RE.finditer(text):
        add("mention", match.start(), match.end())
    return found


def _strip_formatted(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim leading/trailing whitespace like Telegram and clip entities to the result."""
    stripped = text.strip(_STRIP_CHARS)
    if stripped == text:
        total = utf16_len(text)
        kept = [e for e in entities if e["length"] > 0 and e["offset"] < total]
        return text, kept
    lead = utf16_len(text[: len(text) - len(text.lstrip(_STRIP_CHARS))])
    total = utf16_len(stripped)
    result: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            clipped = dict(entity)
            clipped["offset"] = start
            clipped["length"] = end - start
            result.append(clipped)
    return stripped, result


def _merge_auto_entities(text: str, entities: list[JSONDict]) -> list[JSONDict]:
    """Add auto-detected entities that do not overlap code, pre or links."""
    blocking = [
        (e["offset"], e["offset"] + e["length"])
        for e in entities
        if e["type"]
        in ("code", "pre", "text_link", "text_mention", "url", "bot_command", "mention", "email")
    ]
    merged = list(entities)
    for auto in _auto_entities(text):
        start, end = auto["offset"], auto["offset"] + auto["length"]
        if not any(start < b_end and b_start < end for b_start, b_end in blocking):
            merged.append(auto)
    merged.sort(key=lambda e: (e["offset"], -e["length"]))
    return merged


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A simulated Telegram user (or bot)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False
    language_code: str | None = "en"

    def to_dict(self) -> JSONDict:
        """Return the user as a Bot API ``User`` object."""
        data: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass
class FakeChat:
    """A simulated chat; ``members`` maps user ids (the bot's included) to member statuses."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    user: FakeUser | None = None
    members: dict[int, str] = field(default_factory=dict)
    migrated_to: int | None = None
    migrated_from: int | None = None

    def to_dict(self) -> JSONDict:
        """Return the chat as a Bot API ``Chat`` object."""
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or ""
            if self.username:
                data["username"] = self.username
        return data


class SentCall(NamedTuple):
    """A successful Bot API call made by the bot: method name, parameters and the result."""

    method: str
    params: JSONDict
    result: Any


class ApiRequest(NamedTuple):
    """Any request that reached the server, including failures and ``getUpdates``."""

    method: str
    params: JSONDict
    status: int
    response: JSONDict


@dataclass(frozen=True)
class FakeDocument:
    """A document the bot uploaded with ``sendDocument``."""

    chat_id: int
    message_id: int
    filename: str
    content: bytes
    mime_type: str | None
    caption: str | None
    file_id: str


@dataclass(frozen=True)
class _Upload:
    filename: str
    content: bytes
    mime_type: str | None


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    filename: str
    content: bytes
    mime_type: str | None
    file_path: str


@dataclass
class _Fault:
    method: str
    kind: str
    remaining: int
    chat_id: int | str | None
    retry_after: int
    delay: float
    migrate_to_chat_id: int | None


@dataclass
class _Limits:
    global_per_second: int | None
    per_group_per_minute: int | None
    per_chat_per_second: int | None
    global_window: deque[float] = field(default_factory=deque)
    group_windows: dict[int, deque[float]] = field(default_factory=dict)
    chat_windows: dict[int, deque[float]] = field(default_factory=dict)


@dataclass
class _Call:
    method: str
    params: JSONDict
    files: dict[str, _Upload]


@dataclass
class _Query:
    payload: JSONDict
    created: float
    answered: bool = False


ChatRef = FakeChat | FakeUser | int
UserRef = FakeUser | int
Handler = Callable[[_Call], Awaitable[Any]]


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeBotApi:
    """A strict, in-process fake of the Telegram Bot API served over HTTP on 127.0.0.1.

    Attributes recorded for assertions:

    * ``sent``: every successful call except ``getUpdates`` as :class:`SentCall`.
    * ``requests``: every request (including errors and ``getUpdates``) as :class:`ApiRequest`.
    * ``answered_callbacks`` / ``inline_answers``: the parameters of each successful
      ``answerCallbackQuery`` / ``answerInlineQuery``.
    * ``documents``: every :class:`FakeDocument` the bot uploaded.
    * ``all_updates``: every update ever queued for the bot.
    * ``undelivered``: simulated messages the bot cannot see (group privacy mode, senders
      that are bots, chats the bot is not in), as ``{update_type: message}``.
    * ``internal_errors``: tracebacks of bugs in this fake (should stay empty).
    * ``in_flight``: ``(method, params)`` of the requests read and not yet answered;
      ``peak_in_flight`` and ``peak_in_flight_per_chat`` the most ever at once (overall, and
      per ``chat_id``), to see how many requests a client really has going in parallel (a
      long poll counts while it waits).

    Note for PTB 22: reading ``RetryAfter.retry_after`` (PTB itself does so when raising it)
    emits a ``PTBDeprecationWarning`` unless the environment has ``PTB_TIMEDELTA=true``; under
    ``-W error`` set that variable in tests that provoke 429s.
    """

    def __init__(
        self,
        token: str = "123:ABC",
        bot_username: str = "oscebot_test",
        *,
        bot_name: str = "OSCE Test Bot",
        privacy_mode: bool = True,
        strict_html_ampersand: bool = True,
        query_ttl: float | None = None,
        first_update_id: int = 100_000,
        clock: Callable[[], float] = time.time,
        latency: float = 0.0,
    ) -> None:
        """Configure the fake; nothing listens until :meth:`start` (or ``async with``).

        ``token`` is the only accepted token; its numeric prefix is the bot's user id.
        ``privacy_mode`` mirrors BotFather's group privacy (``can_read_all_group_messages``
        is its negation).  ``query_ttl`` makes callback/inline queries expire after that many
        seconds.  ``clock`` supplies Unix time for message dates.  ``latency`` (seconds)
        holds every request that long before the server handles it, like the round trip to a
        distant Telegram: a client waiting for each answer is slowed, one with several requests
        in flight is not.  :meth:`set_latency` changes it, for the requests held then too.
        """
        if latency < 0:
            raise ValueError("latency must be >= 0")
        prefix = token.split(":", 1)[0]
        self._token = token
        self._bot_user = FakeUser(
            id=int(prefix) if prefix.isdigit() else 1,
            first_name=bot_name,
            username=bot_username,
            is_bot=True,
            language_code=None,
        )
        self._privacy_mode = privacy_mode
        self._strict_ampersand = strict_html_ampersand
        self._query_ttl = query_ttl
        self._clock = clock
        self._latency = latency

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        self._cond = asyncio.Condition()

        self._users: dict[int, FakeUser] = {self._bot_user.id: self._bot_user}
        self._chats: dict[int, FakeChat] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._next_message_id: dict[int, int] = {}
        self._bot_messages: dict[int, list[JSONDict]] = {}
        self._read_cursor: dict[int, int] = {}
        self._next_user_id = 1_000_001
        self._next_group_id = 4_000_000_001
        self._next_super_id = 2_000_000_001
        self._next_query_id = 4_382_000_000_000_000_001
        self._next_file = 1

        self._updates: list[JSONDict] = []
        self._next_update_id = first_update_id
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._waiting_polls = 0
        self._webhook: JSONDict | None = None

        self._callback_queries: dict[str, _Query] = {}
        self._inline_queries: dict[str, _Query] = {}
        self._files: dict[str, _StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}

        self._faults: list[_Fault] = []
        self._limits: _Limits | None = None

        self.sent: list[SentCall] = []
        self.requests: list[ApiRequest] = []
        self.answered_callbacks: list[JSONDict] = []
        self.inline_answers: list[JSONDict] = []
        self.documents: list[FakeDocument] = []
        self.all_updates: list[JSONDict] = []
        self.undelivered: list[JSONDict] = []
        self.internal_errors: list[str] = []
        self.in_flight: list[tuple[str, JSONDict]] = []
        self.peak_in_flight = 0
        self.peak_in_flight_per_chat: dict[int | str, int] = {}

        self._handlers: dict[str, tuple[str, Handler]] = {}
        for name, handler in (
            ("getMe", self._api_get_me),
            ("logOut", self._api_ok),
            ("close", self._api_ok),
            ("getUpdates", self._api_get_updates),
            ("setWebhook", self._api_set_webhook),
            ("deleteWebhook", self._api_delete_webhook),
            ("getWebhookInfo", self._api_get_webhook_info),
            ("sendMessage", self._api_send_message),
            ("editMessageText", self._api_edit_message_text),
            ("editMessageCaption", self._api_edit_message_caption),
            ("editMessageReplyMarkup", self._api_edit_message_reply_markup),
            ("deleteMessage", self._api_delete_message),
            ("deleteMessages", self._api_delete_messages),
            ("answerCallbackQuery", self._api_answer_callback_query),
            ("answerInlineQuery", self._api_answer_inline_query),
            ("sendDocument", self._api_send_document),
            ("sendChatAction", self._api_send_chat_action),
            ("setMyCommands", self._api_set_my_commands),
            ("getMyCommands", self._api_get_my_commands),
            ("deleteMyCommands", self._api_delete_my_commands),
            ("setMyDescription", self._api_set_my_description),
            ("getMyDescription", self._api_get_my_description),
            ("setMyShortDescription", self._api_set_my_short_description),
            ("getMyShortDescription", self._api_get_my_short_description),
            ("setMyName", self._api_set_my_name),
            ("getMyName", self._api_get_my_name),
            ("setChatMenuButton", self._api_set_chat_menu_button),
            ("getChatMenuButton", self._api_get_chat_menu_button),
            ("getChat", self._api_get_chat),
            ("getChatMember", self._api_get_chat_member),
            ("getChatAdministrators", self._api_get_chat_administrators),
            ("getChatMemberCount", self._api_get_chat_member_count),
            ("leaveChat", self._api_leave_chat),
            ("getFile", self._api_get_file),
        ):
            self._handlers[name.lower()] = (name, handler)

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Start listening on 127.0.0.1 on a free port."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self._closing = False

    async def close(self) -> None:
        """Stop the server: wake pending long polls and delayed answers, then shut down."""
        runner = self._runner
        if runner is None:
            return
        self._closing = True
        await self._notify()
        self._runner = None
        await runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        """Start the server and return it."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close the server."""
        await self.close()

    @property
    def token(self) -> str:
        """The only bot token this server accepts."""
        return self._token

    @property
    def port(self) -> int:
        """The TCP port the server listens on (after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """The ``base_url`` for PTB: ``http://127.0.0.1:PORT/bot``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The ``base_file_url`` for PTB: ``http://127.0.0.1:PORT/file/bot``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def latency(self) -> float:
        """Seconds each request is held before it is handled."""
        return self._latency

    async def set_latency(self, seconds: float) -> None:
        """Change the latency, also for the requests held now (counted from their arrival):
        a long one holds requests until the test lets them through with a short one."""
        if seconds < 0:
            raise ValueError("latency must be >= 0")
        self._latency = seconds
        await self._notify()

    @property
    def bot_user(self) -> FakeUser:
        """The bot's own user."""
        return self._bot_user

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by ``getUpdates`` (copies)."""
        return copy.deepcopy(self._updates)

    @property
    def waiting_polls(self) -> int:
        """How many ``getUpdates`` long polls are waiting right now (the bot is polling)."""
        return self._waiting_polls

    @property
    def webhook_url(self) -> str:
        """The webhook URL set by the bot, or ``""``."""
        return str(self._webhook["url"]) if self._webhook else ""

    # ---------------------------------------------------------------- users and chats

    def add_user(
        self,
        first_name: str = "Alice",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        is_bot: bool = False,
        user_id: int | None = None,
    ) -> FakeUser:
        """Create a simulated user with a fresh id (or ``user_id``)."""
        if user_id is None:
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id in self._users:
            raise ValueError(f"user {user_id} already exists")
        user = FakeUser(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            is_bot=is_bot,
            language_code=language_code,
        )
        self._users[user_id] = user
        return user

    def private_chat(self, user: UserRef) -> FakeChat:
        """Return (creating if needed) the private chat between ``user`` and the bot."""
        found = self._user(user)
        chat = self._chats.get(found.id)
        if chat is None:
            chat = FakeChat(
                id=found.id,
                type="private",
                user=found,
                members={found.id: "member", self._bot_user.id: "member"},
            )
            self._add_chat(chat)
        return chat

    def create_group(
        self,
        title: str,
        members: Iterable[UserRef] = (),
        *,
        admins: Iterable[UserRef] = (),
        creator: UserRef | None = None,
        bot_status: MemberStatus = "member",
        supergroup: bool = False,
        username: str | None = None,
    ) -> FakeChat:
        """Create a group (or supergroup) with members, admins, a creator and the bot in it."""
        if supergroup:
            chat_id = -(1_000_000_000_000 + self._next_super_id)
            self._next_super_id += 1
        else:
            chat_id = -self._next_group_id
            self._next_group_id += 1
        chat = FakeChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username if supergroup else None,
        )
        for member in members:
            chat.members[self._user(member).id] = "member"
        for admin in admins:
            chat.members[self._user(admin).id] = "administrator"
        if creator is not None:
            chat.members[self._user(creator).id] = "creator"
        chat.members[self._bot_user.id] = self._check_status(bot_status)
        self._add_chat(chat)
        return chat

    def create_supergroup(
        self,
        title: str,
        members: Iterable[UserRef] = (),
        *,
        admins: Iterable[UserRef] = (),
        creator: UserRef | None = None,
        bot_status: MemberStatus = "member",
        username: str | None = None,
    ) -> FakeChat:
        """Create a supergroup; see :meth:`create_group`."""
        return self.create_group(
            title,
            members,
            admins=admins,
            creator=creator,
            bot_status=bot_status,
            supergroup=True,
            username=username,
        )

    def create_channel(
        self,
        title: str,
        *,
        username: str | None = None,
        bot_status: MemberStatus = "administrator",
    ) -> FakeChat:
        """Create a channel; the bot is an administrator by default (needed to post)."""
        chat = FakeChat(
            id=-(1_000_000_000_000 + self._next_super_id),
            type="channel",
            title=title,
            username=username,
        )
        self._next_super_id += 1
        chat.members[self._bot_user.id] = self._check_status(bot_status)
        self._add_chat(chat)
        return chat

    def set_member_status(self, chat: ChatRef, user: UserRef, status: MemberStatus) -> None:
        """Set a member's status silently (no update); use :meth:`member_update` for the bot."""
        self._chat(chat).members[self._user(user).id] = self._check_status(status)

    def get_chat(self, chat: ChatRef) -> FakeChat:
        """Return a known chat by id."""
        return self._chat(chat)

    def get_user(self, user: UserRef) -> FakeUser:
        """Return a known user by id."""
        return self._user(user)

    # ---------------------------------------------------------------- simulated events

    async def send_text(
        self,
        chat: ChatRef,
        user: UserRef | None,
        text: str,
        reply_to: Mapping[str, Any] | int | None = None,
        entities: Sequence[Mapping[str, Any]] | None = None,
    ) -> JSONDict:
        """A user writes ``text`` in ``chat``; queues a ``message`` update and returns the message.

        ``user`` defaults to the private chat's user.  Without explicit ``entities``, commands,
        @mentions and URLs get entities as Telegram adds them (``/start`` at offset 0 becomes a
        ``bot_command``).  In a channel this is a ``channel_post`` without ``from``.  Group
        messages the bot would not see (privacy mode, other bots) are stored but not queued;
        they are listed in ``undelivered``.
        """
        target = self._chat(chat)
        sender = self._sender(target, user)
        extra: JSONDict = {"text": text}
        found_entities = (
            [dict(e) for e in entities] if entities is not None else _auto_entities(text)
        )
        if found_entities:
            extra["entities"] = found_entities
        message = self._new_message(target, sender, extra, reply_to=reply_to)
        kind = "channel_post" if target.type == "channel" else "message"
        await self._deliver_user_message(target, sender, message, kind)
        return copy.deepcopy(message)

    async def send_document(
        self,
        chat: ChatRef,
        user: UserRef | None,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        reply_to: Mapping[str, Any] | int | None = None,
    ) -> JSONDict:
        """A user sends a document; the file can be fetched through ``getFile``."""
        target = self._chat(chat)
        sender = self._sender(target, user)
        stored = self._store_file(filename, content, mime_type)
        extra: JSONDict = {"document": self._document_dict(stored)}
        if caption:
            extra["caption"] = caption
            auto = _auto_entities(caption)
            if auto:
                extra["caption_entities"] = auto
        message = self._new_message(target, sender, extra, reply_to=reply_to)
        kind = "channel_post" if target.type == "channel" else "message"
        await self._deliver_user_message(target, sender, message, kind)
        return copy.deepcopy(message)

    async def edit_text(
        self,
        message: Mapping[str, Any],
        text: str,
        entities: Sequence[Mapping[str, Any]] | None = None,
    ) -> JSONDict:
        """A user edits their earlier message; queues an ``edited_message`` update."""
        stored = self._stored_message(message)
        if "text" not in stored:
            raise ValueError("only text messages can be edited with edit_text")
        chat = self._chat(int(stored["chat"]["id"]))
        sender_id = stored.get("from", {}).get("id")
        if sender_id == self._bot_user.id:
            raise ValueError("edit_text simulates a user's edit; the bot edits via the API")
        stored["text"] = text
        found = [dict(e) for e in entities] if entities is not None else _auto_entities(text)
        if found:
            stored["entities"] = found
        else:
            stored.pop("entities", None)
        stored["edit_date"] = self._now()
        kind = "edited_channel_post" if chat.type == "channel" else "edited_message"
        sender = self._users.get(int(sender_id)) if sender_id is not None else None
        await self._deliver_user_message(chat, sender, stored, kind)
        return copy.deepcopy(stored)

    async def press_button(
        self,
        message: Mapping[str, Any],
        data: str,
        user: UserRef | None = None,
        *,
        check_button: bool = True,
    ) -> JSONDict:
        """A user presses an inline button; queues a ``callback_query`` and returns it.

        ``message`` is a bot message (as returned by :meth:`next_bot_message`); its current
        version must carry a button with this ``callback_data`` unless ``check_button`` is
        false (a stale client).
        """
        stored = self._stored_message(message)
        chat = self._chat(int(stored["chat"]["id"]))
        presser = self._sender(chat, user)
        if presser is None:
            raise ValueError("press_button needs a user in a channel")
        if check_button:
            rows = stored.get("reply_markup", {}).get("inline_keyboard", [])
            datas = [b.get("callback_data") for row in rows for b in row]
            if data not in datas:
                raise LookupError(
                    f"message {stored['message_id']} has no button with callback_data "
                    f"{data!r}; buttons: {datas!r}"
                )
        query_id = self._new_query_id()
        payload: JSONDict = {
            "id": query_id,
            "from": presser.to_dict(),
            "message": copy.deepcopy(stored),
            "chat_instance": self._chat_instance(chat),
            "data": data,
        }
        self._callback_queries[query_id] = _Query(payload, time.monotonic())
        await self._push_update("callback_query", payload)
        return copy.deepcopy(payload)

    async def inline_query(
        self,
        user: UserRef,
        query: str,
        *,
        offset: str = "",
        chat_type: str | None = "sender",
    ) -> JSONDict:
        """A user types ``@bot query``; queues an ``inline_query`` update and returns it."""
        sender = self._user(user)
        query_id = self._new_query_id()
        payload: JSONDict = {
            "id": query_id,
            "from": sender.to_dict(),
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            payload["chat_type"] = chat_type
        self._inline_queries[query_id] = _Query(payload, time.monotonic())
        await self._push_update("inline_query", payload)
        return copy.deepcopy(payload)

    async def choose_inline_result(
        self,
        user: UserRef,
        result_id: str,
        query: str = "",
        *,
        inline_message_id: str | None = None,
    ) -> JSONDict:
        """A user picks an inline result; queues a ``chosen_inline_result`` update."""
        payload: JSONDict = {
            "result_id": result_id,
            "from": self._user(user).to_dict(),
            "query": query,
        }
        if inline_message_id is not None:
            payload["inline_message_id"] = inline_message_id
        await self._push_update("chosen_inline_result", payload)
        return copy.deepcopy(payload)

    async def member_update(
        self,
        chat: ChatRef,
        old_status: MemberStatus,
        new_status: MemberStatus,
        *,
        by: UserRef | None = None,
    ) -> JSONDict:
        """The bot's status in ``chat`` changes; queues ``my_chat_member`` and applies it.

        In a private chat ``member`` -> ``kicked`` means the user blocked the bot (sending
        then fails with 403); in groups ``kicked``/``left`` make sending fail with 403 too.
        """
        target = self._chat(chat)
        actor = self._actor(target, by)
        target.members[self._bot_user.id] = self._check_status(new_status)
        payload: JSONDict = {
            "chat": target.to_dict(),
            "from": actor.to_dict(),
            "date": self._now(),
            "old_chat_member": self._member_dict(self._bot_user, self._check_status(old_status)),
            "new_chat_member": self._member_dict(self._bot_user, new_status),
        }
        await self._push_update("my_chat_member", payload)
        return copy.deepcopy(payload)

    async def block_bot(self, user: UserRef) -> JSONDict:
        """The user blocks the bot (``my_chat_member`` member -> kicked in the private chat)."""
        return await self.member_update(self.private_chat(user), "member", "kicked")

    async def unblock_bot(self, user: UserRef) -> JSONDict:
        """The user unblocks the bot (kicked -> member)."""
        return await self.member_update(self.private_chat(user), "kicked", "member")

    async def migrate(self, chat: ChatRef) -> FakeChat:
        """Upgrade a group to a supergroup, as Telegram does, and return the supergroup.

        Queues the two service messages (``migrate_to_chat_id`` in the old group,
        ``migrate_from_chat_id`` in the new supergroup); afterwards any method aimed at the
        old id fails with 400 "group chat was upgraded to a supergroup chat" and
        ``parameters.migrate_to_chat_id``.
        """
        old = self._chat(chat)
        if old.type != "group":
            raise ValueError("only basic groups can be migrated")
        new = FakeChat(
            id=-(1_000_000_000_000 + self._next_super_id),
            type="supergroup",
            title=old.title,
            members=dict(old.members),
            migrated_from=old.id,
        )
        self._next_super_id += 1
        self._add_chat(new)
        actor = self._actor(old, None)
        old_message = self._new_message(old, actor, {"migrate_to_chat_id": new.id})
        old.migrated_to = new.id
        new_message = self._new_message(new, actor, {"migrate_from_chat_id": old.id})
        await self._push_update("message", old_message)
        await self._push_update("message", new_message)
        return new

    async def send_raw_update(self, update: Mapping[str, Any]) -> JSONDict:
        """Queue an arbitrary update (stickers, photos, bot senders...); no filtering applied.

        ``update_id`` is assigned unless given.  Returns the queued update.
        """
        raw = copy.deepcopy(dict(update))
        if "update_id" not in raw:
            raw["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(raw["update_id"])) + 1
        self._updates.append(raw)
        self.all_updates.append(copy.deepcopy(raw))
        await self._notify()
        return copy.deepcopy(raw)

    # ---------------------------------------------------------------- recordings and waiting

    def calls(self, method: str) -> list[SentCall]:
        """Successful calls of ``method`` (case-insensitive) in order."""
        wanted = method.lower()
        return [call for call in self.sent if call.method.lower() == wanted]

    def messages_in(self, chat: ChatRef) -> list[JSONDict]:
        """The bot's messages in ``chat`` in sending order, as they are now (deleted omitted)."""
        chat_id = _chat_id(chat)
        current = self._messages.get(chat_id, {})
        return [
            copy.deepcopy(current[int(m["message_id"])])
            for m in self._bot_messages.get(chat_id, [])
            if int(m["message_id"]) in current
        ]

    def message(self, chat: ChatRef, message_id: int) -> JSONDict | None:
        """The current version of any stored message, or None if unknown or deleted."""
        chat_id = _chat_id(chat)
        found = self._messages.get(chat_id, {}).get(message_id)
        return copy.deepcopy(found) if found is not None else None

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        """The bot commands set for ``scope`` (default scope if None) and ``language_code``."""
        key = (self._scope_key(dict(scope) if scope else {"type": "default"}), language_code)
        return copy.deepcopy(self._commands.get(key, []))

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        The predicate is re-evaluated whenever the server's state changes (no polling).
        Raises ``TimeoutError`` listing the latest calls if it does not happen in time.
        """
        holder: list[T] = []

        def check() -> bool:
            value = predicate()
            if value:
                holder.append(value)
                return True
            return False

        try:
            async with asyncio.timeout(timeout), self._cond:
                await self._cond.wait_for(check)
        except TimeoutError:
            recent = [f"{c.method}{_brief(c.params)}" for c in self.sent[-5:]]
            raise TimeoutError(
                f"condition not met within {timeout}s; last bot calls: {recent}"
            ) from None
        return holder[-1]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[SentCall], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        since: int = 0,
    ) -> SentCall:
        """Wait for a successful call of ``method`` at index >= ``since`` in ``sent``.

        Pass ``since=len(server.sent)`` to ignore calls made before now.
        """
        wanted = method.lower()

        def find() -> SentCall | None:
            for call in self.sent[since:]:
                if call.method.lower() == wanted and (predicate is None or predicate(call)):
                    return call
            return None

        return await self.wait_for(find, timeout)

    async def next_bot_message(
        self,
        chat: ChatRef,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> JSONDict:
        """Return the next not-yet-read message the bot sent to ``chat`` (as sent).

        Each chat has a read cursor, so a reply sent before this call is not missed and every
        message is returned exactly once.
        """
        chat_id = _chat_id(chat)

        def pick() -> JSONDict | None:
            index = self._read_cursor.get(chat_id, 0)
            sent = self._bot_messages.get(chat_id, [])
            if index < len(sent):
                self._read_cursor[chat_id] = index + 1
                return copy.deepcopy(sent[index])
            return None

        try:
            return await self.wait_for(pick, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"the bot sent no new message to chat {chat_id} within {timeout}s; "
                f"last bot calls: {[c.method for c in self.sent[-5:]]}"
            ) from None

    def unread_bot_messages(self, chat: ChatRef) -> list[JSONDict]:
        """Messages sent to ``chat`` that :meth:`next_bot_message` has not returned yet."""
        chat_id = _chat_id(chat)
        index = self._read_cursor.get(chat_id, 0)
        return copy.deepcopy(self._bot_messages.get(chat_id, [])[index:])

    async def wait_updates_consumed(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has confirmed (via ``getUpdates`` offset) every queued update."""
        await self.wait_for(lambda: not self._updates, timeout)

    def clear_records(self) -> None:
        """Forget recorded calls, requests, answers and documents (not chats or messages)."""
        self.sent.clear()
        self.requests.clear()
        self.answered_callbacks.clear()
        self.inline_answers.clear()
        self.documents.clear()

    # ---------------------------------------------------------------- faults and limits

    def fail_next(
        self,
        method: str,
        kind: FaultKind,
        times: int = 1,
        chat_id: ChatRef | str | None = None,
        *,
        retry_after: int = 5,
        delay: float = 2.0,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (``"*"``: any except getUpdates).

        Kinds: ``retry_after``/``429`` (with ``parameters.retry_after``), ``blocked`` and
        ``kicked`` (403), ``migrate`` (400 with ``migrate_to_chat_id``), ``server_error``/
        ``500``, ``bad_gateway``/``502`` (nginx HTML body), ``conflict`` (409), ``timeout``
        (the answer is held back ``delay`` seconds, then the call is processed normally, as
        when Telegram is slow) and ``disconnect`` (the call is processed, so a message is
        posted, then the connection is closed without an answer, as when a connection is lost
        after Telegram got the request).  With ``chat_id`` only calls for that chat match.
        """
        normalized = _FAULT_ALIASES.get(kind, kind)
        if normalized not in _FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        if times < 1:
            raise ValueError("times must be >= 1")
        target = chat_id.id if isinstance(chat_id, FakeChat | FakeUser) else chat_id
        self._faults.append(
            _Fault(
                method="*" if method == "*" else method.lower(),
                kind=normalized,
                remaining=times,
                chat_id=target,
                retry_after=retry_after,
                delay=delay,
                migrate_to_chat_id=migrate_to_chat_id,
            )
        )

    @property
    def pending_faults(self) -> int:
        """How many injected faults have not been used up yet."""
        return sum(fault.remaining for fault in self._faults)

    def clear_faults(self) -> None:
        """Drop every pending injected fault."""
        self._faults.clear()

    def enforce_limits(
        self,
        global_per_second: int | None = 30,
        per_group_per_minute: int | None = 20,
        per_chat_per_second: int | None = None,
    ) -> None:
        """Enforce Telegram's sending limits (sliding windows) with 429 ``retry_after``.

        Applies to ``send*`` methods (not ``sendChatAction``).  ``None`` disables one limit.
        """
        self._limits = _Limits(global_per_second, per_group_per_minute, per_chat_per_second)

    def disable_limits(self) -> None:
        """Stop enforcing sending limits (the default)."""
        self._limits = None

    # ---------------------------------------------------------------- HTTP plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._serve_file(path[len("/file/bot") :])
        if not path.startswith("/bot"):
            return _json_response(ApiError(404, "Not Found").to_json(), 404)
        token, _, method = path[len("/bot") :].partition("/")
        if token != self._token:
            return _json_response(ApiError(401, "Unauthorized").to_json(), 401)
        entry = self._handlers.get(method.lower())
        if entry is None:
            error = ApiError(404, "Not Found: method not found")
            self.requests.append(ApiRequest(method, {}, 404, error.to_json()))
            return _json_response(error.to_json(), 404)
        name, handler = entry
        try:
            params, files = await self._read_params(request)
        except ApiError as exc:
            self.requests.append(ApiRequest(name, {}, exc.code, exc.to_json()))
            return _json_response(exc.to_json(), exc.code)
        arrived = time.monotonic()
        entry_in_flight = (name, params)
        self._enter_flight(entry_in_flight)
        await self._notify()  # for tests waiting on `in_flight`
        try:
            await self._hold(arrived)
            response = await self._answer(request, name, handler, _Call(name, params, files))
        finally:
            self.in_flight.remove(entry_in_flight)
        await self._notify()
        return response

    def _enter_flight(self, entry: tuple[str, JSONDict]) -> None:
        self.in_flight.append(entry)
        self.peak_in_flight = max(self.peak_in_flight, len(self.in_flight))
        chat_id = entry[1].get("chat_id")
        if isinstance(chat_id, int | str):
            same_chat = sum(1 for _, params in self.in_flight if params.get("chat_id") == chat_id)
            peaks = self.peak_in_flight_per_chat
            peaks[chat_id] = max(peaks.get(chat_id, 0), same_chat)

    async def _answer(
        self, request: web.Request, name: str, handler: Handler, call: _Call
    ) -> web.StreamResponse:
        params = call.params
        fault = self._take_fault(name, params)
        if fault is not None:
            await self._notify()  # for tests waiting on `pending_faults`
            response = await self._apply_fault(fault, call)
            if response is not None:
                return response
        response = await self._process(name, handler, call)
        if fault is not None and fault.kind == "disconnect" and request.transport is not None:
            # Carried out, but the client never hears so: it cannot tell whether it worked.
            request.transport.close()
        return response

    async def _process(self, name: str, handler: Handler, call: _Call) -> web.Response:
        params, files = call.params, call.files
        try:
            self._check_limits(name, params)
            result = await handler(call)
        except ApiError as exc:
            self.requests.append(
                ApiRequest(name, _loggable(params, files), exc.code, exc.to_json())
            )
            await self._notify()
            return _json_response(exc.to_json(), exc.code)
        except Exception:
            self.internal_errors.append(traceback.format_exc())
            body = ApiError(500, "Internal Server Error: bug in FakeBotApi").to_json()
            self.requests.append(ApiRequest(name, _loggable(params, files), 500, body))
            return _json_response(body, 500)
        body = {"ok": True, "result": result}
        logged = _loggable(params, files)
        self.requests.append(ApiRequest(name, logged, 200, copy.deepcopy(body)))
        if name != "getUpdates":
            self.sent.append(SentCall(name, logged, copy.deepcopy(result)))
        await self._notify()
        return _json_response(body, 200)

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, _Upload]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, _Upload] = {}
        if request.body_exists:
            content_type = request.content_type
            if content_type == "application/json":
                try:
                    body = json.loads(await request.text())
                except ValueError:
                    raise _bad("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise _bad("JSON object expected as a request body")
                raw.update(body)
            elif content_type == "multipart/form-data":
                reader = await request.multipart()
                while True:
                    part = await reader.next()
                    if part is None:
                        break
                    if not isinstance(part, BodyPartReader) or part.name is None:
                        continue
                    if part.filename is not None:
                        data = await part.read(decode=False)
                        files[part.name] = _Upload(
                            part.filename,
                            bytes(data),
                            part.headers.get("Content-Type"),
                        )
                    else:
                        raw[part.name] = await part.text()
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, str):
                        raw[key] = value
        return {key: _coerce(key, value) for key, value in raw.items()}, files

    def _take_fault(self, method: str, params: JSONDict) -> _Fault | None:
        for fault in self._faults:
            if fault.method == "*":
                if method == "getUpdates":
                    continue
            elif fault.method != method.lower():
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            return fault
        return None

    async def _apply_fault(self, fault: _Fault, call: _Call) -> web.StreamResponse | None:
        kind = fault.kind
        if kind == "timeout":
            await self._sleep(fault.delay)
            return None
        if kind == "disconnect":
            return None
        error: ApiError
        if kind == "retry_after":
            error = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        elif kind == "blocked":
            error = _forbidden("bot was blocked by the user")
        elif kind == "kicked":
            chat = self._chats.get(call.params.get("chat_id", 0))
            chat_kind = chat.type if chat is not None and chat.type != "private" else "group"
            error = _forbidden(f"bot was kicked from the {chat_kind} chat")
        elif kind == "migrate":
            new_id = fault.migrate_to_chat_id
            if new_id is None:
                chat = self._chats.get(call.params.get("chat_id", 0))
                new_id = chat.migrated_to if chat is not None else None
            if new_id is None:
                new_id = -(1_000_000_000_000 + self._next_super_id)
                self._next_super_id += 1
            error = _bad(
                "group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": new_id}
            )
        elif kind == "server_error":
            error = ApiError(500, "Internal Server Error")
        elif kind == "conflict":
            error = ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one "
                "bot instance is running",
            )
        else:  # bad_gateway: nginx answers with HTML, not JSON
            self.requests.append(
                ApiRequest(
                    call.method,
                    _loggable(call.params, call.files),
                    502,
                    {"html": _BAD_GATEWAY_HTML},
                )
            )
            return web.Response(status=502, text=_BAD_GATEWAY_HTML, content_type="text/html")
        self.requests.append(
            ApiRequest(call.method, _loggable(call.params, call.files), error.code, error.to_json())
        )
        await self._notify()
        return _json_response(error.to_json(), error.code)

    def _check_limits(self, method: str, params: JSONDict) -> None:
        limits = self._limits
        if limits is None or not method.startswith("send") or method == "sendChatAction":
            return
        now = time.monotonic()
        chat_id = params.get("chat_id")
        windows: list[tuple[deque[float], float, int]] = []
        if limits.global_per_second is not None:
            windows.append((limits.global_window, 1.0, limits.global_per_second))
        if isinstance(chat_id, int):
            if limits.per_group_per_minute is not None and chat_id < 0:
                window = limits.group_windows.setdefault(chat_id, deque())
                windows.append((window, 60.0, limits.per_group_per_minute))
            if limits.per_chat_per_second is not None:
                window = limits.chat_windows.setdefault(chat_id, deque())
                windows.append((window, 1.0, limits.per_chat_per_second))
        for window, span, allowed in windows:
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= allowed:
                retry = max(1, math.ceil(window[0] + span - now))
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
        for window, _, _ in windows:
            window.append(now)

    def _serve_file(self, rest: str) -> web.StreamResponse:
        token, _, file_path = rest.partition("/")
        if token != self._token:
            return _json_response(ApiError(401, "Unauthorized").to_json(), 401)
        for stored in self._files.values():
            if stored.file_path == file_path:
                return web.Response(
                    body=stored.content,
                    content_type=stored.mime_type or "application/octet-stream",
                )
        return _json_response(ApiError(404, "Not Found").to_json(), 404)

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    async def _sleep(self, delay: float) -> None:
        """Sleep ``delay`` seconds, or less if the server is closing."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay), self._cond:
                await self._cond.wait_for(lambda: self._closing)

    async def _hold(self, arrived: float) -> None:
        """Hold a request until ``latency`` after its arrival (or the server closes)."""
        async with self._cond:
            while not self._closing:
                left = arrived + self._latency - time.monotonic()
                if left <= 0:
                    return
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(left):
                        await self._cond.wait()  # woken by any change, a new latency too

    async def _wait_for_updates(self, wait: float, generation: int) -> None:
        """Wait up to ``wait`` seconds for a deliverable update, a newer poll or shutdown."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait), self._cond:
                await self._cond.wait_for(
                    lambda: (
                        self._closing
                        or generation != self._poll_generation
                        or bool(self._deliverable())
                    )
                )

    # ---------------------------------------------------------------- internal state helpers

    def _now(self) -> int:
        return int(self._clock())

    def _add_chat(self, chat: FakeChat) -> None:
        self._chats[chat.id] = chat
        self._messages.setdefault(chat.id, {})
        self._next_message_id.setdefault(chat.id, 1)

    def _user(self, user: UserRef) -> FakeUser:
        user_id = user.id if isinstance(user, FakeUser) else int(user)
        try:
            return self._users[user_id]
        except KeyError:
            raise KeyError(f"unknown user {user_id}; create it with add_user()") from None

    def _chat(self, chat: ChatRef) -> FakeChat:
        if isinstance(chat, FakeUser):
            return self.private_chat(chat)
        chat_id = _chat_id(chat)
        try:
            return self._chats[chat_id]
        except KeyError:
            raise KeyError(f"unknown chat {chat_id}; create it first") from None

    @staticmethod
    def _check_status(status: str) -> str:
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"unknown member status {status!r}")
        return status

    def _sender(self, chat: FakeChat, user: UserRef | None) -> FakeUser | None:
        if user is not None:
            found = self._user(user)
            if chat.type == "private" and chat.id != found.id:
                raise ValueError(f"user {found.id} is not the user of private chat {chat.id}")
            if chat.type in ("group", "supergroup") and (
                chat.members.get(found.id) not in _PRESENT_STATUSES
            ):
                raise ValueError(
                    f"user {found.id} is not a member of {chat.type} {chat.id}; pass them in "
                    "create_group(members=...) or use set_member_status()"
                )
            return found
        if chat.type == "private" and chat.user is not None:
            return chat.user
        if chat.type == "channel":
            return None
        raise ValueError(f"a user is required for messages in the {chat.type} {chat.id}")

    def _actor(self, chat: FakeChat, by: UserRef | None) -> FakeUser:
        if by is not None:
            return self._user(by)
        if chat.user is not None:
            return chat.user
        ranked = sorted(
            (uid for uid in chat.members if uid != self._bot_user.id),
            key=lambda uid: {"creator": 0, "administrator": 1}.get(chat.members[uid], 2),
        )
        if ranked:
            return self._users[ranked[0]]
        return self.add_user("Admin")

    def _chat_instance(self, chat: FakeChat) -> str:
        return str((abs(chat.id) * 7_919 + self._bot_user.id) % 10**19)

    def _new_query_id(self) -> str:
        query_id = str(self._next_query_id)
        self._next_query_id += 1
        return query_id

    def _new_message(
        self,
        chat: FakeChat,
        sender: FakeUser | None,
        extra: JSONDict,
        *,
        reply_to: Mapping[str, Any] | int | None = None,
    ) -> JSONDict:
        message_id = self._next_message_id[chat.id]
        self._next_message_id[chat.id] = message_id + 1
        message: JSONDict = {"message_id": message_id}
        if sender is not None:
            message["from"] = sender.to_dict()
        if chat.type == "channel":
            message["sender_chat"] = chat.to_dict()
        message["chat"] = chat.to_dict()
        message["date"] = self._now()
        if reply_to is not None:
            target_id = reply_to if isinstance(reply_to, int) else int(reply_to["message_id"])
            target = self._messages[chat.id].get(target_id)
            if target is None:
                raise LookupError(f"no message {target_id} in chat {chat.id} to reply to")
            message["reply_to_message"] = _without_reply(target)
        message.update(extra)
        self._messages[chat.id][message_id] = message
        return message

    def _stored_message(self, message: Mapping[str, Any]) -> JSONDict:
        chat_id = int(message["chat"]["id"])
        message_id = int(message["message_id"])
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None:
            raise LookupError(f"message {message_id} in chat {chat_id} does not exist")
        return stored

    def _bot_sees(self, chat: FakeChat, sender: FakeUser | None, message: JSONDict) -> bool:
        status = chat.members.get(self._bot_user.id, "left")
        if status not in _PRESENT_STATUSES:
            return False
        if sender is not None and sender.is_bot:
            return False
        if chat.type in ("private", "channel"):
            return True
        if not self._privacy_mode or status in _ADMIN_STATUSES:
            return True
        if "text" not in message and "caption" not in message:
            return "document" not in message  # service messages are always delivered
        text = str(message.get("text", message.get("caption", "")))
        entities: list[JSONDict] = message.get("entities") or message.get("caption_entities") or []
        username = (self._bot_user.username or "").lower()
        for entity in entities:
            chunk = _entity_text(text, entity).lower()
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                _, _, addressee = chunk.partition("@")
                if not addressee or addressee == username:
                    return True
            if entity["type"] == "mention" and chunk == f"@{username}":
                return True
        reply = message.get("reply_to_message")
        return bool(reply and reply.get("from", {}).get("id") == self._bot_user.id)

    async def _deliver_user_message(
        self, chat: FakeChat, sender: FakeUser | None, message: JSONDict, kind: str
    ) -> None:
        if self._bot_sees(chat, sender, message):
            await self._push_update(kind, copy.deepcopy(message))
        else:
            self.undelivered.append({kind: copy.deepcopy(message)})
            await self._notify()

    async def _push_update(self, kind: str, payload: JSONDict) -> JSONDict:
        update: JSONDict = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self.all_updates.append(copy.deepcopy(update))
        await self._notify()
        return update

    def _deliverable(self) -> list[JSONDict]:
        return [u for u in self._updates if _update_type(u) in self._allowed_updates]

    def _store_file(self, filename: str, content: bytes, mime_type: str | None) -> _StoredFile:
        number = self._next_file
        self._next_file += 1
        guessed = mime_type or mimetypes.guess_type(filename)[0]
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}fake",
            file_unique_id=f"AgAD{number:06d}",
            filename=filename,
            content=content,
            mime_type=guessed,
            file_path=f"documents/file_{number}{_suffix(filename)}",
        )
        self._files[stored.file_id] = stored
        return stored

    @staticmethod
    def _document_dict(stored: _StoredFile) -> JSONDict:
        data: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.filename,
            "file_size": len(stored.content),
        }
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        return data

    def _member_dict(self, user: FakeUser, status: str) -> JSONDict:
        data: JSONDict = {"user": user.to_dict(), "status": status}
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            data.update(_DEFAULT_ADMIN_RIGHTS)
            if user.id == self._bot_user.id:
                data["can_be_edited"] = False
        elif status == "restricted":
            data["is_member"] = True
            data.update(dict.fromkeys(_RESTRICTED_FLAGS, False))
            data["until_date"] = 0
        elif status == "kicked":
            data["until_date"] = 0
        return data

    # ---------------------------------------------------------------- validation helpers

    def _resolve_chat(self, params: JSONDict, *, key: str = "chat_id") -> FakeChat:
        """Find the target chat as Telegram does, raising Telegram's errors."""
        value = params.get(key)
        if value is None or value == "":
            raise _bad(f"{key} is empty")
        chat: FakeChat | None = None
        if isinstance(value, int):
            chat = self._chats.get(value)
            if chat is None and value in self._users and value != self._bot_user.id:
                chat = self.private_chat(value)
        elif isinstance(value, str) and value.startswith("@"):
            wanted = value[1:].lower()
            chat = next(
                (
                    c
                    for c in self._chats.values()
                    if c.type != "private" and (c.username or "").lower() == wanted
                ),
                None,
            )
        if chat is None:
            raise _bad("chat not found")
        if chat.migrated_to is not None:
            raise _bad(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        status = chat.members.get(self._bot_user.id, "left")
        if status == "kicked":
            if chat.type == "private":
                raise _forbidden("bot was blocked by the user")
            raise _forbidden(f"bot was kicked from the {chat.type} chat")
        if status == "left":
            if chat.type == "private":
                raise _forbidden("bot can't initiate conversation with a user")
            raise _forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def _sendable_chat(self, params: JSONDict) -> FakeChat:
        chat = self._resolve_chat(params)
        status = chat.members.get(self._bot_user.id)
        if chat.type == "channel" and status not in _ADMIN_STATUSES:
            raise _bad("need administrator rights in the channel chat")
        if status == "restricted":
            raise _bad("not enough rights to send text messages to the chat")
        return chat

    def _format(
        self,
        text: Any,
        parse_mode: Any,
        entities: Any,
        *,
        limit: int,
        caption: bool = False,
    ) -> tuple[str, list[JSONDict]]:
        """Parse and validate a message text or caption as Telegram does."""
        if text is None:
            if caption:
                return "", []
            raise _bad("message text is empty")
        if isinstance(text, bool) or not isinstance(text, str | int | float):
            raise _bad('field "text" must be of type String')
        text = str(text)
        if entities is not None:
            parsed_text, parsed = text, _validate_entities(entities, text)
        else:
            mode = str(parse_mode).lower() if parse_mode else ""
            if mode == "html":
                parsed_text, parsed = parse_html(text, strict_ampersand=self._strict_ampersand)
            elif mode == "markdownv2":
                parsed_text, parsed = parse_markdown_v2(text)
            elif mode == "markdown":
                parsed_text, parsed = parse_markdown(text)
            elif mode == "":
                parsed_text, parsed = text, []
            else:
                raise _bad(f"unsupported parse_mode: {parse_mode}")
        parsed_text, parsed = _strip_formatted(parsed_text, parsed)
        if not parsed_text and not caption:
            raise _bad("message text is empty")
        if utf16_len(parsed_text) > limit:
            raise _bad("message caption is too long" if caption else "message is too long")
        return parsed_text, _merge_auto_entities(parsed_text, parsed)

    def _markup(self, params: JSONDict, *, inline_only: bool = False) -> JSONDict | None:
        """Validate ``reply_markup``; returns the inline keyboard to echo back, if any."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            return _validate_inline_keyboard(markup)
        if inline_only:
            raise _bad("can't parse inline keyboard markup: inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    text = (
                        button
                        if isinstance(button, str)
                        else (button.get("text") if isinstance(button, dict) else None)
                    )
                    if not isinstance(text, str) or not text:
                        raise _bad("can't parse keyboard button: Text must be non-empty")
            return None
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return None
        raise _bad("can't parse reply keyboard markup JSON object")

    def _reply_target(self, chat: FakeChat, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
        if reply is None:
            return None
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise _bad("can't parse reply parameters JSON object")
        allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
        target_chat = chat
        if reply.get("chat_id") is not None:
            target_chat = self._resolve_chat({"chat_id": _coerce("chat_id", reply["chat_id"])})
        target = self._messages.get(target_chat.id, {}).get(reply["message_id"])
        if target is None:
            if allow_missing:
                return None
            raise _bad("message to be replied not found")
        quote = reply.get("quote")
        if quote is not None:
            haystack = str(target.get("text", target.get("caption", "")))
            if not isinstance(quote, str) or quote not in haystack:
                raise _bad("quote not found")
        return _without_reply(target)

    def _target_message(self, params: JSONDict, *, action: str) -> tuple[FakeChat, JSONDict]:
        chat = self._resolve_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        stored = self._messages[chat.id].get(message_id)
        if stored is None:
            raise _bad(f"message to {action} not found")
        return chat, stored

    def _bot_message(
        self,
        chat: FakeChat,
        extra: JSONDict,
        reply_to: JSONDict | None,
    ) -> JSONDict:
        sender = None if chat.type == "channel" else self._bot_user
        message = self._new_message(chat, sender, {})
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(extra)
        snapshot = copy.deepcopy(message)
        self._bot_messages.setdefault(chat.id, []).append(snapshot)
        return copy.deepcopy(message)

    def _scope_key(self, scope: Any) -> str:
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
            raise _bad("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._resolve_chat({"chat_id": _coerce("chat_id", scope.get("chat_id"))})
            if kind == "chat_member":
                user_id = scope.get("user_id")
                if not isinstance(user_id, int) or user_id not in self._users:
                    raise _bad("user not found")
                return f"{kind}:{chat.id}:{user_id}"
            return f"{kind}:{chat.id}"
        return str(kind)

    @staticmethod
    def _language(params: JSONDict) -> str:
        language = params.get("language_code") or ""
        if not isinstance(language, str) or (language and not _LANG_RE.match(language)):
            raise _bad("invalid language code specified")
        return language

    def _input_file(self, call: _Call, name: str) -> _Upload:
        value = call.params.get(name)
        upload = call.files.get(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value[len("attach://") :])
            if upload is None:
                raise _bad(f'can\'t find attached file "{value[len("attach://") :]}"')
        if upload is None and isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                return _Upload(known.filename, known.content, known.mime_type)
            if re.match(r"^https?://", value):
                filename = value.rstrip("/").rsplit("/", 1)[-1] or "file"
                return _Upload(filename, b"", None)
            raise _bad("wrong file identifier/HTTP URL specified")
        if upload is None:
            raise _bad(f"there is no {name} in the request")
        if not upload.content:
            raise _bad("file must be non-empty")
        if len(upload.content) > _MAX_BOT_UPLOAD:
            raise ApiError(413, "Request Entity Too Large")
        return upload

    def _check_query(self, queries: dict[str, _Query], query_id: Any) -> _Query:
        query = queries.get(str(query_id)) if query_id is not None else None
        if query is None or query.answered:
            raise _bad(_QUERY_TOO_OLD)
        if self._query_ttl is not None and time.monotonic() - query.created > self._query_ttl:
            raise _bad(_QUERY_TOO_OLD)
        return query

    # ---------------------------------------------------------------- API methods

    async def _api_ok(self, call: _Call) -> bool:
        return True

    async def _api_get_me(self, call: _Call) -> JSONDict:
        data = self._bot_user.to_dict()
        data.update(
            {
                "can_join_groups": True,
                "can_read_all_group_messages": not self._privacy_mode,
                "supports_inline_queries": True,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )
        return data

    async def _api_get_updates(self, call: _Call) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        params = call.params
        offset = params.get("offset")
        limit = params.get("limit")
        timeout = params.get("timeout")
        limit = min(max(int(limit), 1), 100) if isinstance(limit, int) else 100
        wait = max(float(timeout), 0.0) if isinstance(timeout, int | float) else 0.0
        allowed = params.get("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise _bad("can't parse allowed updates JSON object")
            chosen = frozenset(allowed) & ALL_UPDATE_TYPES
            self._allowed_updates = chosen if allowed else DEFAULT_UPDATE_TYPES
        if isinstance(offset, int) and offset != 0:
            if offset > 0:
                self._updates = [u for u in self._updates if int(u["update_id"]) >= offset]
            else:
                self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()  # an older long poll still waiting is terminated (409)
        if wait > 0 and not self._deliverable():
            self._waiting_polls += 1
            await self._notify()
            try:
                await self._wait_for_updates(wait, generation)
            finally:
                self._waiting_polls -= 1
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one "
                "bot instance is running",
            )
        return copy.deepcopy(self._deliverable()[:limit])

    async def _api_set_webhook(self, call: _Call) -> bool:
        params = call.params
        url = params.get("url") or ""
        if not isinstance(url, str):
            raise _bad("bad webhook: invalid URL")
        if not url:
            self._webhook = None
            return True
        if not url.lower().startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(str(secret)):
            raise _bad("bad webhook: secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = (
                frozenset(allowed) & ALL_UPDATE_TYPES if allowed else DEFAULT_UPDATE_TYPES
            )
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {
            "url": url,
            "max_connections": params.get("max_connections") or 40,
            "secret_token": secret,
        }
        return True

    async def _api_delete_webhook(self, call: _Call) -> bool:
        self._webhook = None
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_get_webhook_info(self, call: _Call) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook["max_connections"]
            if self._allowed_updates != DEFAULT_UPDATE_TYPES:
                info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    async def _api_send_message(self, call: _Call) -> JSONDict:
        params = call.params
        chat = self._sendable_chat(params)
        text, entities = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities"), limit=4096
        )
        markup = self._markup(params)
        reply = self._reply_target(chat, params)
        extra: JSONDict = {"text": text}
        if entities:
            extra["entities"] = entities
        if markup is not None:
            extra["reply_markup"] = markup
        return self._bot_message(chat, extra, reply)

    async def _api_send_document(self, call: _Call) -> JSONDict:
        params = call.params
        chat = self._sendable_chat(params)
        upload = self._input_file(call, "document")
        caption, entities = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=1024,
            caption=True,
        )
        markup = self._markup(params)
        reply = self._reply_target(chat, params)
        stored = self._store_file(upload.filename, upload.content, upload.mime_type)
        extra: JSONDict = {"document": self._document_dict(stored)}
        if caption:
            extra["caption"] = caption
        if entities:
            extra["caption_entities"] = entities
        if markup is not None:
            extra["reply_markup"] = markup
        message = self._bot_message(chat, extra, reply)
        self.documents.append(
            FakeDocument(
                chat_id=chat.id,
                message_id=int(message["message_id"]),
                filename=stored.filename,
                content=stored.content,
                mime_type=stored.mime_type,
                caption=caption or None,
                file_id=stored.file_id,
            )
        )
        return message

    async def _api_edit_message_text(self, call: _Call) -> JSONDict | bool:
        params = call.params
        text, entities = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities"), limit=4096
        )
        markup = self._markup(params, inline_only=True)
        if params.get("inline_message_id") is not None:
            if params.get("chat_id") is not None or params.get("message_id") is not None:
                raise _bad("inline_message_id and chat_id/message_id are mutually exclusive")
            return True
        chat, stored = self._target_message(params, action="edit")
        if stored.get("from", {}).get("id") != self._bot_user.id and chat.type != "channel":
            raise _bad("message can't be edited")
        if "text" not in stored:
            raise _bad("there is no text in the message to edit")
        if (
            stored["text"] == text
            and stored.get("entities", []) == entities
            and stored.get("reply_markup") == markup
        ):
            raise _bad(_NOT_MODIFIED)
        stored["text"] = text
        _set_or_drop(stored, "entities", entities or None)
        _set_or_drop(stored, "reply_markup", markup)
        stored["edit_date"] = self._now()
        return copy.deepcopy(stored)

    async def _api_edit_message_caption(self, call: _Call) -> JSONDict | bool:
        params = call.params
        caption, entities = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=1024,
            caption=True,
        )
        markup = self._markup(params, inline_only=True)
        if params.get("inline_message_id") is not None:
            return True
        chat, stored = self._target_message(params, action="edit")
        if stored.get("from", {}).get("id") != self._bot_user.id and chat.type != "channel":
            raise _bad("message can't be edited")
        if "text" in stored:
            raise _bad("there is no caption in the message to edit")
        if (
            stored.get("caption", "") == caption
            and stored.get("caption_entities", []) == entities
            and stored.get("reply_markup") == markup
        ):
            raise _bad(_NOT_MODIFIED)
        _set_or_drop(stored, "caption", caption or None)
        _set_or_drop(stored, "caption_entities", entities or None)
        _set_or_drop(stored, "reply_markup", markup)
        stored["edit_date"] = self._now()
        return copy.deepcopy(stored)

    async def _api_edit_message_reply_markup(self, call: _Call) -> JSONDict | bool:
        params = call.params
        markup = self._markup(params, inline_only=True)
        if params.get("inline_message_id") is not None:
            return True
        chat, stored = self._target_message(params, action="edit")
        if stored.get("from", {}).get("id") != self._bot_user.id and chat.type != "channel":
            raise _bad("message can't be edited")
        if stored.get("reply_markup") == markup:
            raise _bad(_NOT_MODIFIED)
        _set_or_drop(stored, "reply_markup", markup)
        stored["edit_date"] = self._now()
        return copy.deepcopy(stored)

    async def _api_delete_message(self, call: _Call) -> bool:
        chat, stored = self._target_message(call.params, action="delete")
        self._check_deletable(chat, stored)
        del self._messages[chat.id][int(stored["message_id"])]
        return True

    async def _api_delete_messages(self, call: _Call) -> bool:
        chat = self._resolve_chat(call.params)
        ids = call.params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message_ids must contain 1-100 message identifiers")
        for message_id in ids:
            stored = (
                self._messages[chat.id].get(message_id) if isinstance(message_id, int) else None
            )
            if stored is not None:
                self._check_deletable(chat, stored)
                del self._messages[chat.id][message_id]
        return True

    def _check_deletable(self, chat: FakeChat, stored: JSONDict) -> None:
        own = stored.get("from", {}).get("id") == self._bot_user.id
        if chat.type == "private" or own:
            return
        if chat.members.get(self._bot_user.id) not in _ADMIN_STATUSES:
            raise _bad("message can't be deleted")

    async def _api_answer_callback_query(self, call: _Call) -> bool:
        params = call.params
        query = self._check_query(self._callback_queries, params.get("callback_query_id"))
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        query.answered = True
        self.answered_callbacks.append(copy.deepcopy(params))
        return True

    async def _api_answer_inline_query(self, call: _Call) -> bool:
        params = call.params
        query = self._check_query(self._inline_queries, params.get("inline_query_id"))
        results = params.get("results")
        if not isinstance(results, list):
            raise _bad("can't parse inline query results JSON object")
        if len(results) > 50:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._validate_inline_result(result, seen)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode()) > 64:
            raise _bad("NEXT_OFFSET_INVALID")
        button = params.get("button")
        if button is not None:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise _bad("can't parse InlineQueryResultsButton JSON object")
            start = button.get("start_parameter")
            if start is not None and not _START_PARAM_RE.match(str(start)):
                raise _bad("START_PARAM_INVALID")
        query.answered = True
        self.inline_answers.append(copy.deepcopy(params))
        return True

    def _validate_inline_result(self, result: Any, seen: set[str]) -> None:
        if not isinstance(result, dict):
            raise _bad("can't parse inline query result: JSON object expected")
        kind = result.get("type")
        if kind not in _INLINE_RESULT_TYPES:
            raise _bad("RESULT_TYPE_INVALID")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not result_id:
            raise _bad("RESULT_ID_EMPTY")
        if len(result_id.encode()) > 64:
            raise _bad("RESULT_ID_INVALID")
        if result_id in seen:
            raise _bad("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if kind == "article":
            title = result.get("title")
            if not isinstance(title, str):
                raise _bad(
                    'can\'t parse InlineQueryResultArticle: Field "title" must be of type String'
                )
            if not title.strip():
                raise _bad("RESULT_TITLE_EMPTY")
            if "input_message_content" not in result:
                raise _bad(
                    'can\'t parse InlineQueryResultArticle: Field "input_message_content" '
                    "must be of type Object"
                )
        content = result.get("input_message_content")
        if content is not None:
            if not isinstance(content, dict):
                raise _bad("can't parse InputMessageContent JSON object")
            if "message_text" in content:
                self._format(
                    content["message_text"],
                    content.get("parse_mode"),
                    content.get("entities"),
                    limit=4096,
                )
            elif not any(k in content for k in ("latitude", "phone_number", "title")):
                raise _bad("can't parse InputMessageContent: message_text is missing")
        if "reply_markup" in result:
            self._markup({"reply_markup": result["reply_markup"]}, inline_only=True)

    async def _api_send_chat_action(self, call: _Call) -> bool:
        self._resolve_chat(call.params)
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _api_set_my_commands(self, call: _Call) -> bool:
        params = call.params
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[JSONDict] = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _COMMAND_RE.match(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (self._scope_key(params.get("scope")), self._language(params))
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    async def _api_get_my_commands(self, call: _Call) -> list[JSONDict]:
        key = (self._scope_key(call.params.get("scope")), self._language(call.params))
        return copy.deepcopy(self._commands.get(key, []))

    async def _api_delete_my_commands(self, call: _Call) -> bool:
        key = (self._scope_key(call.params.get("scope")), self._language(call.params))
        self._commands.pop(key, None)
        return True

    async def _api_set_my_description(self, call: _Call) -> bool:
        _set_text_setting(call.params, "description", 512, self._descriptions, self._language)
        return True

    async def _api_get_my_description(self, call: _Call) -> JSONDict:
        return {"description": self._descriptions.get(self._language(call.params), "")}

    async def _api_set_my_short_description(self, call: _Call) -> bool:
        _set_text_setting(
            call.params, "short_description", 120, self._short_descriptions, self._language
        )
        return True

    async def _api_get_my_short_description(self, call: _Call) -> JSONDict:
        language = self._language(call.params)
        return {"short_description": self._short_descriptions.get(language, "")}

    async def _api_set_my_name(self, call: _Call) -> bool:
        _set_text_setting(call.params, "name", 64, self._names, self._language)
        return True

    async def _api_get_my_name(self, call: _Call) -> JSONDict:
        language = self._language(call.params)
        return {"name": self._names.get(language, self._bot_user.first_name)}

    async def _api_set_chat_menu_button(self, call: _Call) -> bool:
        chat_id = None
        if call.params.get("chat_id") is not None:
            chat_id = self._resolve_chat(call.params).id
        button = call.params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise _bad("can't parse MenuButton JSON object")
        self._menu_buttons[chat_id] = button
        return True

    async def _api_get_chat_menu_button(self, call: _Call) -> JSONDict:
        chat_id = None
        if call.params.get("chat_id") is not None:
            chat_id = self._resolve_chat(call.params).id
        default = self._menu_buttons.get(None, {"type": "commands"})
        return copy.deepcopy(self._menu_buttons.get(chat_id, default))

    async def _api_get_chat(self, call: _Call) -> JSONDict:
        chat = self._resolve_chat(call.params)
        info = chat.to_dict()
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return info

    async def _api_get_chat_member(self, call: _Call) -> JSONDict:
        chat = self._resolve_chat(call.params)
        user_id = call.params.get("user_id")
        if user_id is None:
            raise _bad("user_id is empty")
        if not isinstance(user_id, int) or user_id not in self._users:
            raise _bad("user not found")
        if chat.type == "private" and user_id not in (chat.id, self._bot_user.id):
            raise _bad("user not found")
        status = chat.members.get(user_id, "left")
        return self._member_dict(self._users[user_id], status)

    async def _api_get_chat_administrators(self, call: _Call) -> list[JSONDict]:
        chat = self._resolve_chat(call.params)
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        admins = [
            (uid, status) for uid, status in chat.members.items() if status in _ADMIN_STATUSES
        ]
        admins.sort(key=lambda item: 0 if item[1] == "creator" else 1)
        return [self._member_dict(self._users[uid], status) for uid, status in admins]

    async def _api_get_chat_member_count(self, call: _Call) -> int:
        chat = self._resolve_chat(call.params)
        return sum(1 for status in chat.members.values() if status in _PRESENT_STATUSES)

    async def _api_leave_chat(self, call: _Call) -> bool:
        chat = self._resolve_chat(call.params)
        if chat.type == "private":
            raise _bad("chat member status can't be changed in private chats")
        old = chat.members.get(self._bot_user.id, "member")
        chat.members[self._bot_user.id] = "left"
        payload: JSONDict = {
            "chat": chat.to_dict(),
            "from": self._bot_user.to_dict(),
            "date": self._now(),
            "old_chat_member": self._member_dict(self._bot_user, old),
            "new_chat_member": self._member_dict(self._bot_user, "left"),
        }
        await self._push_update("my_chat_member", payload)
        return True

    async def _api_get_file(self, call: _Call) -> JSONDict:
        stored = self._files.get(str(call.params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


# --------------------------------------------------------------------------------------------
# Module-private helpers (pure functions)
# --------------------------------------------------------------------------------------------


def _chat_id(chat: ChatRef) -> int:
    """The chat id of a chat reference (a user stands for their private chat)."""
    return chat.id if isinstance(chat, FakeChat | FakeUser) else int(chat)


def _json_response(body: JSONDict, status: int) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
    )


def _coerce(name: str, value: Any) -> Any:
    """Turn a form-encoded string value into the type Telegram expects for ``name``."""
    if not isinstance(value, str):
        return value
    if name in _CHAT_ID_PARAMS:
        stripped = value.strip()
        if re.fullmatch(r"-?\d{1,20}", stripped):
            return int(stripped)
        return stripped
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise _bad("can't parse reply keyboard markup JSON object") from None
            raise _bad(f"can't parse {name} JSON object") from None
    if name in _INT_PARAMS:
        if re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise _bad(f'field "{name}" must be of type Integer')
    if name in _FLOAT_PARAMS:
        try:
            return float(value)
        except ValueError:
            raise _bad(f'field "{name}" must be of type Number') from None
    if name in _BOOL_PARAMS:
        lowered = value.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
        raise _bad(f'field "{name}" must be of type Boolean')
    return value


def _loggable(params: JSONDict, files: Mapping[str, _Upload]) -> JSONDict:
    logged = copy.deepcopy(params)
    for name, upload in files.items():
        logged[name] = {
            "filename": upload.filename,
            "size": len(upload.content),
            "mime_type": upload.mime_type,
        }
    return logged


def _brief(params: Mapping[str, Any]) -> str:
    shown = {k: params[k] for k in ("chat_id", "text") if k in params}
    return f"({shown})" if shown else ""


def _update_type(update: Mapping[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def _without_reply(message: Mapping[str, Any]) -> JSONDict:
    copied = copy.deepcopy(dict(message))
    copied.pop("reply_to_message", None)
    return copied


def _set_or_drop(target: JSONDict, key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _suffix(filename: str) -> str:
    _, dot, ext = filename.rpartition(".")
    return f".{ext}" if dot and ext and len(ext) <= 8 and ext.isalnum() else ""


def _entity_text(text: str, entity: Mapping[str, Any]) -> str:
    encoded = text.encode("utf-16-le")
    start = int(entity["offset"]) * 2
    end = start + int(entity["length"]) * 2
    return encoded[start:end].decode("utf-16-le", errors="replace")


def _validate_entities(entities: Any, text: str) -> list[JSONDict]:
    if not isinstance(entities, list):
        raise _bad("can't parse entities JSON object")
    total = utf16_len(text)
    result: list[JSONDict] = []
    for entity in entities:
        if (
            not isinstance(entity, dict)
            or entity.get("type") not in _ENTITY_TYPES
            or not isinstance(entity.get("offset"), int)
            or not isinstance(entity.get("length"), int)
        ):
            raise _bad("can't parse MessageEntity JSON object")
        if entity["type"] == "text_link" and _check_link(str(entity.get("url", ""))) is None:
            raise _bad("can't parse entities: wrong URL in text_link entity")
        if entity["offset"] < 0 or entity["length"] <= 0 or entity["offset"] >= total:
            continue
        clipped = dict(entity)
        clipped["length"] = min(entity["length"], total - entity["offset"])
        result.append(clipped)
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return result


def _validate_inline_keyboard(markup: JSONDict) -> JSONDict:
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    count = 0
    for row in rows:
        for button in row:
            count += 1
            _validate_inline_button(button)
    if count > 100:
        raise _bad("reply markup is too long")
    return {"inline_keyboard": copy.deepcopy(rows)}


def _validate_inline_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise _bad(prefix + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _bad(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _bad(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise _bad("BUTTON_TEXT_INVALID")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise _bad(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _bad(
            prefix + "exactly one of the optional fields must be used, found " + ", ".join(actions)
        )
    action = actions[0]
    if action == "callback_data":
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    elif action == "url":
        url = button["url"]
        if not isinstance(url, str) or _check_link(url) is None:
            raise _bad("BUTTON_URL_INVALID")


def _set_text_setting(
    params: JSONDict,
    name: str,
    limit: int,
    store: dict[str, str],
    language_of: Callable[[JSONDict], str],
) -> None:
    value = params.get(name) or ""
    language = language_of(params)
    if not isinstance(value, str):
        raise _bad(f'field "{name}" must be of type String')
    if len(value) > limit:
        raise _bad(f"{name.replace('_', ' ')} is too long")
    if value:
        store[language] = value
    else:
        store.pop(language, None)
