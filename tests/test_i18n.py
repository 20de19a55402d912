"""The interface catalogues: every message of the code is in the template, and every message
has a Russian translation that keeps its placeholders, its commands and its line breaks, and
holds no HTML (the bot escapes every text itself)."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, catalogue_path, interface_language, translations

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "ngettext_for": (2, 3)}
"""What `pybabel extract` looks for (the README gives the command): the defaults and ours."""
PLACEHOLDER = re.compile(r"\{\w*\}")
COMMAND = re.compile(r"/[a-z_]+")
HTML = re.compile(r"</?[a-zA-Z][^>]*>")


def _code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(BytesIO(handle.read()))


def test_the_template_holds_every_message_of_the_code() -> None:
    template = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _catalogue(LOCALE_DIR / "oscebot.pot")
        if m.id
    }
    code = _code_messages()
    assert code - template == set(), "run the pybabel extract command in the README"
    assert template - code == set(), "messages no code uses: run the pybabel extract command"


def test_every_message_has_a_russian_translation() -> None:
    template = {m.id for m in _catalogue(LOCALE_DIR / "oscebot.pot") if m.id}
    russian = _catalogue(catalogue_path("ru"))
    translated = {
        m.id
        for m in russian
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert template - translated == set()


def _pairs() -> list[tuple[str, str]]:
    pairs = []
    for message in _catalogue(catalogue_path("ru")):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(ids[-1] if len(ids) > 1 else ids[0], s) for s in strings]
    return pairs


@pytest.mark.parametrize(("english", "russian"), _pairs())
def test_russian_keeps_placeholders_commands_and_lines(english: str, russian: str) -> None:
    assert sorted(set(PLACEHOLDER.findall(russian))) == sorted(set(PLACEHOLDER.findall(english)))
    assert set(COMMAND.findall(russian)) >= set(COMMAND.findall(english)) - {"/"}
    assert russian.count("\n") == english.count("\n")
    assert not HTML.search(russian)


def test_the_catalogue_is_used() -> None:
    ru = translations("ru")
    assert ru.gettext("More") != "More"
    assert translations("en").gettext("More") == "More"
    assert translations("xx").gettext("More") == "More"  # no catalogue: the English


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("kk", "ru"),
        ("en-GB", "en"),
        ("uk", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_interface_language_from_the_telegram_setting(code: str | None, expected: str) -> None:
    assert interface_language(code) == expected
