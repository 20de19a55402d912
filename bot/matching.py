"""Matching a free-text question to an entry: answer, "did you mean", or an honest fallback.

A question and every phrasing are reduced to content tokens (`text.tokens`). Words the
knowledge base does not know are first corrected to the closest known word with rapidfuzz
when they are close enough (typos), and left alone otherwise (they then count against the
match: an off-topic question is mostly unknown words). The steps: normalise (`text`, and the
typo correction here), find the candidate entries and score them (`ranking`: each token
weighted by how rare it is across entries, so a country name says more than "OSCE"), decide
(`deciding`). A message with context is read clause by clause (`match`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from sys import intern

import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from bot.build_cache import BuildCache, fingerprint
from bot.deciding import MARKERS, Analysis, Candidate, Match
from bot.english import is_common_word, load_common_words
from bot.entries import Entry
from bot.ranking import (
    EVIDENCE_MAX_SHARE,
    QUESTION_TOKEN_WEIGHT,
    Phrasing,
    Ranker,
    weight_of,
)
from bot.text import ENGLISH, QUESTION_TOKENS, Normaliser
from bot.token_index import TokenIndex
from bot.typos import (
    MIN_TYPO_LENGTH,
    SWAP_RATIO,
    TYPO_CUTOFF,
    TYPO_PENALTY,
    choices_by_length,
    edit_budget,
    swaps,
    typo_spellings,
)

KEPT = ("entries", "language")
"""What a cached matcher takes from its caller, not from the cache: the entries themselves
(the cache holds their positions) and the language's normaliser."""


class Matcher(Ranker):
    """Scores questions against every phrasing of every entry."""

    def __init__(
        self,
        entries: Sequence[Entry],
        places: Iterable[str] = (),
        language: Normaliser = ENGLISH,
        cache: BuildCache | None = None,
        name: str = "main",
    ) -> None:
        """`places`: names of the places entries are about (cities, countries): a question
        that shares only these with an entry is not answered by it when it asks something
        else about them. `language`: how the entries' phrasings and the questions are read.
        `cache`: where a matcher built from the same entries by the same code is kept
        between starts, as `name` (one file per language and name)."""
        self.entries = tuple(entries)
        self.language = language
        places = tuple(places)
        kind = f"matcher-{language.code}-{name}"
        key = "" if cache is None else fingerprint(self._inputs(places))
        state = None if cache is None else cache.load(kind, key)
        if isinstance(state, dict):
            vars(self).update(state)
        else:
            self._build(places)
            if cache is not None:
                cache.store(kind, key, {k: v for k, v in vars(self).items() if k not in KEPT})
        load_common_words(language.code, cache)

    def _inputs(self, places: tuple[str, ...]) -> list[str]:
        """Everything of the entries a matcher is built from, as text for a fingerprint."""
        parts = [self.language.code, *places]
        for entry in self.entries:
            parts += [entry.id, entry.evidence, entry.keywords, *entry.questions, "\x00"]
        return parts

    def _build(self, places: tuple[str, ...]) -> None:
        """Read every phrasing and index the entries (the slow part of start-up)."""
        language = self.language
        tokens, words = language.tokens, language.words
        self._places = frozenset(t for place in places for t in tokens(place))
        self._phrasings: list[Phrasing] = []
        entry_tokens: list[set[str]] = [set() for _ in self.entries]
        known_words: set[str] = set()
        uses: dict[str, int] = defaultdict(int)  # how many phrasings have each known word
        # Each phrasing is split once: the phrase expressions are most of the start-up time.
        # (Only the knowledge base's own text is memoised here, never a user's question.)
        split = {q: language.phrase_words(q) for entry in self.entries for q in entry.questions}

        # Where the phrases take in whole forms, misspellings are counted in the words as
        # written too: "людьми", mostly inside "торговлялюдьми", looked rarer than its slip
        # "людми" (and "спецпредставителя" is still respelt as the phrases' whole word)
        def written(q: str) -> list[str]:
            return [*language.words(q), *split[q]] if language.inflected else split[q]

        self._canonical = typo_spellings([written(q) for e in self.entries for q in e.questions])
        for entry_index, entry in enumerate(self.entries):
            for question in entry.questions:
                toks = frozenset(map(intern, tokens(self._respell(split[question]))))
                if not toks:
                    continue
                for word in {*words(question), *split[question]}:
                    known_words.add(word)
                    uses[word] += 1
                entry_tokens[entry_index].update(toks)
                self._phrasings.append(Phrasing(entry_index, question, tuple(sorted(toks))))
        self._phrasing_tokens = {p.text: p.tokens for p in self._phrasings}
        evidence = [frozenset(map(intern, tokens(e.evidence))) for e in self.entries]
        self._marked_array = {
            marker: np.array(
                [i for i in range(len(self.entries)) if marker in entry_tokens[i] | evidence[i]],
                dtype=np.intp,
            )
            for marker in MARKERS
        }
        evidence_frequency: dict[str, int] = defaultdict(int)
        for token_set in evidence:
            for token in token_set:
                evidence_frequency[token] += 1
        common = max(1, int(EVIDENCE_MAX_SHARE * len(self.entries)))
        self._evidence = [
            frozenset(
                t for t in token_set if evidence_frequency[t] <= common and t not in QUESTION_TOKENS
            )
            - entry_tokens[i]
            for i, token_set in enumerate(evidence)
        ]
        entries_with: dict[str, list[int]] = defaultdict(list)
        for entry_index, entry_token_set in enumerate(entry_tokens):
            for token in entry_token_set:
                entries_with[token].append(entry_index)
        self._entry_tokens = [frozenset(t) for t in entry_tokens]
        self._position = {entry.id: i for i, entry in enumerate(self.entries)}
        self._known = [entry_tokens[i] | evidence[i] for i in range(len(self.entries))]
        entry_count = max(len(self.entries), 1)
        document_frequency: dict[str, int] = defaultdict(int)
        for entry_token_set in entry_tokens:
            for token in entry_token_set:
                document_frequency[token] += 1
        # only words no phrasing has: a known word ("human", "%") already points elsewhere
        self._keywords = [
            frozenset(t for t in tokens(e.keywords) if t not in document_frequency)
            & self._evidence[i]
            for i, e in enumerate(self.entries)
        ]
        self._weights = {
            token: (
                QUESTION_TOKEN_WEIGHT
                if token in QUESTION_TOKENS or _small_number(token)
                else weight_of(count, entry_count)
            )
            for token, count in document_frequency.items()
        }
        self._phrasings = [
            Phrasing(p.entry_index, p.text, p.tokens, sum(self._weights[t] for t in p.tokens))
            for p in self._phrasings
        ]
        # each entry's phrasings are consecutive: entry i's are start[i] to start[i + 1]
        owners = np.array([p.entry_index for p in self._phrasings], dtype=np.intp)
        assert np.all(owners[1:] >= owners[:-1]), "phrasings are read entry by entry"
        self._phrasing_start = np.searchsorted(owners, np.arange(len(self.entries) + 1))
        self._phrasing_mass_array = np.array([p.mass for p in self._phrasings])
        self._min_mass_array = np.array(
            [
                min(self._phrasing_mass_array[start:end].tolist(), default=1.0)
                for start, end in zip(
                    self._phrasing_start[:-1], self._phrasing_start[1:], strict=True
                )
            ]
        )
        phrasings_with: dict[str, list[int]] = defaultdict(list)
        for phrasing_index, phrasing in enumerate(self._phrasings):
            for token in phrasing.tokens:
                phrasings_with[token].append(phrasing_index)
        self._phrasings_with_array = TokenIndex(phrasings_with)
        self._entries_with_array = TokenIndex(entries_with)
        evidence_with: dict[str, list[int]] = defaultdict(list)
        for entry_index, found in enumerate(self._evidence):
            for token in found:
                evidence_with[token].append(entry_index)
        self._evidence_with_array = TokenIndex(evidence_with)
        content = sorted(w for t, w in self._weights.items() if t not in QUESTION_TOKENS)
        # An unknown word weighs like a typical rare word: enough to sink an off-topic question.
        self._unknown_weight = content[len(content) * 3 // 4] if content else 1.0
        self._known_words = frozenset(known_words)
        self._answer_words = frozenset(w for entry in self.entries for w in words(entry.evidence))
        # A slip as close to two known words is read as the first: in an inflected language
        # the one more phrasings use, not a misspelling written on purpose that sorts first
        # ("гарячая" before "горячая"); English keeps the alphabetical order it was tuned with
        self._typo_choices = sorted(
            (w for w in known_words if len(w) >= MIN_TYPO_LENGTH),
            key=lambda w: (-uses[w] if language.inflected else 0, w),
        )
        self._typo_choices_by_length = choices_by_length(self._typo_choices)
        self._forms: dict[str, list[str]] = defaultdict(list)  # by token and by whole stem
        for word in self._typo_choices if language.inflected else ():
            stem = language.stemmer.stemWord(word)
            for key in {f"token {language.word_tokens(word)}", f"stem {stem}"}:
                self._forms[key].append(word)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every token some phrasing has."""
        return frozenset(self._weights)

    def analyse(self, text: str) -> Analysis:
        """Correct typos against the known words, then reduce to tokens. An everyday English
        word is read as a slip only where `_slip` allows ("great" is not GRETA)."""
        corrected: list[str] = []
        penalty = 0.0
        for word in self.language.phrase_words(text):
            token = self.language.word_tokens(word)
            if (
                word in self._known_words
                or len(word) < MIN_TYPO_LENGTH
                or not word.isalpha()
                or token is None
                or (token in self._weights and not self.language.inflected)  # "represents"
            ):
                corrected.append(word)
                continue
            if token in self._weights:  # a known stem: no score is lost
                corrected.append(self._known_form(word, token))
                continue
            read, cost = self._correct(word)
            corrected.append(read)
            penalty += cost
        toks = tuple(self.language.tokens(self._respell(corrected)))
        unknown = tuple(t for t in toks if t not in self._weights)
        return Analysis(toks, unknown, penalty)

    def _correct(self, word: str) -> tuple[str, float]:
        """An unknown word read as a slip of a known one, and the score it costs: a swap of
        neighbouring letters or the closest known word within the edit budget; the word itself
        when none fits."""
        common = is_common_word(word, self.language.code)
        swapped = self._swapped(word)
        if swapped is not None and (not common or self._slip(word, swapped)):
            return swapped, (100.0 - SWAP_RATIO) * TYPO_PENALTY
        best = process.extractOne(
            word,
            self._typo_choices_by_length.get(len(word), self._typo_choices),
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=TYPO_CUTOFF,
        )
        if (
            best is not None
            and Levenshtein.distance(word, best[0]) <= edit_budget(word)
            and (not common or self._slip(word, best[0]))
        ):
            return best[0], (100.0 - best[1]) * TYPO_PENALTY
        return word, 0.0

    def _known_form(self, word: str, token: str) -> str:
        """A word of an inflected language whose stem some phrasing has but whose form none
        has: a known word with two neighbouring letters swapped ("участнкиов"), else the closest
        known form of the same word (the same token, or the same whole stem: "пострадавшего",
        "пострадавшие") within a typo's ratio and edit budget ("пропавшим" is not "попавшим"),
        else the word as written. With stems cut to a few letters (`max_stem`) most slips keep
        a known stem ("торговвля", "верховый"); left as written, they escaped the phrases and
        synonyms, which name whole forms ("торговля людьми", "верховный комиссар")."""
        swapped = self._swapped(word)
        if swapped is not None and (
            not is_common_word(word, self.language.code) or self._slip(word, swapped)
        ):
            return swapped
        stem = self.language.stemmer.stemWord(word)
        forms = self._forms.get(f"token {token}", []) + self._forms.get(f"stem {stem}", [])
        best = process.extractOne(
            word, forms, scorer=fuzz.ratio, processor=None, score_cutoff=TYPO_CUTOFF
        )
        if best is not None and Levenshtein.distance(word, best[0]) <= edit_budget(word):
            return best[0]
        return word

    def _slip(self, word: str, known: str) -> bool:
        """Whether an everyday word may be read as a slip for a known one: the same word
        ("minister", "ministers", "austrian", "austria"), another everyday word or a spelling
        only the phrasings use ("overall", "overal"), but never a name or acronym that
        answers use ("great" is not GRETA)."""
        meant = self._canonical.get(known, known)  # "greata" in a phrasing means GRETA
        return (
            self.language.word_tokens(word) == self.language.word_tokens(meant)
            or word.startswith(meant)  # "austrian", "austria"
            or meant.startswith(word)
            or is_common_word(meant, self.language.code)
            or meant not in self._answer_words
        )

    def _swapped(self, word: str) -> str | None:
        """A known word that differs from `word` by two neighbouring letters swapped ("wolrd",
        "frist"): a common slip that edit ratios score too low on short words."""
        return next((w for w in swaps(word) if w in self._known_words), None)

    def _respell(self, found_words: Sequence[str]) -> str:
        """Words with the deliberate typos of some phrasings put back to their usual spelling."""
        return " ".join(self._canonical.get(w, w) for w in found_words)

    def _weight(self, token: str) -> float:
        if _small_number(token) or (token.isdigit() and token not in self._weights):
            # a year no phrasing has ("the world day 2027") says little against the topic
            return QUESTION_TOKEN_WEIGHT
        return self._weights.get(token, self._unknown_weight)

    def rank(self, text: str) -> list[Candidate]:
        """Every entry that shares a token with the question, best first."""
        return self._rank(self.analyse(text))

    def phrasing_tokens(self, phrasing: str) -> frozenset[str]:
        """The tokens of one of the knowledge base's phrasings (empty: it has none, so the
        matcher cannot use it)."""
        return frozenset(self._phrasing_tokens.get(phrasing, ()))

    def rank_own(self, phrasing: str, floor: float | None = None) -> list[Candidate]:
        """`rank` for a phrasing of the knowledge base itself, every entry that shares a
        token with it: its tokens are known already (every word of it is, so there is
        nothing to correct). `floor`: only the entries scoring at least this."""
        known = self._phrasing_tokens.get(phrasing)
        if known is None:
            return self._rank(self.analyse(phrasing), complete=floor is None, floor=floor)
        analysis = Analysis(tuple(sorted(known)), (), 0.0)
        return self._rank(analysis, complete=floor is None, floor=floor)

    def match(self, text: str) -> Match:
        """Decide: a confident answer, "did you mean", or a fallback. A message that mixes
        its question with clauses giving only its context ("When is the EU day? Our NGO is
        planning a campaign") is answered from the question alone when that is a whole
        question; a question that only points back ("..., when is it?") asks about what the
        context named last."""
        analysis = self.analyse(text)
        ranked = self._rank(analysis)
        decided = self._decide(analysis, ranked)
        split = self.language.split_context(text) if ranked else None
        if split is None:
            return decided
        context, question = split
        focus_analysis = self.analyse(question)
        if any(not t.isdigit() for t in focus_analysis.unknown) and not self._names_something(
            focus_analysis
        ):
            # the question itself asks only in words no phrasing knows ("I heard about Kari
            # Johnstone, is she married?"): what its context names does not answer it
            return self._offered(decided)
        if self.language.refers_back(question):
            # "I saw GRETA in a report, what is it?": the question points back at what the
            # context named last, so it asks about that
            named = next(
                (
                    a
                    for a in map(self.analyse, self.language.antecedents(context))
                    if self._names_something(a)
                ),
                Analysis((), (), 0.0),
            )
            focus_analysis = Analysis(
                focus_analysis.tokens + named.tokens,
                focus_analysis.unknown + named.unknown,
                focus_analysis.typo_penalty + named.typo_penalty,
            )
        focused = self._decide(focus_analysis, self._rank(focus_analysis))
        if focused.kind != "answer":
            return decided
        if focused.entry in self._close(ranked):
            # the question settles what its context left open or tipped the wrong way
            return focused
        if self.language.refers_back(question):
            return decided
        # a whole question on its own is what is asked, when the message as a whole found
        # no answer, or one the context pulled towards that has nothing of the question
        if decided.kind != "answer":
            return focused
        asked = set(focus_analysis.tokens) - QUESTION_TOKENS
        if not asked & self._entry_tokens[self._position[ranked[0].entry.id]]:
            return focused
        return decided


def _small_number(token: str) -> bool:
    """1-99: a day of the month, an age, a count: too common to identify a topic alone."""
    return token.isdigit() and len(token) <= 2


def baseline_best(text: str, phrasings: Sequence[str]) -> tuple[str, float] | None:
    """rapidfuzz alone (WRatio over all phrasings): the comparison point for benchmarks."""
    result = process.extractOne(
        text, phrasings, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=0
    )
    return None if result is None else (result[0], result[1])
