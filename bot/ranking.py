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
scores a thousand phrasings.
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


@dataclass(frozen=True)
class Phrasing:
    """One phrasing of an entry, as tokens, with their total weight."""

    entry_index: int
    text: str
    tokens: frozenset[str]
    mass: float = 0.0


class Ranker(Decider):
    """The candidates and score steps of `Matcher`: what they read of the matcher's index is
    declared here."""

    entries: tuple[Entry, ...]
    _phrasings: list[Phrasing]
    _entry_phrasings: list[tuple[int, ...]]
    _min_mass_array: NDArray[np.float64]
    _entries_with_array: dict[str, NDArray[np.intp]]
    _evidence_with_array: dict[str, NDArray[np.intp]]
    _evidence: list[frozenset[str]]
    _keywords: list[frozenset[str]]
    _off_topic: list[frozenset[str]]
    _markers: list[frozenset[str]]
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
        weights = {t: self._weight(t) for t in query}
        query_mass = sum(weights.values())
        asked = query & ASKED_KINDS
        off_topic = query & OFF_TOPIC_TOKENS
        markers = query & MARKERS

        def exact(entry_index: int) -> tuple[float, float, float]:
            """(bag hits with evidence, evidence, penalty) of one entry, summed in the
            question's order, as every score is."""
            entry_tokens = self._entry_tokens[entry_index]
            hits = 0.0
            for token, weight in weights.items():
                if token in entry_tokens:
                    hits += weight
            # answer words the entry's phrasings lack: weak evidence, never a match alone
            extra = 0.0
            found = query & self._evidence[entry_index]
            if found:
                keywords = found & self._keywords[entry_index]
                extra = EVIDENCE_FACTOR * sum(weights[t] for t in found - keywords)
                extra += KEYWORD_FACTOR * sum(weights[t] for t in keywords)
            # "who is the SG and since when": an entry that answers one of the kinds asked
            # is not penalised for the others
            missing = asked - entry_tokens
            mismatch = QUESTION_MISMATCH_PENALTY * len(missing) if missing == asked else 0.0
            mismatch += OFF_TOPIC_PENALTY * len(off_topic - self._off_topic[entry_index])
            mismatch += MARKER_PENALTY * len(markers - self._markers[entry_index])
            return hits + extra, extra, analysis.typo_penalty + mismatch

        order, bounds = self._bounds(weights, query_mass, analysis.typo_penalty)
        scored: list[Candidate] = []
        heads: list[float] = []  # the TOP best scores so far, lowest first
        for entry_index, bound in zip(order.tolist(), bounds.tolist(), strict=True):
            cut = None if complete else _cut(heads, floor)
            if cut is not None and bound + ROUNDING < cut:
                break  # sorted by bound: no entry left can reach what the decision reads
            hits, evidence, penalty = exact(entry_index)
            candidate = self._score(entry_index, query, weights, query_mass, evidence, hits)
            score = round(max(candidate.score - penalty, 0.0), 1)
            scored.append(Candidate(candidate.entry, score, candidate.phrasing))
            if len(heads) < TOP:
                heapq.heappush(heads, score)
            elif score > heads[0]:
                heapq.heapreplace(heads, score)
        ranked = sorted(scored, key=lambda c: (-c.score, c.entry.id))
        cut = None if complete else _cut(heads, floor)
        return ranked if cut is None else [c for c in ranked if c.score >= cut]

    def _bounds(
        self, weights: dict[str, float], query_mass: float, typo_penalty: float
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The entries that share a token with the question, highest bound first, and their
        bounds: the most each can score, as if one phrasing had every question word its
        phrasings have and no more than its shortest phrasing, with its answer's words
        counted at the keyword rate, less the typo penalty (its other penalties only lower
        it). Computed for all entries at once; `_score` then scores them one by one."""
        shared = np.zeros(len(self.entries))
        evidence = np.zeros(len(self.entries))
        for token, weight in weights.items():
            found = self._entries_with_array.get(token)
            if found is not None:
                shared[found] += weight
            answering = self._evidence_with_array.get(token)
            if answering is not None:
                evidence[answering] += KEYWORD_FACTOR * weight
        order = np.flatnonzero(shared)
        shared, evidence = shared[order], evidence[order]
        cover = np.minimum(1.0, shared / self._min_mass_array[order])
        bounds = (
            100.0
            * ((shared + evidence) / query_mass) ** QUERY_COVERAGE_EXPONENT
            * cover**PHRASING_COVERAGE_EXPONENT
        ) * BOUND_SLACK - typo_penalty
        bounds = np.maximum(bounds, 0.0)  # a score is never below 0
        ranking = np.argsort(-bounds, kind="stable")
        return order[ranking], bounds[ranking]

    def _score(
        self,
        entry_index: int,
        query: set[str],
        weights: dict[str, float],
        query_mass: float,
        evidence: float,
        bag_hits: float,
    ) -> Candidate:
        """One entry's score before its penalties: its best phrasing, or all its phrasings
        together scaled by `BAG_FACTOR`."""
        best: Candidate | None = None
        best_cover = 0.0
        for phrasing_index in self._entry_phrasings[entry_index]:
            phrasing = self._phrasings[phrasing_index]
            shared_mass = 0.0
            for token, weight in weights.items():  # the question's order, as the bound sums
                if token in phrasing.tokens:
                    shared_mass += weight
            if not shared_mass:
                continue
            coverage_query = (shared_mass + evidence) / query_mass
            coverage_phrasing = shared_mass / phrasing.mass
            best_cover = max(best_cover, coverage_phrasing)
            score = 100.0 * (
                coverage_query**QUERY_COVERAGE_EXPONENT
                * coverage_phrasing**PHRASING_COVERAGE_EXPONENT
            ) - UNASKED_PENALTY * len(UNASKED_KINDS & (phrasing.tokens - query))
            if best is None or score > best.score:
                best = Candidate(self.entries[entry_index], score, phrasing.text)
        assert best is not None, "an entry with bag hits has a phrasing sharing a token"
        bag_score = (
            BAG_FACTOR
            * 100.0
            * (bag_hits / query_mass) ** QUERY_COVERAGE_EXPONENT
            * best_cover**PHRASING_COVERAGE_EXPONENT
        )
        return Candidate(best.entry, max(bag_score, best.score), best.phrasing)


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
