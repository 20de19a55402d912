"""Typing slips in Russian (bot/matching.py with `inflected: true` in bot/language/ru.yaml): a
Russian question with a slip is read as the same question without it, and a real form of
another word is not "put right". benchmarks/typos.py measures the same on many slips."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge import KnowledgeBase
from bot.matching import Matcher
from bot.responder import Responder
from bot.text import normaliser

TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def bilingual(real_kb: KnowledgeBase) -> Responder:
    return Responder(real_kb)


@pytest.fixture(scope="module")
def russian(bilingual: Responder) -> Matcher:
    return bilingual.matcher_for("ru")


@pytest.mark.parametrize(
    ("question", "slipped"),
    [
        # a slip past the cut stem ("торговвля" keeps the stem торгов): the phrase still forms
        ("Что такое торговля людьми?", "Что такое торговвля людьми?"),
        # "людьми", mostly inside the phrase, is no longer read as its misspelling "людми"
        ("Что такое торговля людьми?", "Что такое торговля людьтми?"),
        ("Что такое торговля людьми?", "что такое торговля лдьми"),
        (
            "Кто сейчас специальный представитель ОБСЕ по борьбе с торговлей людьми?",
            "Кто сейчас специальный представитель ОБСЕ по борьбе с торговлей людьмии?",
        ),
        ("Что такое Палермский протокол?", "Что такое Палерский протокол?"),
        # two neighbouring letters swapped in a word whose cut stem is known
        ("Сколько государств-участников в ОБСЕ?", "Сколько государств-участнкиов в ОБСЕ?"),
    ],
)
def test_a_russian_question_with_a_slip_gets_the_same_answer(
    bilingual: Responder, question: str, slipped: str
) -> None:
    clean = bilingual.reply(question, TODAY)
    assert clean.kind == "answer"
    reply = bilingual.reply(slipped, TODAY)
    assert (reply.kind, reply.intent) == (clean.kind, clean.intent)


@pytest.mark.parametrize(
    ("written", "slipped"),
    [
        ("торговля людьми", "торговвля людьми"),
        ("торговля людьми", "торговля людьтми"),
        (
            "верховный комиссар по делам национальных меньшинств",
            "верховый комиссар по делам национальных меньшинств",
        ),
        # as close to the misspelling "гарячая" some phrasings write as to "горячая"
        ("горячая линия", "грячая линия"),
        ("конвенция совета европы", "кинвенция совета европы"),
    ],
)
def test_a_slip_is_read_as_the_words_it_slips_from(
    russian: Matcher, written: str, slipped: str
) -> None:
    assert russian.analyse(slipped).tokens == russian.analyse(written).tokens


@pytest.mark.parametrize("word", ["людьми", "торговлей"])
def test_a_form_the_phrases_name_is_not_read_as_a_misspelling(russian: Matcher, word: str) -> None:
    assert russian.analyse(word).tokens == (russian.language.word_tokens(word),)


@pytest.mark.parametrize(
    ("form", "whole"),
    [("спецпредставителя", "спецпредставитель"), ("протокола", "протокол")],
)
def test_a_form_of_a_phrase_word_still_meets_it(russian: Matcher, form: str, whole: str) -> None:
    # the phrases give the whole word, kept uncut; the form alone would be cut to six letters
    assert russian.analyse(form).tokens == russian.analyse(whole).tokens


@pytest.mark.parametrize("word", ["пропавшим", "торговать", "приходится", "подсказать"])
def test_a_real_form_of_another_word_is_left_as_written(russian: Matcher, word: str) -> None:
    # each is one or two edits from a known word of another stem ("попавшим", "воровать")
    analysis = russian.analyse(word)
    assert analysis.tokens == (russian.language.word_tokens(word),)
    assert analysis.typo_penalty == 0.0


def test_an_unseen_form_of_a_synonym_is_read_as_the_synonym(russian: Matcher) -> None:
    # the synonyms name "пострадавшие" (a victim), not every form of it
    assert russian.analyse("пострадавшего").tokens == russian.analyse("пострадавшие").tokens


def test_english_keeps_its_reading() -> None:
    assert normaliser("ru").inflected
    assert not normaliser("en").inflected
