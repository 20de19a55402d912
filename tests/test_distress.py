"""The safety classifier: the real packaged encoder over the bundled exemplars.

`tests/data/measure/safety_dev.yaml` (written without seeing the rules or the exemplars) is the
regression table: routed to safety is the rules OR the classifier, as the bot does it. The
measure-only part (`safety_measure.yaml`) is never asserted on: `benchmarks/safety.py` reports it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.distress import (
    MAX_CHUNKS,
    DistressClassifier,
    ExemplarError,
    Verdict,
    load_exemplars,
    prepare,
)
from bot.knowledge import KnowledgeBase
from bot.safety import detect_risk

DEV = Path(__file__).parent / "data" / "measure" / "safety_dev.yaml"
RECALL_FLOOR = 0.98
FALSE_ALARM_CEILING = 0.02


def table(kind: str) -> list[str]:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    return [row["text"] for row in data[kind]]


def routed(classifier: DistressClassifier, text: str) -> bool:
    return detect_risk(text) is not None or classifier.is_distress(text)


def test_recall_on_the_regression_table(classifier: DistressClassifier) -> None:
    messages = table("alarm")
    missed = [m for m in messages if not routed(classifier, m)]
    assert 1 - len(missed) / len(messages) >= RECALL_FLOOR, missed


def test_false_alarms_on_the_regression_table(classifier: DistressClassifier) -> None:
    messages = table("no_alarm")
    raised = [m for m in messages if routed(classifier, m)]
    assert len(raised) / len(messages) <= FALSE_ALARM_CEILING, raised


@pytest.mark.parametrize(
    "message",
    [
        "мой брат уехал на заработки в Польшу, телефон у него забрали, он не может уйти",
        "fratele meu lucrează la o fermă, nu îl plătesc și nu îl lasă să plece",
        "моя донька поїхала працювати за кордон і тепер її не відпускають додому",
        "Mein Nachbar sperrt zwei Frauen in seiner Wohnung ein, sie dürfen nie raus",
    ],
)
def test_third_parties_in_the_regions_languages_are_heard(
    classifier: DistressClassifier, message: str
) -> None:
    assert routed(classifier, message)


@pytest.mark.parametrize(
    "message",
    [
        "What is forced labour?",
        "как работает национальный механизм перенаправления?",
        "Скільки дітей серед жертв торгівлі людьми?",
        "my passport expires next month, can I still travel?",
    ],
)
def test_ordinary_questions_are_not_alarms(classifier: DistressClassifier, message: str) -> None:
    assert not routed(classifier, message)


@pytest.mark.parametrize(
    "text",
    ["<s>", "</s> <unk> <pad>", "😀" * 4096, "a" * 4096, "\u202e\u0000 help", "ю" * 5000],
)
def test_odd_input_gives_a_finite_verdict(classifier: DistressClassifier, text: str) -> None:
    verdict = classifier.verdict(text)
    assert np.isfinite(verdict.distress) and np.isfinite(verdict.ordinary)


def test_control_tokens_and_runs_are_cleaned_before_encoding() -> None:
    assert prepare("<s> they took my passport </s>") == ["they took my passport"]
    assert prepare("help!!!!!!!!!!") == ["help!!!"]
    assert prepare("😀" * 4096) == ["😀😀😀"]
    assert prepare("   ") == []


def test_long_messages_are_read_in_a_few_pieces() -> None:
    message = " ".join(["We came for a job in a bakery."] * 40) + " Now they lock us in at night."
    pieces = prepare(message)
    assert 1 < len(pieces) <= MAX_CHUNKS
    assert all(len(p) <= 240 for p in pieces)


def test_empty_text_is_not_distress(classifier: DistressClassifier) -> None:
    assert classifier.verdict("") == Verdict(0.0, 0.0)


def test_the_bundled_exemplars_are_valid_and_many_languages(real_kb: KnowledgeBase) -> None:
    exemplars = load_exemplars(real_kb.directory)
    languages = {e.lang for e in (*exemplars.distress, *exemplars.ordinary)}
    assert {"en", "ru", "uk", "ro", "de", "fr", "pl", "tr", "kk", "ka"} <= languages
    whos = {e.who for e in exemplars.distress}
    assert {"first_person", "parent", "neighbour", "child", "teacher"} <= whos


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("distress: [\n", "YAML"),
        ("distress: []\nordinary: []\n", "distress"),
        ("nonsense: 1\n", "distress: Field required"),
    ],
)
def test_a_broken_exemplar_file_is_a_clear_error(tmp_path: Path, content: str, reason: str) -> None:
    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "exemplars.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ExemplarError, match=reason):
        load_exemplars(tmp_path)


def test_a_text_in_both_lists_is_an_error(tmp_path: Path) -> None:
    rows = [f'  - {{text: "message {i}", lang: en}}' for i in range(25)]
    content = "distress:\n" + "\n".join(rows) + "\nordinary:\n" + "\n".join(rows) + "\n"
    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "exemplars.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ExemplarError, match="already in distress"):
        load_exemplars(tmp_path)
