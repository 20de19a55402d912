"""Translations in the knowledge base: the `translations` block of plain fields, and the
validation of every text in a second language (missing, too long, HTML, placeholders)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.schema import OfficeHolder, ParticipatingState, Quote
from bot.validation import validate
from tests.conftest import MINI_DIR

RU_ANSWER = "Бюро Специального представителя ОБСЕ создано в 2003 году."
RU_QUESTIONS = [
    "Когда создано Бюро Специального представителя?",
    "год создания БСП",
    "когда ОБСЕ открыла офис по борьбе с торговлей людьми",
    "в каком году появилось бюро спецпредставителя",
    "дата основания бюро специального представителя ОБСЕ",
    "с какого года работает офис ОБСЕ против торговли людьми",
]


def test_plain_fields_in_another_language() -> None:
    state = ParticipatingState.model_validate(
        {
            "id": "albania",
            "name": "Albania",
            "sources": ["s"],
            "translations": {"ru": {"name": "Албания", "aliases": ["Республика Албания"]}},
        }
    )
    assert state.in_language("ru").name == "Албания"
    assert state.in_language("ru").aliases == ("Республика Албания",)
    assert state.in_language("en") is state
    assert state.in_language("fr") is state  # no French: the record as written


@pytest.mark.parametrize(
    ("translations", "error"),
    [
        ({"ru": {"sources": ["x"]}}, "cannot be translated"),
        ({"en": {"person": "X"}}, "another two-letter language"),
        ({"rus": {"person": "X"}}, "another two-letter language"),
        ({"ru": {"role": "Роль"}}, "lowercase letters"),  # an id stays an id
        ({"ru": {"person": ""}}, "must not be empty"),
    ],
)
def test_bad_translations_are_refused(translations: dict[str, object], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        OfficeHolder.model_validate(
            {"id": "h", "role": "r", "person": "P", "sources": ["s"], "translations": translations}
        )


def test_a_quote_keeps_its_original_and_gives_its_translation() -> None:
    quote = Quote.model_validate(
        {
            "id": "q",
            "speaker": "Kari Johnstone",
            "role": "Special Representative",
            "date": "2024-07-30",
            "text": "Every victim counts.",
            "sources": ["s"],
            "translations": {"ru": {"speaker": "Кари Джонстон", "text": "Важна каждая жертва."}},
        }
    )
    assert quote.text == "Every victim counts."
    assert quote.in_language("ru").text == "Важна каждая жертва."
    assert quote.in_language("ru").role == "Special Representative"


def _base(tmp_path: Path, answer: str, questions: list[str]) -> list[str]:
    base = tmp_path / "kb"
    shutil.copytree(MINI_DIR, base)
    facts = (base / "facts.yaml").read_text(encoding="utf-8")
    quoted = "\n".join(f"        - {q!r}" for q in questions)
    facts = facts.replace(
        "      en: The OSCE set up the Office of the Special Representative in 2003.\n",
        "      en: The OSCE set up the Office of the Special Representative in 2003.\n"
        f"      ru: {answer!r}\n",
    ).replace(
        "        - What year was the OSR/CTHB established?\n",
        f"        - What year was the OSR/CTHB established?\n      ru:\n{quoted}\n",
    )
    (base / "facts.yaml").write_text(facts, encoding="utf-8")
    _kb, problems = validate(base)
    return [str(p) for p in problems]


def test_a_base_that_began_russian_must_finish_it(tmp_path: Path) -> None:
    problems = _base(tmp_path, RU_ANSWER, RU_QUESTIONS)
    # the other facts and the smalltalk have no Russian yet: each is named, at its line
    assert any("palermo-protocol: answer: no 'ru' text" in p for p in problems)
    assert any("palermo-protocol: more: no 'ru' text" in p for p in problems)
    assert not any("osr-created" in p for p in problems)


@pytest.mark.parametrize(
    ("answer", "questions", "reason"),
    [
        ("Бюро создано в 2003 году. " * 10, RU_QUESTIONS, "shorten it to fit a phone"),
        ("<b>Бюро</b> создано в 2003 году.", RU_QUESTIONS, "holds HTML"),
        ("Бюро создано в {year} году.", RU_QUESTIONS, "placeholders"),
        (RU_ANSWER, RU_QUESTIONS[:3], "3 'ru' phrasings; at least 6"),
    ],
)
def test_bad_russian_texts_are_located(
    tmp_path: Path, answer: str, questions: list[str], reason: str
) -> None:
    problems = _base(tmp_path, answer, questions)
    assert any(p.startswith("facts.yaml:") and "osr-created" in p and reason in p for p in problems)


def test_the_bundled_base_is_complete_in_russian(real_kb) -> None:  # type: ignore[no-untyped-def]
    from bot.translation_checks import check_translations

    assert check_translations(real_kb) == []
