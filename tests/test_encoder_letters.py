"""Letters the encoder cannot read are spelled in ones it can (`bot/encoder_letters.yaml`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.distress import DistressClassifier, prepare
from bot.encoder_letters import LETTERS_FILE, read_letters, readable_letters


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("დამეხმარე საშინაო დავალებაში", "damekhmare sashinao davalebashi"),
        ("որտեղի՞ց ԵԱՀԿ", "orteghits EAHK"),  # the question mark inside a word is dropped
        ("ինձ փակել են և անձնագիրս", "indz pakel en ev andznagirs"),
        ("Ուսանող", "Usanogh"),  # ու is one letter, u
        ("Қарызың бар", "Карызын бар"),
        ("Mi-au luat PAȘAPORTUL", "Mi-au luat PASAPORTUL"),
        ("they took my passport", "they took my passport"),
    ],
)
def test_unread_letters_are_spelled_in_read_ones(text: str, read: str) -> None:
    assert readable_letters(text) == read


def test_every_script_in_the_bundled_file_is_there() -> None:
    scripts = [script for script, _letters in read_letters(LETTERS_FILE)]
    assert any("Georgian" in s for s in scripts) and any("Armenian" in s for s in scripts)


def test_the_encoder_tells_georgian_and_armenian_messages_apart(
    classifier: DistressClassifier,
) -> None:
    """Unread, every Georgian (or Armenian) message looked like every other (cosine 0.8-0.95)."""
    pairs = [
        ("დამეხმარეთ, პასპორტი წამართვეს და არ მიშვებენ", "დამეხმარე საშინაო დავალებაში"),
        ("օգնեք, ինձ փակել են և անձնագիրս վերցրել են", "Ուսանող եմ, հոդված եմ գրում ԵԱՀԿ-ի մասին"),
    ]
    for plea, homework in pairs:
        vectors = classifier.encoder.encode([" ".join(prepare(plea)), " ".join(prepare(homework))])
        assert float(np.dot(vectors[0], vectors[1])) < 0.6


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("scripts: [\n", "YAML"),
        ("scripts: []\n", "at least 1"),
        ("scripts: [{script: X, reason: ten letters!, letters: {a: b}}]\n", "only unreadable"),
        ("scripts: [{script: X, reason: ten letters!, letters: {ә: ә}}]\n", "replaced letter"),
    ],
)
def test_a_broken_letters_file_is_a_clear_error(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "letters.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=reason):
        read_letters(path)
