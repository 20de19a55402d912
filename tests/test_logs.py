"""The log filter on its own: which loggers are capped where, what is left of a third-party
record that carries a payload, and what is left of a traceback."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.telegram.logs import DEFAULT_CAP, KeepPrivate, cap_of, third_party_levels

PAYLOAD = "{'first_name': 'Quillonvex', 'text': 'took my passport'}"


@pytest.mark.parametrize(
    ("name", "cap"),
    [
        ("bot", None),
        ("bot.telegram.handlers", None),
        ("botany", DEFAULT_CAP),  # not ours: a prefix is a whole dotted part
        ("telegram.ext.Application", logging.INFO),
        ("telegram.ext.ExtBot", logging.INFO),
        ("httpx", logging.WARNING),
        ("httpcore.http11", logging.WARNING),
        ("apscheduler.scheduler", logging.WARNING),
        ("tornado.access", logging.WARNING),
        ("aiolimiter", logging.WARNING),
        ("asyncio", logging.WARNING),
        ("some.library.nobody.listed", DEFAULT_CAP),
        ("root", DEFAULT_CAP),
    ],
)
def test_each_logger_has_its_cap(name: str, cap: int | None) -> None:
    assert cap_of(name) == cap


def test_a_stricter_bot_level_quiets_the_libraries_too() -> None:
    assert third_party_levels("DEBUG")["telegram"] == logging.INFO
    assert third_party_levels("DEBUG")["httpx"] == logging.WARNING
    assert third_party_levels("ERROR")["telegram"] == logging.ERROR


def record(name: str, level: int, msg: object, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args or None, None)


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        (
            record("telegram._bot", logging.CRITICAL, "Received data was %r", PAYLOAD),
            "Received data was <withheld>",
        ),
        (
            record("telegram.ext.AIORateLimiter", logging.INFO, "Retrying after %f s", 1.5),
            "Retrying after 1.500000 s",
        ),
        (
            record("asyncio", logging.ERROR, "Task exception was never retrieved\n" + PAYLOAD),
            "Task exception was never retrieved [...]",
        ),
        (record("telegram", logging.ERROR, ValueError(PAYLOAD)), "[ValueError withheld]"),
        (record("telegram", logging.ERROR, "update %d", PAYLOAD), "update %d"),
        (record("bot.telegram.handlers", logging.DEBUG, "update=%s", 5), "update=5"),
    ],
)
def test_third_party_records_keep_their_wording_and_numbers_only(
    logged: logging.LogRecord, kept: str
) -> None:
    assert KeepPrivate(logging.DEBUG).filter(logged)
    assert logged.getMessage() == kept


@pytest.mark.parametrize(
    ("name", "level", "passes"),
    [
        ("telegram.ext.Application", logging.DEBUG, False),
        ("telegram.ext.Application", logging.INFO, True),
        ("httpcore.http11", logging.INFO, False),
        ("somebody.else", logging.INFO, False),
        ("somebody.else", logging.WARNING, True),
        ("bot.telegram.guard", logging.DEBUG, True),
    ],
)
def test_records_below_their_cap_are_dropped(name: str, level: int, passes: bool) -> None:
    assert KeepPrivate(logging.DEBUG).filter(record(name, level, "x")) is passes


def test_our_records_follow_the_bot_level() -> None:
    assert not KeepPrivate(logging.INFO).filter(record("bot.x", logging.DEBUG, "x"))


def test_tracebacks_keep_frames_and_types_but_not_messages() -> None:
    try:
        try:
            raise KeyError(PAYLOAD)
        except KeyError as inner:
            raise RuntimeError(f"could not send {PAYLOAD}") from inner
    except RuntimeError:
        logged = logging.LogRecord(
            "bot.x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    assert KeepPrivate().filter(logged)
    text = logging.Formatter().format(logged)
    assert "Quillonvex" not in text and "passport" not in text
    assert "KeyError: [message withheld]" in text
    assert "direct cause of the following exception" in text
    assert "RuntimeError: [message withheld]" in text
    assert "in test_tracebacks_keep_frames_and_types_but_not_messages\n    raise KeyError" in text
