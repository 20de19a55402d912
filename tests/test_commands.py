"""One table feeds the command menu, /help and the README; the token never leaks."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from bot.commands import ADMIN, COMMANDS, GROUP, OPERATOR, PRIVATE, help_text, menu
from bot.settings import Secret, Settings
from bot.telegram.logs import RedactSecrets

README = Path(__file__).resolve().parent.parent / "README.md"


def test_help_lists_the_commands_of_its_chat_and_no_operator_command() -> None:
    private, group = help_text(), help_text(in_group=True)
    for command in COMMANDS:
        line = f"/{command.name}: {command.description}"
        shown = command.in_help and not command.operator
        assert (line in private or line in group) is shown, command.name
    assert "/subscribe" not in private and "/subscribe" in group
    assert "/sources" in private and "/sources" not in group


def test_help_fits_one_phone_screen() -> None:
    for text in (help_text(), help_text(in_group=True)):
        assert len(text.splitlines()) <= 16 and len(text) <= 800


def test_menus_per_scope() -> None:
    private = [c.name for c in menu(PRIVATE)]
    assert "subscribe" not in private and "reload" not in private and "ask" not in private
    assert [c.name for c in menu(GROUP)] == [
        "help",
        "ask",
        "days",
        "next",
        "day",
        "calendar",
        "quote",
    ]
    assert {"subscribe", "unsubscribe"} <= {c.name for c in menu(ADMIN)}
    assert {"reload", "announce_preview", "sources"} <= {c.name for c in menu(OPERATOR)}
    assert all(len(menu(scope)) <= 11 for scope in (PRIVATE, GROUP, ADMIN, OPERATOR))


def test_readme_lists_every_command() -> None:
    readme = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"| /{command.name} | {command.description} |" in readme


def test_command_names_are_valid_for_telegram() -> None:
    for command in COMMANDS:
        assert command.name.isascii() and command.name.islower() and len(command.name) <= 32
        assert 1 <= len(command.description) <= 256


def test_token_is_hidden_in_reprs() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123456:SECRET-token"})
    assert "SECRET" not in repr(settings)
    assert "SECRET" not in str(settings.token)
    assert settings.token == Secret("123456:SECRET-token")
    assert settings.token is not None and settings.token.reveal() == "123456:SECRET-token"


def test_token_is_redacted_from_log_records() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", ("https://x/bot123:SECRET/getMe",), None
    )
    assert RedactSecrets("123:SECRET").filter(record)
    assert record.getMessage() == "POST https://x/bot[REDACTED]/getMe"


def test_token_is_redacted_from_tracebacks() -> None:
    try:
        raise RuntimeError("The token `123:SECRET` was rejected by the server.")
    except RuntimeError:
        record = logging.LogRecord(
            "telegram", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    assert RedactSecrets("123:SECRET").filter(record)
    text = logging.Formatter().format(record)
    assert "RuntimeError: The token `[REDACTED]` was rejected" in text
    assert "SECRET" not in text
