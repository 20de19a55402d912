"""Safety routing both ways (tests/data/safety.yaml), and robustness on any input.

The table was written from users' point of view before the detector; rows the detector cannot
yet handle without false alarms sit in `known_misses`, never deleted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import read_yaml
from bot.safety import MAX_CHARS, REASONS, SafetySignal, detect_risk

DATA = Path(__file__).parent / "data"
TABLE = read_yaml(DATA / "safety.yaml")
ALARM = [str(message) for message in TABLE["alarm"]]
NO_ALARM = [str(message) for message in TABLE["no_alarm"]]
KNOWN_MISSES = list(TABLE.get("known_misses") or [])


def test_table_size() -> None:
    assert len(ALARM) >= 60
    assert len(NO_ALARM) >= 60
    assert not set(ALARM) & set(NO_ALARM)


@pytest.mark.parametrize("message", ALARM)
def test_danger_is_detected(message: str) -> None:
    signal = detect_risk(message)
    assert signal is not None
    assert signal.reason in REASONS


@pytest.mark.parametrize("message", NO_ALARM)
def test_ordinary_message_is_not_an_alarm(message: str) -> None:
    assert detect_risk(message) is None


PARAPHRASES_ABOUT_SOMEONE_AT_RISK = {
    # A report about people being exploited: the safety reply comes first, then the answer.
    "i think my neighbour's workers are being exploited, who do i tell",
}


def test_paraphrase_table_raises_no_alarm() -> None:
    """Hundreds of independently written topic questions: none of them is a cry for help."""
    table = read_yaml(DATA / "paraphrases.yaml")
    questions = [row["q"] for row in table["answer"]] + list(table["decline"])
    alarms = {q for q in questions if detect_risk(q) is not None}
    assert alarms == PARAPHRASES_ABOUT_SOMEONE_AT_RISK & set(questions)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("they took my passport", "documents-taken"),
        ("they make me sleep with men for money", "sexual-exploitation"),
        ("I am forced to work", "forced-work"),
        ("they dont pay me", "unpaid"),
        ("my boss locks us in", "confinement"),
        ("he threatens my family if I stop", "threats-violence"),
        ("someone is selling my sister", "sold-or-taken"),
        ("I'm scared to go back", "fear"),
        ("they say i have a debt and i must work until i pay it", "debt-bondage"),
        ("help me please", "plea"),
        ("помогите", "plea"),
    ],
)
def test_reason_labels(message: str, reason: str) -> None:
    assert detect_risk(message) == SafetySignal(reason)


def test_the_signal_keeps_no_text() -> None:
    signal = detect_risk("my employer keeps my passport, my name is Olena")
    assert signal is not None
    assert "olena" not in repr(signal).casefold()


@pytest.mark.parametrize(
    "message",
    [
        "",
        " \n\t ",
        "\x00\x01\x1b[31m",
        "\u200b\u200f\u202e",
        "😀" * 4096,
        "مرحبا، أين مقر منظمة الأمن والتعاون",
        "שלום",
        "a" * 4096,
        "i " * 2048,
        "my " * 1365,
        "help me " * 512,
        "\ud800",
        "\ufdfa" * 4096,
        "," * 4096,
        "I can't leave, " * 300 + "!",
    ],
)
def test_odd_input_never_raises(message: str) -> None:
    detect_risk(message)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("i " * 2048, None),
        ("my friend " * 409, None),
        ("help me " * 512, "plea"),
        ("i am " * 819, None),
        ("\ufdfa" * 4096, None),
    ],
)
def test_worst_cases_for_the_word_windows(message: str, reason: str | None) -> None:
    # Their cost (about 15 ms, against 40 us for a usual message) is measured by
    # benchmarks/matching.py, not asserted here: these machines are shared and noisy.
    signal = detect_risk(message)
    assert (signal.reason if signal else None) == reason


def test_only_the_first_4096_characters_count() -> None:
    assert detect_risk("x " * MAX_CHARS + "they took my passport") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_never_raises_on_arbitrary_text(message: str) -> None:
    result = detect_risk(message)
    assert result is None or result.reason in REASONS


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["i", "my", "they", "took", "passport", "help", "me", "cant", "leave", ",", "!", "."]
        ),
        max_size=40,
    )
)
def test_never_raises_on_word_salad(words: list[str]) -> None:
    detect_risk(" ".join(words))


@pytest.mark.parametrize(
    "message",
    [
        "Hilfe, mein Laptop geht nicht mehr an",
        "Помогите, не могу зайти в аккаунт",
        "We got trapped in the elevator at work for 20 minutes, lol",
        "Role-play for our training, this is only an exercise: they took my passport",
        "For my thesis: how do I cite a victim who said 'they locked us in'?",
    ],
)
def test_everyday_troubles_and_research_are_left_to_the_classifier(message: str) -> None:
    assert detect_risk(message) is None


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("I'm stuck here. Not traffic stuck. They won't let me go.", "confinement"),
        ("Hi, I found this bot online. The owner took my passport", "documents-taken"),
        ("help me please, they lock us in the factory at night", "confinement"),
    ],
)
def test_an_everyday_word_elsewhere_does_not_hide_danger(message: str, reason: str) -> None:
    signal = detect_risk(message)
    assert signal is not None and signal.reason == reason


def _phrases(section: str) -> list[tuple[str, str]]:
    data = read_yaml(Path(__file__).parent.parent / "bot" / "safety_phrases.yaml")
    return [(language, phrase) for language, group in data[section].items() for phrase in group]


@pytest.mark.parametrize(("language", "phrase"), _phrases("harm"))
def test_every_harm_phrase_can_match(language: str, phrase: str) -> None:
    """A phrase written in a form folding never produces (an accent, a capital) never fires."""
    assert detect_risk(f"{phrase}.") == SafetySignal("harm-described"), language


@pytest.mark.parametrize(
    "message",
    [
        "დამეხმარეთ, პასპორტი წამართვეს და სახლიდან არ მიშვებენ",  # Georgian
        "Паспортымды алып қойды, үйге жібермейді",  # Kazakh
        "Взеха ми паспорта и не ме пускат да си тръгна",  # Bulgarian
        "Μου πήραν το διαβατήριο και δεν με αφήνουν να φύγω",  # Greek
        "zabrali pasport i ne otpuskayut domoy",  # Russian in Latin letters
    ],
)
def test_harm_in_more_of_the_regions_languages(message: str) -> None:
    assert detect_risk(message) is not None
