"""How widely each hand-written fact's phrasings cover the ways people ask (notes, not errors).

People rarely use the words of the answer: they explain who they are and why they ask, or
describe a thing instead of naming it. So each fact wants at least `WANTED` phrasings, of which
`WANTED_LONG` long, chatty ones (a message with context) and `WANTED_OTHER_WORDS` that use none
of the fact's key terms (the words of its label and topics). Two phrasings that normalise to
nearly the same text add nothing and are reported too. `oscebot validate` prints these notes.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.knowledge import KnowledgeBase, Problem
from bot.schema import DEFAULT_LANGUAGE, Fact
from bot.text import QUESTION_TOKENS, tokens

WANTED = 8
WANTED_LONG = 2
WANTED_OTHER_WORDS = 2
LONG_WORDS = 15
"""A phrasing of at least this many words reads as a message with context."""
TOO_CLOSE = 95.0
"""Two phrasings whose content tokens match at least this well (token sort ratio) say the same."""


def key_terms(fact: Fact) -> set[str]:
    """The content tokens of a fact's label and topics, question words aside: the words its
    answer is known by."""
    words = " ".join((fact.label or "", *fact.topics))
    return set(tokens(words)) - QUESTION_TOKENS


def _notes_for(fact: Fact, language: str) -> list[str]:
    phrasings = fact.questions.get(language, ())
    if not phrasings:
        return []
    notes = []
    if len(phrasings) < WANTED:
        notes.append(f"{len(phrasings)} '{language}' phrasings; {WANTED} wanted")
    long_ones = sum(1 for p in phrasings if len(p.split()) >= LONG_WORDS)
    if long_ones < WANTED_LONG:
        notes.append(f"{long_ones} long phrasings (≥ {LONG_WORDS} words); {WANTED_LONG} wanted")
    found = [tokens(p) for p in phrasings]
    terms = key_terms(fact)
    other_words = sum(1 for t in found if not terms & set(t))
    if terms and other_words < WANTED_OTHER_WORDS:
        notes.append(
            f"{other_words} phrasings without a key term ({', '.join(sorted(terms))}); "
            f"{WANTED_OTHER_WORDS} wanted"
        )
    normalised = [" ".join(sorted(t)) for t in found]
    for i, first in enumerate(normalised):
        for j in range(i + 1, len(normalised)):
            if first and fuzz.token_sort_ratio(first, normalised[j]) >= TOO_CLOSE:
                notes.append(f"{phrasings[j]!r} says the same as {phrasings[i]!r}")
    return notes


def check_phrasings(kb: KnowledgeBase, language: str = DEFAULT_LANGUAGE) -> list[Problem]:
    """Notes on facts whose phrasings are too few, too alike, or all in the answer's words."""
    found: list[Problem] = []
    for fact in kb.facts:
        found += (kb.problem(fact.id, "questions", note) for note in _notes_for(fact, language))
    return sorted(found)
