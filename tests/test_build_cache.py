"""The start-up cache (`bot.build_cache`): a result is reused only when everything it was
computed from is the same, answers are the same either way, and a damaged, missing or
unwritable cache only costs time."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pytest

import bot.distress
import bot.english
import bot.knowledge
from bot.build_cache import BuildCache, fingerprint
from bot.distress import (
    EXEMPLAR_CACHE,
    EXEMPLARS_CACHE,
    EXEMPLARS_FILE,
    TOKENIZER_CACHE,
    DistressClassifier,
    ExemplarError,
    UniversalSentenceEncoder,
    Vectors,
    load_exemplars,
)
from bot.english import load_common_words
from bot.entry import Entry
from bot.knowledge import (
    KNOWLEDGE_CACHE,
    KnowledgeBase,
    KnowledgeError,
    bundled_knowledge_dir,
    load_knowledge,
)
from bot.matching import Matcher
from bot.responder import Responder
from bot.settings import Settings
from tests.conftest import MINI_DIR, TODAY

QUESTIONS = (
    "Who is the Special Representative?",
    "wat is odihr",
    "When is the World Day against Trafficking in Persons?",
    "Кто такой Специальный представитель?",
    "what is the weather in Vienna",
)


def _files(directory: Path) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[0] for p in directory.glob("*.pickle"))


def _refuse_to_build(self: Matcher, places: tuple[str, ...]) -> None:
    raise AssertionError("built a matcher the cache holds")


def test_a_cached_responder_answers_as_a_fresh_one(
    real_kb: KnowledgeBase, real: Responder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = BuildCache(tmp_path)
    Responder(real_kb, cache=cache)
    assert _files(tmp_path) == [
        "common-words-en",
        "common-words-ru",
        "matcher-en-main",
        "matcher-en-quotes",
        "matcher-ru-main",
        "matcher-ru-quotes",
    ]
    monkeypatch.setattr(Matcher, "_build", _refuse_to_build)
    cached = Responder(real_kb, real.classifier, cache)
    for question in QUESTIONS:
        assert cached.reply(question, TODAY) == real.reply(question, TODAY)


def _entry(phrasing: str) -> Entry:
    answer = "The Special Representative coordinates the OSCE's work against trafficking."
    return Entry(
        id="sr",
        kind="answer",
        questions=(phrasing, "who heads the anti-trafficking office"),
        body=lambda _today: answer,
        evidence=answer,
    )


def test_a_changed_phrasing_is_rebuilt_and_replaces_the_old_result(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    Matcher([_entry("who is the special representative")], cache=cache)
    first = sorted(tmp_path.glob("matcher-*.pickle"))
    changed = Matcher([_entry("who is the special rapporteur")], cache=cache)
    second = sorted(tmp_path.glob("matcher-*.pickle"))
    assert len(first) == len(second) == 1 and first != second
    assert changed.match("who is the special rapporteur").kind == "answer"


def test_a_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    entries = [_entry("who is the special representative")]
    Matcher(entries, cache=cache)
    (stored,) = tmp_path.glob("matcher-*.pickle")
    stored.write_bytes(b"\x80\x05not a pickle")
    rebuilt = Matcher(entries, cache=cache)
    assert rebuilt.match("who is the special representative").kind == "answer"
    assert BuildCache(tmp_path).load("matcher-en-main", stored.stem.rsplit("-", 1)[1]) is not None


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    matcher = Matcher([_entry("who is the special representative")], cache=BuildCache(blocked))
    assert matcher.match("who is the special representative").kind == "answer"


def test_the_fingerprint_covers_every_input() -> None:
    assert fingerprint(["a", "b"]) != fingerprint(["ab"])
    assert fingerprint(["a", "b"]) != fingerprint(["b", "a"])
    assert fingerprint(["a", "b"]) == fingerprint(["a", "b"])


class CountingEncoder:
    """A stand-in encoder that counts the texts it is asked to encode."""

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.encoded += len(texts)
        vectors = np.ones((len(texts), 4), dtype=np.float32)
        return np.asarray(vectors / 2.0, dtype=np.float32)


def test_exemplar_vectors_are_encoded_once(tmp_path: Path) -> None:
    exemplars = load_exemplars(bundled_knowledge_dir())
    cache = BuildCache(tmp_path)
    first = CountingEncoder()
    DistressClassifier(first, exemplars, cache)
    assert first.encoded == len(exemplars.distress) + len(exemplars.ordinary)
    assert _files(tmp_path) == [EXEMPLAR_CACHE]
    second = CountingEncoder()
    classifier = DistressClassifier(second, exemplars, cache)
    assert second.encoded == 0
    assert classifier.verdict("help").distress == pytest.approx(1.0)


def test_the_cache_directory_is_configured(tmp_path: Path) -> None:
    assert Settings.from_env({"OSCEBOT_CACHE_DIR": "off"}).cache_dir is None
    assert Settings.from_env({"OSCEBOT_CACHE_DIR": str(tmp_path)}).cache_dir == tmp_path
    default = Settings.from_env({"XDG_CACHE_HOME": str(tmp_path)}).cache_dir
    assert default == tmp_path / "oscebot"
    assert Settings().cache_dir is None  # tests and libraries build afresh unless told


def test_today_is_not_part_of_a_cached_result(real_kb: KnowledgeBase, tmp_path: Path) -> None:
    """What depends on the date (countdowns, "as of") is computed per reply, never cached."""
    cached = Responder(real_kb, cache=BuildCache(tmp_path))
    again = Responder(real_kb, cache=BuildCache(tmp_path))
    question = "when is the next awareness day"
    for day in (dt.date(2026, 1, 1), dt.date(2026, 8, 1)):
        assert again.reply(question, day) == cached.reply(question, day)
    assert again.reply(question, dt.date(2026, 1, 1)) != again.reply(question, dt.date(2026, 8, 1))


def test_the_encoder_reads_its_vocabulary_once(tmp_path: Path) -> None:
    texts = ["they took my passport", "<s> помогите", "😀😀😀😀 help", "ajutor, vă rog"]
    fresh = UniversalSentenceEncoder(BuildCache(tmp_path))
    assert _files(tmp_path) == [TOKENIZER_CACHE]
    reused = UniversalSentenceEncoder(BuildCache(tmp_path))
    assert reused._model._sp is not None  # taken from the cache, before any text is encoded
    assert UniversalSentenceEncoder()._model._sp is None  # without one, read on first use
    assert np.array_equal(reused.encode(texts), fresh.encode(texts))
    assert np.array_equal(reused.encode(texts), UniversalSentenceEncoder().encode(texts))


def test_the_encoder_inflates_its_weights_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = ["they took my passport", "<s> помогите", "😀😀😀😀 help", "ajutor, vă rog"]
    packaged = UniversalSentenceEncoder().encode(texts)
    UniversalSentenceEncoder(BuildCache(tmp_path))
    (weights,) = tmp_path.glob("encoder-weights-*.npz")
    reused = UniversalSentenceEncoder(BuildCache(tmp_path))
    assert reused._model._backend is not None  # read from the cache, before any text
    # BLAS held to the encoder's one thread (threadpoolctl, its `[fast]` extra): on every core
    # it spins against the bot's own work, 10-20x slower on a busy 2-core machine
    assert reused._model._backend._threadpool is not None
    assert np.array_equal(reused.encode(texts), packaged)
    weights.write_bytes(b"PK\x03\x04 not the weights")
    damaged = UniversalSentenceEncoder(BuildCache(tmp_path))
    assert "unreadable encoder weights" in caplog.text
    assert not weights.exists()  # removed, so the next start writes it afresh
    assert np.array_equal(damaged.encode(texts), packaged)


def _refuse(*_args: object) -> None:
    raise AssertionError("read a file the cache holds")


def _without_reading(
    monkeypatch: pytest.MonkeyPatch, module: object, reader: str, load: Callable[[], object]
) -> object:
    """What `load` returns while `module.reader` (the reading of the files) is refused."""
    with monkeypatch.context() as patched:
        patched.setattr(module, reader, _refuse)
        return load()


def test_a_knowledge_base_is_read_again_only_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "kb"
    shutil.copytree(MINI_DIR, base)
    cache = BuildCache(tmp_path / "cache")
    load = partial(load_knowledge, base, cache)
    first = load()
    assert _files(tmp_path / "cache") == [KNOWLEDGE_CACHE]
    assert _without_reading(monkeypatch, bot.knowledge, "_read_knowledge", load) == first
    facts = next(base.glob("facts*.yaml"))
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# a curator's note\n")
    with pytest.raises(AssertionError, match="cache holds"):  # a changed file is read again
        _without_reading(monkeypatch, bot.knowledge, "_read_knowledge", load)
    assert load() == first
    facts.write_text("facts: [unclosed\n", encoding="utf-8")
    for _ in range(2):  # an invalid base is reported every time, never kept
        with pytest.raises(KnowledgeError):
            load()
    assert len(list((tmp_path / "cache").glob("knowledge-*"))) == 1


def test_checked_exemplars_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path / "kb"
    (base / EXEMPLARS_FILE).parent.mkdir(parents=True)
    shutil.copy(bundled_knowledge_dir() / EXEMPLARS_FILE, base / EXEMPLARS_FILE)
    cache = BuildCache(tmp_path / "cache")
    load = partial(load_exemplars, base, cache)
    first = load()
    assert _files(tmp_path / "cache") == [EXEMPLARS_CACHE]
    assert _without_reading(monkeypatch, bot.distress, "_read_exemplars", load) == first
    text = (base / EXEMPLARS_FILE).read_text(encoding="utf-8")
    (base / EXEMPLARS_FILE).write_text(text + text, encoding="utf-8")  # every text twice
    with pytest.raises(ExemplarError):
        load()


def test_the_common_words_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.english, "_loaded", {})
    words = load_common_words("en", BuildCache(tmp_path))
    assert _files(tmp_path) == ["common-words-en"]
    monkeypatch.setattr(bot.english, "_loaded", {})
    monkeypatch.setattr(bot.english, "_read", _refuse)
    assert load_common_words("en", BuildCache(tmp_path)) == words
    assert "great" in words and "gseta" not in words
