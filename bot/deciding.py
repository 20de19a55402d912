"""Deciding what a ranked list of candidates means: a confident answer, "did you mean", or a
fallback. The last step of matching (`matching`): normalise, find candidates, score, decide.
The thresholds were tuned on ../shared/eval/dev.yaml and the regression tables in tests/.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.entries import Entry
from bot.text import QUESTION_TOKENS, about_another_body

ANSWER_SCORE = 68.0
"""At or above this, with a clear lead, the best entry is answered."""
ANSWER_MARGIN = 5.0
"""The lead over the runner-up that a confident answer needs."""
LEAD_SCORE = 50.0
"""A lower score is also answered when no other entry comes close (a lead of LEAD_MARGIN).
50 since the answerability check stands behind every answer (55 before; on en_v1, now a
development table, 6 more answered right and none wrong; the regression tables unchanged)."""
LEAD_MARGIN = 15.0
CLARIFY_SCORE = 42.0
"""At or above this (and below a confident answer) the bot asks "did you mean"."""
SUGGEST_SCORE = 30.0
"""Entries below this are never offered as suggestions."""
CLARIFY_WINDOW = 18.0
"""Suggestions are entries within this many points of the best."""
MAX_SUGGESTIONS = 3

MARKERS = frozenset({"first"})
"""Words that pick one of several entries on the same post or event ("the first Special
Representative" is not the current one)."""
SPECIFIC_RE = re.compile(r"(?:1[89]|20)\d\d|\d+(?:st|nd|rd|th|of\d+)|\d{3,}")
"""Tokens that name one thing among several of a kind: a year, an ordinal ("23rd"), a decision
number ("3of06"), a long number ("116000"). With the markers, they pick the specific entry
over its overview ("the 23rd conference" is not the conferences in general)."""
RARE_WEIGHT = 2.5
"""A question token at least this rare is distinctive: the entry that has every one of them,
when its close rivals each lack one, is the one asked about."""
DECISIVE_SCORE = 55.0
"""A clarify is turned into an answer by distinctive tokens only from this score up."""
DECISIVE_WINDOW = 15.0
"""Rivals within this many points of the best must each lack a distinctive token."""
PROMOTE_MARGIN = 15.0
"""How far below the best an entry naming the question's specific tokens may be and still be
answered in its place."""
MatchKind = Literal["answer", "clarify", "fallback", "smalltalk"]


@dataclass(frozen=True)
class Candidate:
    """An entry and how well the question matched its best phrasing (0-100)."""

    entry: Entry
    score: float
    phrasing: str


@dataclass(frozen=True)
class Match:
    """The outcome of matching one question."""

    kind: MatchKind
    candidates: tuple[Candidate, ...]
    """Distinct entries, best first: the answer, or the suggestions."""

    @property
    def entry(self) -> Entry | None:
        """The answered entry (answer or smalltalk), else None."""
        return self.candidates[0].entry if self.kind in ("answer", "smalltalk") else None

    @property
    def score(self) -> float:
        """The best entry's score, 0 when nothing matched at all."""
        return self.candidates[0].score if self.candidates else 0.0


@dataclass(frozen=True)
class Analysis:
    """A question reduced to tokens, with what typo correction cost."""

    tokens: tuple[str, ...]
    unknown: tuple[str, ...]
    typo_penalty: float


class Decider:
    """The decision step of `Matcher`: what it reads of the matcher's index is declared here."""

    _weights: dict[str, float]
    _known: list[set[str]]
    _position: dict[str, int]
    _entry_tokens: list[frozenset[str]]
    _places: frozenset[str]
    _phrasing_tokens: dict[str, tuple[str, ...]]

    @staticmethod
    def _offered(decided: Match) -> Match:
        """`decided` with an answer turned into a choice of one."""
        if decided.kind != "answer":
            return decided
        return Match("clarify", decided.candidates)

    def _names_something(self, analysis: Analysis) -> bool:
        """Whether a part of a message has a content word some phrasing knows."""
        return any(t in self._weights and t not in QUESTION_TOKENS for t in analysis.tokens)

    @staticmethod
    def _close(ranked: Sequence[Candidate]) -> tuple[Entry, ...]:
        """The entries a "did you mean" would offer for this ranking."""
        top = ranked[0].score
        return tuple(
            c.entry
            for c in ranked[:MAX_SUGGESTIONS]
            if c.score >= max(SUGGEST_SCORE, top - CLARIFY_WINDOW)
        )

    def _decide(self, analysis: Analysis, ranked: Sequence[Candidate]) -> Match:
        if not ranked or ranked[0].score < CLARIFY_SCORE:
            weak = tuple(c for c in ranked[:MAX_SUGGESTIONS] if c.score >= SUGGEST_SCORE)
            return Match("fallback", weak)
        chosen = self._decisive(analysis, ranked)
        if (
            chosen is not None
            and not self._elsewhere(analysis, chosen)
            and not self._only_a_place(analysis, chosen)
            and not self._misses_a_place(analysis, chosen)
        ):
            return Match("smalltalk" if chosen.entry.kind == "smalltalk" else "answer", (chosen,))
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        lead = top.score - runner_up
        offered_only = (
            self._elsewhere(analysis, top)
            or self._only_a_place(analysis, top)
            or self._misses_a_place(analysis, top)
        )
        if not offered_only and (
            (top.score >= ANSWER_SCORE and lead >= ANSWER_MARGIN)
            or (top.score >= LEAD_SCORE and lead >= LEAD_MARGIN)
        ):
            return Match("smalltalk" if top.entry.kind == "smalltalk" else "answer", (top,))
        close = tuple(
            c
            for c in ranked[:MAX_SUGGESTIONS]
            if c.score >= max(SUGGEST_SCORE, top.score - CLARIFY_WINDOW)
            and c.entry.kind != "smalltalk"
        )
        if not close:
            return Match("fallback", ())
        return Match("clarify", close)

    def _only_a_place(self, analysis: Analysis, top: Candidate) -> bool:
        """Whether the best entry shares only a place with a question that asks something
        else about it ("weather in Skopje", "what is the Hague Convention"): the question is
        about the place, not the OSCE there, so the entry is offered at most."""
        content = {t for t in analysis.tokens if t not in QUESTION_TOKENS and not t.isdigit()}
        shared = content & self._known[self._position[top.entry.id]]
        return bool(shared) and shared <= self._places and bool(content - shared)

    def _misses_a_place(self, analysis: Analysis, top: Candidate) -> bool:
        """Whether the question names a place the best entry knows nothing of ("how many
        people live in Skopje" against a worldwide figure): a named detail the entry does
        not cover, so it cannot be the answer."""
        named = {t for t in analysis.tokens if t in self._places}
        return bool(named - self._known[self._position[top.entry.id]])

    def _elsewhere(self, analysis: Analysis, top: Candidate) -> bool:
        """Whether the question asks about another organisation itself ("what is the Council
        of Europe") while the best entry is about something of it (its Convention): a
        phrasing with words the question lacks."""
        if not about_another_body(analysis.tokens):
            return False
        return not set(self._phrasing_tokens[top.phrasing]) - QUESTION_TOKENS <= set(
            analysis.tokens
        )

    def _decisive(self, analysis: Analysis, ranked: Sequence[Candidate]) -> Candidate | None:
        """The one close entry whose phrasings name every distinctive token of the question,
        if there is one: its specific tokens (a year, an ordinal, a decision number, "first")
        or, failing those, its rare words. A specific entry so found may be a little below an
        overview that lacks the specific token ("the 2022 NRM handbook" is not NRMs in
        general); by rare words, only the best entry is confirmed."""
        top = ranked[0]
        query = {t for t in analysis.tokens if t in self._weights}
        specific = {t for t in query if SPECIFIC_RE.fullmatch(t) or t in MARKERS}
        decisive = specific or {
            t for t in query if t not in QUESTION_TOKENS and self._weights[t] >= RARE_WEIGHT
        }
        if not decisive:
            return None
        close = [c for c in ranked if c.score >= top.score - DECISIVE_WINDOW]
        covering = [c for c in close if decisive <= self._entry_tokens[self._position[c.entry.id]]]
        if len(covering) != 1 or covering[0].score < DECISIVE_SCORE:
            return None
        chosen = covering[0]
        if chosen is top:
            return chosen
        # in place of the best: only for specific tokens, and only when the specific entry
        # also has every rare word of the question that the best one has
        rare = {t for t in query if self._weights[t] >= RARE_WEIGHT}
        shared = rare & self._known[self._position[top.entry.id]]
        if (
            specific
            and top.score - chosen.score <= PROMOTE_MARGIN
            and shared <= self._known[self._position[chosen.entry.id]]
        ):
            return chosen
        return None
