"""The safety reply: short, in the person's language, with the numbers that fit, all sourced."""

from __future__ import annotations

import re
from itertools import product
from typing import Any

import pytest
import yaml

from bot.answers import Reply
from bot.knowledge import KnowledgeBase
from bot.responder import Responder
from bot.safety_guide import GUIDE_FILE, GuideError, parse_guide
from bot.safety_reply import SafetyReplies
from tests.conftest import TODAY

MAX_CHARS = 600
"""A phone screen: the issue's budget for the private reply, source line included."""
NUMBER = re.compile(r"\+?\d[\d ()-]{1,}\d|\b\d{3}\b")


def guide_cases(kb: KnowledgeBase) -> list[tuple[str, str | None]]:
    assert kb.safety_guide is not None
    countries = sorted({c for line in kb.help for c in line.countries})
    return list(product(sorted(kb.safety_guide.languages), [None, *countries]))


def private(real_kb: KnowledgeBase, language: str, country: str | None) -> Reply:
    safety = SafetyReplies(real_kb)
    assert safety.guide is not None
    name = safety.country_name(country, "en") if country else ""
    normal = Reply("", "fallback", None, 0.0, "")
    # The language comes from the sender's Telegram setting, the country from the message.
    return safety.reply(f"{name} !!!".strip(), normal, user_language=language)


def test_every_language_and_country_fits_a_phone(real_kb: KnowledgeBase) -> None:
    too_long = []
    for language, country in guide_cases(real_kb):
        reply = private(real_kb, language, country)
        if len(reply.text) > MAX_CHARS:
            too_long.append((language, country, len(reply.text)))
    assert not too_long


def test_every_number_shown_is_a_sourced_help_line(real_kb: KnowledgeBase) -> None:
    numbers = {line.number: line for line in real_kb.help}
    for language, country in guide_cases(real_kb):
        reply = private(real_kb, language, country)
        shown = re.findall(r"^• (.+?): ", reply.body, flags=re.MULTILINE)
        for number in shown:
            assert number in numbers, (language, country, number)
            source = real_kb.sources[numbers[number].sources[0]]
            assert source.url in [s.url for s in reply.sources]
        prose = re.sub(r"^• .*$", "", reply.body, flags=re.MULTILINE)
        assert [m.group(0) for m in NUMBER.finditer(prose)] == ["112"], (language, country)


def test_112_comes_first_then_the_countrys_hotline(real: Responder) -> None:
    reply = real.reply("I am in Moldova and my boss took my passport, I can't leave", TODAY)
    assert reply.kind == "safety"
    assert reply.body.index("112") < reply.body.index("0 800 77777")
    assert "not your fault" in reply.body
    assert "cannot report" in reply.body


def test_the_country_of_a_ukrainian_speaker_is_ukraine(real: Responder) -> None:
    reply = real.reply("мене тримають у квартирі і не випускають", TODAY, user_language="uk")
    assert reply.kind == "safety"
    assert "527" in reply.body or "1547" in reply.body


def test_without_a_country_the_reply_asks_for_it(real: Responder) -> None:
    reply = real.reply("they took my passport and I can't leave", TODAY, user_language="en")
    assert reply.kind == "safety"
    assert "112" in reply.body
    assert "which country" in reply.body


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("у меня забрали паспорт и не отпускают", "Звоните 112"),
        ("Hilfe, mein Chef hat meinen Pass genommen und ich darf nicht gehen", "112"),
        ("they locked my sister in the flat", "In danger now?"),
    ],
)
def test_the_reply_is_in_the_messages_language(
    real: Responder, message: str, expected: str
) -> None:
    reply = real.reply(message, TODAY)
    assert reply.kind == "safety"
    assert expected in reply.body


def test_a_group_gets_the_short_public_form(real: Responder) -> None:
    reply = real.reply("my boss took my passport, help", TODAY, public=True)
    assert reply.kind == "safety"
    assert "112" in reply.body
    assert [m.group(0) for m in NUMBER.finditer(reply.body)] == ["112"]
    assert "delete" not in reply.text.lower()
    assert reply.deep_link is not None and reply.deep_link.intent.startswith("safety-help-")
    assert reply.related == () and reply.sources == ()


def test_the_buttons_open_the_rest(real: Responder) -> None:
    reply = real.reply("they keep my passport, what is the hotline in Moldova?", TODAY)
    pages = {s.intent: real.reply_to_intent(s.intent, TODAY) for s in reply.related}
    assert all(page is not None for page in pages.values())
    everything = next(p for i, p in pages.items() if i.startswith("safety-all-"))
    assert everything is not None
    assert all(line.number in everything.body for line in real.kb.help)
    hide = next(p for i, p in pages.items() if i.startswith("safety-hide-"))
    assert hide is not None and "Delete chat" in hide.body


def test_the_deep_link_opens_the_private_reply(real: Responder) -> None:
    reply = real.reply_to_intent("safety-help-ru", TODAY)
    assert reply is not None and reply.kind == "safety"
    assert "112" in reply.body and "Звоните" in reply.body


@pytest.mark.parametrize("intent", ["safety-all-xx", "safety-nope-en", "safety-", "safety-help-"])
def test_forged_safety_buttons_are_refused(real: Responder, intent: str) -> None:
    assert real.reply_to_intent(intent, TODAY) is None


def test_one_short_source_line(real: Responder) -> None:
    reply = real.reply("I am in Ukraine and they took my passport", TODAY)
    footer = reply.text.split("\n\n")[-1]
    assert footer.startswith("Sources: ") and "\n" not in footer


def _guide_data(real_kb: KnowledgeBase) -> dict[str, Any]:
    path = real_kb.directory / GUIDE_FILE
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("no_line", "I have no number for that country.", "no_line: must contain {country}"),
        ("numbers", "Help:", "numbers: must contain {country}"),
        ("emergency", "Call the police.", "emergency: must name 112"),
        ("all_numbers", "A label far too long for a phone's button", "all_numbers"),
    ],
)
def test_a_broken_safety_guide_is_a_clear_error(
    real_kb: KnowledgeBase, field: str, value: str, reason: str
) -> None:
    data = _guide_data(real_kb)
    parse_guide(data)  # the bundled guide is valid
    data["languages"]["de"][field] = value
    with pytest.raises(GuideError, match=reason):
        parse_guide(data)
