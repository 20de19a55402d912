"""A question about one country's help numbers ("the hotline in Germany"), or a message that is
only a country's name (how people answer the safety reply's "tell me which country you are
in"), gets that country's lines: short, sourced, in the asker's language, never another
country's numbers and never the list of every number."""

from __future__ import annotations

import re

import pytest

from bot.knowledge import KnowledgeBase
from bot.responder import Responder
from bot.safety_reply import SafetyReplies
from tests.conftest import TODAY

MAX_LINES = 14
"""A phone screen: the whole list of every number is about 30 lines."""


def _numbers_of(kb: KnowledgeBase, code: str) -> set[str]:
    return {line.number for line in kb.help if code in line.countries}


def _others(kb: KnowledgeBase, code: str) -> set[str]:
    """Other countries' own numbers (not 112 or 116 000, which the reply may name anyway)."""
    general = {"emergency", "missing_children"}
    other = {h.number for h in kb.help if code not in h.countries and h.kind not in general}
    return other - _numbers_of(kb, code)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What is the anti-trafficking hotline number in Germany?", "en"),
        ("hotline Germany", "en"),
        ("I am in Germany, who can I call?", "en"),
        ("Germany", "en"),
        ("Какой номер горячей линии по торговле людьми в Германии?", "ru"),
        ("я в Германии", "ru"),
    ],
)
def test_one_countrys_numbers(real: Responder, question: str, language: str) -> None:
    reply = real.reply(question, TODAY)
    assert reply.kind == "answer" and reply.intent == "help-numbers"
    assert reply.language == language
    assert "116 016" in reply.body and "112" in reply.body
    assert not any(number in reply.body for number in _others(real.kb, "DE"))
    assert len(reply.text.splitlines()) <= MAX_LINES
    assert "Hilfetelefon" in reply.sources[0].publisher  # the line's own source first
    assert [s.intent.rsplit("~", 1)[-1] for s in reply.related] == ["help-numbers"]


def test_a_country_without_a_hotline_is_said_plainly(real: Responder) -> None:
    reply = real.reply("France", TODAY)
    assert "I have no anti-trafficking hotline for France in my sources." in reply.body
    assert "112" in reply.body and "116 000" in reply.body
    assert reply.kind == "missing"  # counted as declined, never a confident answer
    assert [s.intent for s in reply.suggestions] == ["help-numbers"]
    russian = real.reply("горячая линия во Франции", TODAY)
    assert "нет горячей линии по борьбе с торговлей людьми для страны: Франция" in russian.body


def test_every_country_gets_only_its_own_lines(real: Responder, real_kb: KnowledgeBase) -> None:
    safety = SafetyReplies(real_kb)
    assert safety.guide is not None
    for code in safety.guide.countries:
        for language, template in (("en", "hotline in {}"), ("ru", "горячая линия: {}")):
            name = safety.country_name(code, language)
            reply = real.reply(template.format(name), TODAY)
            # that country's numbers: this reply, or a curated fact about them ("help-ukraine"),
            # or "I don't have" one
            intents = [reply.intent, *(s.intent for s in reply.suggestions)]
            assert reply.kind in ("answer", "missing"), (code, language, reply.kind)
            assert str(intents[0] or intents[-1]).rsplit("~")[-1].startswith("help-"), code
            leaked = [n for n in _others(real_kb, code) if n in reply.body]
            assert not leaked, (code, language, leaked)
            shown = set(re.findall(r"^• (.+?): ", reply.body, re.MULTILINE))
            assert shown <= _numbers_of(real_kb, code), (code, language)
            assert len(reply.text.splitlines()) <= MAX_LINES, (code, language)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Is Germany an OSCE participating State?", "member-germany"),
        ("Who chairs the OSCE in 2026?", None),
        ("Where can I get help?", "help-numbers"),
    ],
)
def test_other_questions_naming_a_country_are_answered_as_before(
    real: Responder, question: str, intent: str | None
) -> None:
    reply = real.reply(question, TODAY)
    assert not reply.body.startswith("In immediate danger") or intent == "help-numbers"
    if intent is not None:
        assert reply.intent == intent
    if intent == "help-numbers":  # no country named: every number, as before
        assert "Ukraine" in reply.body and "Germany" in reply.body


def test_in_a_language_the_bot_cannot_read_a_country_alone_gets_its_numbers(
    real: Responder,
) -> None:
    """Ukrainian, Romanian: the bot answers in English and Russian only, but a country's name
    alone (the answer to "tell me which country you are in") gets the safety reply in the
    person's language with that country's numbers; a question it cannot read does not."""
    bare = real.reply("Україна", TODAY)
    assert bare.kind == "safety" and "1547" in bare.body and "Україна" in bare.body
    latin = real.reply("Republica Moldova", TODAY)  # Latin letters: read as English
    assert latin.kind in ("answer", "safety") and "0 800 77777" in latin.body
    other = real.reply("Când a fost înființată Misiunea OSCE în Moldova?", TODAY)
    assert other.kind == "fallback" and "0 800 77777" not in other.body


@pytest.mark.parametrize(
    ("question", "number", "country"),
    [
        ("гаряча лінія в Україні", "1547", "Україна"),
        ("номер телефону довіри Україна", "1547", "Україна"),
        ("număr de urgență Moldova", "0 800 77777", "Republica Moldova"),
        ("linia de urgenta Romania", "0 800 800 678", "România"),
        ("Notrufnummer Deutschland Menschenhandel", "116 016", "Germany"),
        ("numer telefonu zaufania Polska", "+48 22 628 01 20", "Poland"),
    ],
)
def test_asking_for_a_countrys_numbers_in_other_languages(
    real: Responder, question: str, number: str, country: str
) -> None:
    """A message of only a country's name and words that ask for its numbers
    (`knowledge/safety/replies.yaml`, `asking`), in a language the bot answers in or not."""
    reply = real.reply(question, TODAY)
    assert reply.kind == "safety" and number in reply.body and country in reply.body
    assert "Tell me which country" not in reply.body


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("how many victims in Ukraine", "UA"),  # "victims" is in the overview's phrasings
        ("number of victims in Germany", "DE"),
        ("сколько жертв торговли людьми в Украине", "UA"),
        ("număr de victime în Moldova", "MD"),  # how many victims: not a request for numbers
        ("Când a fost înființată Misiunea OSCE în Moldova?", "MD"),
        ("Wie viele Opfer gibt es in Deutschland?", "DE"),
    ],
)
def test_other_questions_naming_a_country_do_not_get_its_numbers(
    real: Responder, question: str, code: str
) -> None:
    reply = real.reply(question, TODAY)
    assert reply.kind != "safety" and reply.intent != "help-numbers"
    assert not _numbers_of(real.kb, code) & set(re.findall(r"[\d+][\d ()+-]{2,}\d", reply.body))


def test_a_named_country_without_a_line_is_not_asked_for_again(real: Responder) -> None:
    """ "Tell me which country you are in" to someone who just named it would be careless."""
    for question, said in [
        ("they took my passport, I am in Austria", "Austria: I have no hotline number"),
        ("Hotline gegen Menschenhandel in Österreich", "Österreich: In meinen Quellen"),
    ]:
        reply = real.reply(question, TODAY)
        assert reply.kind == "safety" and said in reply.body and "112" in reply.body
        assert "which country" not in reply.body and "welchem Land" not in reply.body


@pytest.mark.parametrize("question", ["грячая линия Молдова", "hotlne Moldova"])
def test_a_slip_in_an_asking_word_still_gets_the_numbers(real: Responder, question: str) -> None:
    """People asking for help in a hurry type fast."""
    reply = real.reply(question, TODAY)
    assert reply.intent == "help-numbers" and "0 800 77777" in reply.body


def test_countries_are_found_in_order_and_a_longer_name_wins(real_kb: KnowledgeBase) -> None:
    safety = SafetyReplies(real_kb)
    assert safety.countries_in("hotline in Moldova and Romania") == ["MD", "RO"]
    assert safety.countries_in("горячая линия: Румыния, Молдова, Украина") == ["RO", "MD"]
    assert safety.countries_in("Northern Ireland") == ["GB"]  # not also Ireland
    assert safety.countries_in("the OSCE in Vienna") == []
