"""Privacy and operators: no message text or names in logs or the database by default, the
opt-in count of unanswered questions, /reload, and the token kept out of the image."""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import pytest

from bot.commands import OPERATORS_ONLY
from bot.responder import Responder
from bot.settings import Secret, Settings
from bot.store import Store
from bot.telegram.logs import log_handler
from tests.conftest import MINI_DIR
from tests.offline_harness import USER, offline_app
from tests.offline_request import BOT_USERNAME

ROOT = Path(__file__).resolve().parent.parent
MARKER = "Zyxwvutsrq"  # in a question, a name and a phone number; must never be kept


SENDER = {
    "id": 6029384751,
    "is_bot": False,
    "first_name": MARKER,
    "last_name": "Quembleton",
    "username": "zorblatt_canary",
}
GROUP_CHAT = {"id": -100300, "type": "supergroup", "title": "Frimbleton Aid Circle"}
CANARIES = [str(SENDER["id"]), MARKER, "Quembleton", "zorblatt_canary", "Frimbleton"]
CANARIES += ["soup", "passport", "660 314159", "314159", "wimble.dorf@example.org", "Glorptang"]


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_logs_hold_no_message_text_or_names(
    mini: Responder, caplog: pytest.LogCaptureFixture, level: str
) -> None:
    caplog.set_level(level)  # the root logger's level, restored after the test
    output = io.StringIO()
    handler = log_handler(Settings(token=Secret("4242:OFFLINE"), log_level=level), output)
    logging.getLogger().addHandler(handler)
    try:
        async with offline_app(mini, Store.in_memory()) as harness:
            private = {"id": SENDER["id"], "type": "private", "first_name": MARKER}
            text = f"recipe for {MARKER} soup, call +43 660 314159, wimble.dorf@example.org"
            await harness.text(text, sender=SENDER, chat=private)
            await harness.text("they took my passport", sender=SENDER, chat=private)
            mention = f"@{BOT_USERNAME} Glorptang palermo protocol"
            await harness.text(mention, sender=SENDER, chat=GROUP_CHAT)
            inline = {"id": "iq-1", "from": SENDER, "query": "Glorptang palermo", "offset": ""}
            await harness.feed("inline_query", inline)
            message = {"message_id": 1, "date": 1_790_000_000, "chat": private, "text": "x"}
            press = {"id": "cq-1", "from": SENDER, "chat_instance": "c", "data": "a:sr-tasks"}
            await harness.feed("callback_query", {**press, "message": message})
            # A Telegram error quoting the text: the handler's traceback must not carry it.
            harness.request.fail_next("sendMessage", 400, f"Bad Request: {MARKER} soup")
            await harness.text("palermo protocol", sender=SENDER, chat=private)
    finally:
        logging.getLogger().removeHandler(handler)
    logged = output.getvalue()
    leaked = [canary for canary in CANARIES if canary.lower() in logged.lower()]
    assert not leaked, logged
    assert "4242:OFFLINE" not in logged  # PTB itself logs the API URL at DEBUG
    assert "kind=fallback" in logged and "kind=answer" in logged and "kind=safety" in logged
    assert "handler error" in logged and "BadRequest: [message withheld]" in logged
    assert ("DEBUG bot.telegram.guard: update=" in logged) is (level == "DEBUG")


async def test_by_default_nothing_is_written_to_the_database(
    mini: Responder, tmp_path: Path
) -> None:
    path = tmp_path / "db.sqlite3"
    store = Store.open(path)
    async with offline_app(mini, store) as harness:
        await harness.text(f"who is {MARKER}?")
    store.close()
    assert MARKER.encode() not in path.read_bytes()
    assert Store.open(path).top_misses(10) == []


async def test_opted_in_misses_are_counted_without_ids_or_numbers(mini: Responder) -> None:
    store = Store.in_memory()
    async with offline_app(mini, store, record_misses=True) as harness:
        await harness.text(f"Recipe for {MARKER} soup? Call +43 660 123456")
        await harness.text(f"recipe for {MARKER} soup?  call +43 660 999")
        await harness.text("palermo protocol")  # answered: not counted
        await harness.text("they took my passport")  # safety: never counted
    [(question, count)] = store.top_misses(10)
    assert count == 2
    assert question == f"recipe for {MARKER.lower()} soup? call <number>"
    assert str(USER["id"]) not in question


async def test_reload_keeps_the_old_base_when_the_new_one_is_broken(
    mini: Responder, tmp_path: Path
) -> None:
    directory = tmp_path / "kb"
    shutil.copytree(MINI_DIR, directory)
    operator = {"id": 77, "is_bot": False, "first_name": "Op"}
    async with offline_app(
        mini, Store.in_memory(), knowledge_dir=directory, admins=frozenset({77})
    ) as harness:
        facts = directory / "facts.yaml"
        facts.write_text(facts.read_text().replace("sources: [src-un]", "sources: [nowhere]", 1))
        await harness.text("/reload", sender=operator)
        report = harness.replies()[-1]["text"]
        assert report.startswith("The knowledge base was NOT reloaded")
        assert "facts.yaml:" in report and "'nowhere'" in report
        await harness.text("palermo protocol", sender=operator)
        assert harness.replies()[-1]["text"].startswith("The Palermo Protocol")
        facts.write_text(facts.read_text().replace("sources: [nowhere]", "sources: [src-un]"))
        await harness.text("/reload", sender=operator)
        assert harness.replies()[-1]["text"].startswith("Reloaded:")
        await harness.text("/reload")  # not an operator
        assert harness.replies()[-1]["text"] == OPERATORS_ONLY


async def test_the_preview_goes_only_to_an_operator_in_private(mini: Responder) -> None:
    operator = {"id": 77, "is_bot": False, "first_name": "Op"}
    async with offline_app(mini, Store.in_memory(), admins=frozenset({77})) as harness:
        await harness.text("/announce_preview", sender=operator)
        intro, preview = harness.replies()
        assert intro["text"].startswith("Preview of the 30 July 2027 announcement")
        assert preview["chat_id"] == 77
        assert "Today is the World Day against Trafficking in Persons (test)." in preview["text"]
        group = {"id": -100200, "type": "supergroup", "title": "NGO team"}
        await harness.text("/announce_preview", sender=operator, chat=group)
        assert harness.replies()[-1]["text"].startswith("Please send operator commands")


def test_the_image_never_holds_the_token() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "TELEGRAM_BOT_TOKEN=" not in dockerfile.replace("-e TELEGRAM_BOT_TOKEN", "")
    assert "ARG TELEGRAM" not in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".env.*" in ignored
    assert "HEALTHCHECK" in dockerfile and "USER oscebot" in dockerfile


@pytest.mark.parametrize("record_misses", [False, True])
async def test_privacy_says_when_misses_are_counted(mini: Responder, record_misses: bool) -> None:
    async with offline_app(mini, Store.in_memory(), record_misses=record_misses) as harness:
        await harness.text("/privacy")
        text = harness.replies()[-1]["text"]
    assert "112" in text and "Delete chat" in text
    assert ("counting of questions I could not answer" in text) is record_misses
