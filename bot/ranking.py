"""Scoring the entries that share words with a question: the candidates and score steps of
matching (`matching`).

Each phrasing is scored by how much of the question it explains and how much of itself the
question covers, each token weighted by how rare it is across entries; the best phrasing of
each entry is that entry's score, less what the entry lacks (the kind of question asked, a
marker, an off-topic word).

Only the entries that can matter are scored. An entry can never score more than its bound:
all of the question's words that any of its phrasings or its answer has, as if one phrasing
had them all and nothing else, less its penalties. Entries are scored from the highest bound
down, and scoring stops when no bound left can reach what the decision reads: the best three
and every entry within `WINDOW` points of the best. The first entries of the ranking are
therefore exactly those of scoring every entry (`complete=True`, the reference the tests
compare against on every table), while a question with a common word ("OSCE") no longer
scores a thousand phrasings. Entries are scored in batches with array operations (`_Query`),
each score by the same floating-point steps as one phrasing at a time.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.deciding import (
    CLARIFY_WINDOW,
    DECISIVE_WINDOW,
    MARKERS,
    MAX_SUGGESTIONS,
    PROMOTE_MARGIN,
    Analysis,
    Candidate,
    Decider,
)
from bot.entries import Entry
from bot.text import QUESTION_TOKENS
from bot.token_index import TokenIndex

QUERY_COVERAGE_EXPONENT = 0.6
PHRASING_COVERAGE_EXPONENT = 0.4
QUESTION_TOKEN_WEIGHT = 1.0
"""who/when/where/how many distinguish intents but say nothing of the topic."""
BAG_FACTOR = 0.9
"""An entry also scores by how much of the question all its phrasings together explain (a
question may mix the words of two phrasings), times how much of its closest phrasing the
question covers; that score is scaled below a perfect single phrasing."""
QUESTION_MISMATCH_PENALTY = 8
"""Points lost by an entry none of whose phrasings asks the question's kind (who, when, where,
how many): "how many Partners?" is a count, not the list of Partners."""
UNASKED_PENALTY = 4.0
"""Points lost by a phrasing that asks for a count when the question does not: "Tell me about
the Parliamentary Assembly" is not "How big is the Parliamentary Assembly?"."""
COUNT_WORD = "howmany"
UNASKED_KINDS = frozenset({COUNT_WORD, "list"})
"""A count or a list asked by a phrasing but not by the question ("head of the OSR" is not
"list of every head of the OSR")."""
ASKED_KINDS = QUESTION_TOKENS | {"quot"}
"""Kinds of answer a question asks for; "a quote by X" asks for a quote, not background."""
OFF_TOPIC_TOKENS = frozenset({"otherpost", "clock", "jobseek"})
"""Tokens `text` gives to what is never a topic here: another organisation's official ("who
is the UN Secretary General" is not about the OSCE's), the clock ("what time is it in New
York" is not about the memorial there) and jobs ("how do I get a job at the OSCE" is not the
Special Representative's job)."""
OFF_TOPIC_PENALTY = 30.0
"""Points lost by an entry none of whose phrasings has an off-topic token the question has."""
MARKER_PENALTY = 6.0
"""Points lost by an entry whose phrasings and answer lack a marker the question has."""
EVIDENCE_FACTOR = 0.3
"""A question word found in an entry's answer but in none of its phrasings counts this much."""
EVIDENCE_MAX_SHARE = 0.1
"""Answer words in more than this share of entries are too common to be evidence."""
KEYWORD_FACTOR = 0.8
"""A question word found in an entry's keywords (a quote's own words) and in no phrasing at
all counts this much: nearly a phrasing's word, but still never a match on its own."""


WINDOW = max(CLARIFY_WINDOW, DECISIVE_WINDOW, PROMOTE_MARGIN)
"""How far below the best the decision looks (`deciding`): every entry within it is scored."""
TOP = max(MAX_SUGGESTIONS, 2)
"""How many of the best entries the decision reads whatever their scores (the runner-up, the
suggestions)."""
BOUND_SLACK = 1.0 + 1e-9
"""Bounds are summed in another order than scores: this much more covers the difference."""
ROUNDING = 0.051
"""Scores are rounded to one decimal: a bound this far below a cut may still round up to it
(0.05, and a little for the order in which floating-point sums are added)."""


@dataclass(frozen=True, slots=True)
class Phrasing:
    """One phrasing of an entry, as tokens, with their total weight (slots, and tokens as a
    tuple rather than a set: at 30 times today's base there are about 100,000 of them)."""

    entry_index: int
    text: str
    tokens: tuple[str, ...]
    mass: float = 0.0


class Ranker(Decider):
    """The candidates and score steps of `Matcher`: what they read of the matcher's index is
    declared here."""

    entries: tuple[Entry, ...]
    _phrasings: list[Phrasing]
    _phrasing_start: NDArray[np.intp]
    _phrasing_mass_array: NDArray[np.float64]
    _phrasings_with_array: TokenIndex
    _min_mass_array: NDArray[np.float64]
    _entries_with_array: TokenIndex
    _evidence_with_array: TokenIndex
    _marked_array: dict[str, NDArray[np.intp]]
    _evidence: list[frozenset[str]]
    _keywords: list[frozenset[str]]
    _weight: Callable[[str], float]

    def _rank(
        self, analysis: Analysis, complete: bool = False, floor: float | None = None
    ) -> list[Candidate]:
        """The entries that share a token with the question, best first: all of them when
        `complete`; every entry scoring `floor` or more when it is given; else the best
        `TOP` and every entry within `WINDOW` of the best (the same first entries, in the
        same order)."""
        query = set(analysis.tokens)
        if not query:
            return []
        # in a fixed order: float sums in set order would differ between processes
        weights = {t: self._weight(t) for t in sorted(query)}
        scoring = _Query(self, query, weights, analysis.typo_penalty)
        order, bounds = scoring.bounds()
        scored: list[Candidate] = []
        heads: list[float] = []  # the TOP best scores so far, lowest first
        start, size = 0, FIRST_BATCH
        while start < len(order):
            end = min(start + size, len(order))
            cut = None if complete else _cut(heads, floor)
            if cut is not None:  # sorted by bound: no entry past these can reach the cut
                end = start + int(np.count_nonzero(bounds[start:end] + ROUNDING >= cut))
                if end == start:
                    break
            for candidate in scoring.scores(order[start:end]):
                scored.append(candidate)
                if len(heads) < TOP:
                    heapq.heappush(heads, candidate.score)
                elif candidate.score > heads[0]:
                    heapq.heapreplace(heads, candidate.score)
            start, size = end, size * 2
        ranked = sorted(scored, key=lambda c: (-c.score, c.entry.id))
        cut = None if complete else _cut(heads, floor)
        return ranked if cut is None else [c for c in ranked if c.score >= cut]


FIRST_BATCH = 16
"""Entries are scored in batches, highest bound first, each twice the last: a batch is scored
with array operations at once, and the cut is updated between batches."""


class _Query:
    """One question's scores against the matcher's index: the bounds of every entry that
    shares a token with it, then the exact scores of the entries asked for.

    Every score is computed with the same floating-point operations in the same order as
    scoring one phrasing at a time would (sums in the question's order; `**` and `round` by
    Python, whose results numpy's vectorised versions may not reproduce to the last bit)."""

    def __init__(
        self, ranker: Ranker, query: set[str], weights: dict[str, float], typo_penalty: float
    ) -> None:
        self.ranker = ranker
        self.query = query
        self.weights = weights
        self.query_mass = sum(weights.values())
        entry_count = len(ranker.entries)
        self.hits = np.zeros(entry_count)  # the question's weight each entry's phrasings have
        self.evidence = np.zeros(entry_count)  # in answers, at the keyword rate
        self.phrasing_hits = np.zeros(len(ranker._phrasings))
        for token, weight in weights.items():
            found = ranker._entries_with_array.get(token)
            if found is not None:
                self.hits[found] += weight
                self.phrasing_hits[ranker._phrasings_with_array[token]] += weight
            answering = ranker._evidence_with_array.get(token)
            if answering is not None:
                self.evidence[answering] += KEYWORD_FACTOR * weight
        self.unasked = np.zeros(len(ranker._phrasings))  # kinds phrasings ask, the question not
        for kind in sorted(UNASKED_KINDS - query):
            asking = ranker._phrasings_with_array.get(kind)
            if asking is not None:
                self.unasked[asking] += UNASKED_PENALTY
        self.penalty = typo_penalty + self._mismatch(query)

    def _mismatch(self, query: set[str]) -> NDArray[np.float64]:
        """Each entry's points lost for what it lacks: none of the kinds asked ("who is the
        SG and since when": an entry that answers one of them is not penalised for the
        others), an off-topic token, a marker."""
        ranker = self.ranker
        asked = query & ASKED_KINDS
        answering = np.zeros(len(ranker.entries), dtype=bool)
        for kind in asked:
            answering[ranker._entries_with_array.get(kind, _NONE)] = True
        mismatch = np.where(answering, 0.0, float(QUESTION_MISMATCH_PENALTY * len(asked)))
        for tokens, index, penalty in (
            (query & OFF_TOPIC_TOKENS, ranker._entries_with_array, OFF_TOPIC_PENALTY),
            (query & MARKERS, ranker._marked_array, MARKER_PENALTY),
        ):
            lacking = np.full(len(ranker.entries), float(len(tokens)))
            for token in tokens:
                lacking[index.get(token, _NONE)] -= 1.0
            mismatch += penalty * lacking
        return mismatch

    def bounds(self) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The entries that share a token with the question, highest bound first, and their
        bounds: the most each can score, as if one phrasing had every question word its
        phrasings have and no more than its shortest phrasing, with its answer's words
        counted at the keyword rate, less its penalties."""
        order = np.flatnonzero(self.hits)
        shared, evidence = self.hits[order], self.evidence[order]
        cover = np.minimum(1.0, shared / self.ranker._min_mass_array[order])
        bounds = (
            100.0
            * ((shared + evidence) / self.query_mass) ** QUERY_COVERAGE_EXPONENT
            * cover**PHRASING_COVERAGE_EXPONENT
        ) * BOUND_SLACK - self.penalty[order]
        bounds = np.maximum(bounds, 0.0)  # a score is never below 0
        ranking = np.argsort(-bounds, kind="stable")
        return order[ranking], bounds[ranking]

    def scores(self, batch: NDArray[np.intp]) -> list[Candidate]:
        """The exact scores of some entries: each entry's best phrasing (the first of the
        best), or all its phrasings together scaled by `BAG_FACTOR`, less its penalties,
        rounded to one decimal."""
        ranker, query_mass = self.ranker, self.query_mass
        starts = ranker._phrasing_start[batch]
        counts = ranker._phrasing_start[batch + 1] - starts
        owner = np.repeat(np.arange(len(batch)), counts)
        phrasings = np.arange(len(owner)) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
        shared = self.phrasing_hits[phrasings]
        sharing = np.flatnonzero(shared)
        phrasings, owner, shared = phrasings[sharing], owner[sharing], shared[sharing]
        evidence = np.zeros(len(batch))
        for position in np.flatnonzero(self.evidence[batch]).tolist():
            evidence[position] = self._evidence_extra(int(batch[position]))
        cover = shared / ranker._phrasing_mass_array[phrasings]
        score = (
            100.0
            * (
                _power((shared + evidence[owner]) / query_mass, QUERY_COVERAGE_EXPONENT)
                * _power(cover, PHRASING_COVERAGE_EXPONENT)
            )
            - self.unasked[phrasings]
        )
        first = _firsts(owner)
        assert len(first) == len(batch), "an entry with bag hits has a phrasing sharing a token"
        best = np.maximum.reduceat(score, first)
        best_cover = np.maximum.reduceat(cover, first)
        at_best = np.flatnonzero(score == best[owner])
        best_phrasing = phrasings[at_best[_firsts(owner[at_best])]]
        bag_hits = self.hits[batch] + evidence
        bag = (
            BAG_FACTOR
            * 100.0
            * _power(bag_hits / query_mass, QUERY_COVERAGE_EXPONENT)
            * _power(best_cover, PHRASING_COVERAGE_EXPONENT)
        )
        final = np.maximum(np.maximum(bag, best) - self.penalty[batch], 0.0)
        return [
            Candidate(ranker.entries[e], round(s, 1), ranker._phrasings[p].text)
            for e, s, p in zip(batch.tolist(), final.tolist(), best_phrasing.tolist(), strict=True)
        ]

    def _evidence_extra(self, entry_index: int) -> float:
        """What an entry's answer adds: the question's words its phrasings lack, weak evidence
        (never a match alone), and its keywords, nearly a phrasing's words."""
        found = self.query & self.ranker._evidence[entry_index]
        if not found:
            return 0.0
        weights = self.weights
        keywords = found & self.ranker._keywords[entry_index]
        extra = EVIDENCE_FACTOR * sum(weights[t] for t in sorted(found - keywords))
        extra += KEYWORD_FACTOR * sum(weights[t] for t in sorted(keywords))
        return extra


_NONE = np.zeros(0, dtype=np.intp)


def _firsts(groups: NDArray[np.intp]) -> NDArray[np.intp]:
    """Where each run of equal values starts in `groups`."""
    starts = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    return np.concatenate((_FIRST, starts))


_FIRST = np.zeros(1, dtype=np.intp)


def _power(values: NDArray[np.float64], exponent: float) -> NDArray[np.float64]:
    """`values ** exponent` by Python's own `**`, element by element: numpy's vectorised
    power may differ in the last bit, and a score must not."""
    return np.array([value**exponent for value in values.tolist()])


def _cut(heads: list[float], floor: float | None) -> float | None:
    """The lowest score that must be ranked: `floor` when given, else the lowest the
    decision may read (the `TOP`-th best, or `WINDOW` below the best when that is lower);
    None while fewer than `TOP` entries are scored. `heads`: the `TOP` best scores so far,
    as a heap."""
    if floor is not None:
        return floor
    if len(heads) < TOP:
        return None
    return min(max(heads) - WINDOW, heads[0])


def weight_of(document_frequency: int, entry_count: int) -> float:
    """A content token's weight: the rarer across entries, the more it says."""
    return math.log(1 + entry_count / document_frequency)
