"""A PTB request class that answers Bot API calls from memory and never opens a socket.

Handler unit tests build the real application with it and feed updates to
`Application.process_update`, as python-telegram-bot's own suite does. Every call is recorded
with its parameters; a method it does not know is refused with a 400 so that a handler calling
something unexpected fails the test instead of silently succeeding. `fail_next` makes the
next call of a method fail the way Telegram would.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from tests.fake_bot_api import _DEFAULT_ADMIN_RIGHTS  # the same rights as the fake server's

BOT_ID = 4242
BOT_USERNAME = "oscebot_offline"

JSONDict = dict[str, Any]


class OfflineRequest(BaseRequest):
    """Records calls and returns Telegram-shaped results; the network is never touched."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, JSONDict]] = []
        self._message_ids = itertools.count(1000)
        self._failures: dict[str, tuple[int, JSONDict]] = {}
        self.chat_admins: set[int] = set()
        """Users that getChatMember reports as administrators (in every chat)."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def fail_next(self, method: str, code: int, description: str, **parameters: Any) -> None:
        """Make the next call of `method` fail with this error (e.g. 403 or a 429)."""
        self._failures[method] = (code, {"description": description, "parameters": parameters})

    def sent(self, method: str = "sendMessage") -> list[JSONDict]:
        """The parameters of every call of one method, in order."""
        return [params for name, params in self.calls if name == method]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params: JSONDict = dict(request_data.parameters) if request_data else {}
        self.calls.append((name, params))
        if name in self._failures:
            code, error = self._failures.pop(name)
            body: JSONDict = {"ok": False, "error_code": code, "description": error["description"]}
            if error["parameters"]:
                body["parameters"] = error["parameters"]
            return code, json.dumps(body).encode()
        result = self._result(name, params)
        if result is None:
            refusal = {"ok": False, "error_code": 400, "description": f"offline: no {name}"}
            return 400, json.dumps(refusal).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, name: str, params: JSONDict) -> Any:
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "oscebot",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
            }
        if name in ("sendMessage", "sendDocument"):
            chat_id = int(params["chat_id"])
            message: JSONDict = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "oscebot"},
            }
            if name == "sendMessage":
                message["text"] = params.get("text", "")
            return message
        if name in (
            "answerCallbackQuery",
            "answerInlineQuery",
            "setMyCommands",
            "setMyDescription",
            "setMyShortDescription",
        ):
            return True
        if name == "getChatMember":
            user_id = int(params["user_id"])
            return {
                "status": "administrator" if user_id in self.chat_admins else "member",
                "user": {"id": user_id, "is_bot": False, "first_name": "U"},
                **_DEFAULT_ADMIN_RIGHTS,
            }
        return None
