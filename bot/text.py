"""Text normalisation for matching: folding, synonyms, abbreviations, stop words and stems.

Questions and phrasings go through the same steps, so that "Who's the SG?" and "Who is the
Secretary-General of the Organization for Security and Co-operation in Europe" meet on the
same tokens. The domain vocabulary (phrases, synonyms, stop words) is data about language,
not about any one question, in `bot/language/en.yaml`; this module applies it. Typo
correction needs the knowledge base's vocabulary, so it lives in `matching`; this module is
pure and has no state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from pydantic import BaseModel, ConfigDict, Field

from bot.knowledge import read_yaml
from bot.regex_literals import LiteralFinder, required_literals

# Characters NFKD does not decompose into a base letter plus accents.
_EXTRA_FOLDS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)

_INVISIBLE_RE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")


def fold(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Unicode-normalise, lower-case, strip accents and unify quotes and dashes; letters in
    `keep` keep their marks (Russian й is a letter, not an accented и)."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))
    text = text.casefold().translate(_EXTRA_FOLDS)
    if text.isascii():
        return text
    kept = [c for c in keep if c in text]
    hidden = [chr(_PRIVATE_USE + i) for i in range(len(kept))]
    if any(h in text for h in hidden):  # someone typed the very character: letter by letter
        return "".join(c if c in keep else _strip_marks(c) for c in text)
    for letter, mark in zip(kept, hidden, strict=True):  # NFKD leaves private use alone
        text = text.replace(letter, mark)
    text = _strip_marks(text)
    for letter, mark in zip(kept, hidden, strict=True):
        text = text.replace(mark, letter)
    return text


_PRIVATE_USE = 0xF0000
"""Where kept letters hide from NFKD: the supplementary private-use plane."""


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The vocabulary itself is data: bot/language/<code>.yaml (phrases, synonyms, stop words, the
# stemmer), each entry with the reason it exists. Loaded once per language; a broken file
# fails loudly at load.
LANGUAGE_DIR = Path(__file__).resolve().parent / "language"
LANGUAGE_FILE = LANGUAGE_DIR / "en.yaml"
LANGUAGES = ("en", "ru")
"""The languages the bot reads and answers in, each with its file in LANGUAGE_DIR."""


class _Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: str
    to: str
    reason: str = Field(min_length=3)


class _Synonyms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    to: str
    words: tuple[str, ...]
    reason: str = Field(min_length=3)


class _StopWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: tuple[str, ...]
    reason: str = Field(min_length=3)


class ContextRules(BaseModel):
    """How a message of several clauses is read (see `Normaliser.split_context`): regular
    expressions over folded text, data of the language like its phrases."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    clause_split: str
    """Where a message splits into clauses."""
    opener: str
    """The start of a clause that only gives the asker's context ("I'm a student", "we")."""
    asking: str
    """A clause that asks (question words, or a question mark at its end)."""
    min_statement_words: int = 4
    """A clause this long that asks nothing is context even without "I" or "we"."""
    antecedent_split: str
    """Where a context clause splits into the things it names."""
    askers_time: str
    """When the asker does something, which is not what they name ("next month")."""
    referring: str
    """A question that points back at its context ("when is it?")."""
    reason: str = Field(min_length=3)


class LanguageVocabulary(BaseModel):
    """The normalisation part of a language file."""

    model_config = ConfigDict(extra="allow", frozen=True)
    stemmer: str = "english"
    """The Snowball algorithm for the language's words."""
    keep_marks: str = ""
    """Letters whose diacritic is part of the letter, not an accent to fold away (Russian й)."""
    max_stem: int | None = Field(default=None, ge=3)
    """Stems of ordinary words cut to this many letters: for a language whose stemmer leaves
    many forms of one word apart (Russian "возглавил" / "возглавляет"). The forms the phrases
    and synonyms give ("торговлялюдьми") are kept whole."""
    inflected: bool = False
    """A language of many forms of each word (Russian), whose phrases name whole forms. The
    matcher counts its phrasings' misspellings in the words as written too, reads an unknown
    form of a known stem as the closest known form of the same word, and a slip as close to two
    known words as the one more phrasings use (`matching.Matcher`); English keeps its reading."""
    phrases: tuple[_Phrase, ...]
    synonyms: tuple[_Synonyms, ...]
    stopwords: _StopWords
    context: ContextRules | None = None
    """None: the whole message is read as the question."""


def load_vocabulary(path: Path = LANGUAGE_FILE) -> LanguageVocabulary:
    """A language file's vocabulary, validated (every pattern must compile)."""
    vocabulary = LanguageVocabulary.model_validate(read_yaml(path))
    for phrase in vocabulary.phrases:
        re.compile(phrase.pattern)
    if vocabulary.context is not None:
        for name, value in vocabulary.context:
            if isinstance(value, str) and name != "reason":
                re.compile(value)
    snowballstemmer.stemmer(vocabulary.stemmer)  # an unknown algorithm fails here
    return vocabulary


# Tokens that only say what kind of question it is: they count, but little. Every language
# file maps its own question words to these ("кто" -> who).
QUESTION_TOKENS = frozenset({"who", "when", "where", "howmany", "whatis"})

_TOKEN_RE = re.compile(r"[^\W_]+|%", re.UNICODE)

_PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d[\d ()./-]{4,}\d(?!\w)")
PHONE_DIGITS = 7
"""A run of digit groups with at least this many digits is a phone number: one token, so
"0000" does not match "011 785 0000" and "0 800 77777" matches "080077777"."""


_DATE_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")


def _join_phone_number(found: re.Match[str]) -> str:
    run = found.group(0)
    digits = "".join(ch for ch in run if ch.isdigit())
    if len(digits) < PHONE_DIGITS or _DATE_RE.fullmatch(run.strip()):  # "30.07.2024"
        return run
    return f" {digits} "


class Normaliser:
    """One language's normalisation: its file's phrases, synonyms, stop words and stemmer."""

    def __init__(self, code: str, path: Path | None = None) -> None:
        self.code = code
        vocabulary = load_vocabulary(path or LANGUAGE_DIR / f"{code}.yaml")
        self._phrase_res = tuple(
            (compiled, p.to, required_literals(compiled))
            for p in vocabulary.phrases
            for compiled in [re.compile(p.pattern)]
        )
        self._literals = LiteralFinder(
            literal for _, _, found in self._phrase_res for literal in found or ()
        )
        self._always_run = frozenset(
            i for i, (_, _, found) in enumerate(self._phrase_res) if not found
        )
        patterns_needing: dict[str, set[int]] = {}
        for index, (_, _, found) in enumerate(self._phrase_res):
            for literal in found or ():
                patterns_needing.setdefault(literal, set()).add(index)
        self._patterns_needing = {k: frozenset(v) for k, v in patterns_needing.items()}
        self._synonyms = {word: group.to for group in vocabulary.synonyms for word in group.words}
        self._stopwords = frozenset(vocabulary.stopwords.words)
        self.stemmer = snowballstemmer.stemmer(vocabulary.stemmer)
        self._keep = frozenset(vocabulary.keep_marks)
        self._max_stem = vocabulary.max_stem
        self.inflected = vocabulary.inflected
        self._canonical = frozenset(
            {group.to for group in vocabulary.synonyms}
            | {w for phrase in vocabulary.phrases for w in phrase.to.split() if "\\" not in w}
        )
        self.word_tokens = lru_cache(maxsize=65536)(self._word_tokens)
        self._context = None if vocabulary.context is None else _Context(vocabulary.context)

    def fold(self, text: str) -> str:
        """`fold`, keeping the letters the language's file says are letters, not accents."""
        return fold(text, self._keep)

    def expand_phrases(self, folded: str) -> str:
        """Apply the multi-word expressions to already folded text."""
        text = f" {_PHONE_RE.sub(_join_phone_number, folded)} "
        runnable = self._runnable(text, after=-1)
        while runnable:
            index = runnable.pop()
            pattern, replacement, _ = self._phrase_res[index]
            replaced = pattern.sub(replacement, text)
            if replaced != text:
                text = replaced
                runnable = self._runnable(text, after=index)
        return text

    def _runnable(self, text: str, after: int) -> list[int]:
        """The phrase patterns after the `after`-th that may match `text`, the next one last:
        a pattern none of whose required strings is in the text cannot match, so it is not
        run (`regex_literals`)."""
        found = self._always_run.union(
            *map(self._patterns_needing.__getitem__, self._literals.found_in(text))
        )
        return sorted((i for i in found if i > after), reverse=True)

    def words(self, text: str) -> list[str]:
        """The folded words of a text, before synonyms (used to build the typo vocabulary)."""
        return _TOKEN_RE.findall(self.fold(text).replace("-", " "))

    def _word_tokens(self, word: str) -> str | None:
        """One word to its token: synonym, then stop word filter, then stem (None = dropped)."""
        word = self._synonyms.get(word, word)
        if word in self._stopwords or (len(word) == 1 and word.isalpha()):  # "Feridun H. ..."
            return None
        if word in QUESTION_TOKENS or word == "%" or word.isascii() != (self.code == "en"):
            return word  # a word of another script is a name: kept as written
        if len(word) <= 3 or word.isdigit():
            return word
        stem: str = self.stemmer.stemWord(word)
        if self._max_stem is not None and word not in self._canonical:
            return stem[: self._max_stem]
        return stem

    def phrase_words(self, text: str) -> list[str]:
        """Folded text after the multi-word expressions, split into words."""
        expanded = self.expand_phrases(self.fold(text))
        expanded = re.sub(r"(?<=\w)-(?=\w)|[-/]", " ", expanded)
        return _TOKEN_RE.findall(expanded)

    def tokens(self, text: str) -> list[str]:
        """The content tokens of a text, in order, duplicates removed."""
        seen: dict[str, None] = {}
        for word in self.phrase_words(text):
            token = self.word_tokens(word)
            if token is not None:
                seen.setdefault(token, None)
        return list(seen)

    # A message that mixes its question with clauses giving only its context ("When is the
    # EU day? Our NGO is planning a campaign"), by the language file's `context` rules.

    def split_context(self, text: str) -> tuple[str, str] | None:
        """(context, question) of a message that has both: the clauses that only give the
        asker's context ("I'm writing an essay on international law"), and the rest ("What's
        the date of the World Day? I want to organise an event at my school" asks for the
        date). None when no clause can be left out (one clause, or every clause is context),
        or the language has no context rules."""
        rules = self._context
        if rules is None:
            return None
        clauses = [c for c in rules.clause_split.split(self.fold(text).strip()) if c and c.strip()]
        if len(clauses) < 2:
            return None
        kept = [c for c in clauses if not rules.is_context(c)]
        if len(kept) == len(clauses) or not any(rules.asking.search(c) for c in kept):
            return None
        return " ".join(c for c in clauses if c not in kept), " ".join(kept)

    def antecedents(self, context: str) -> list[str]:
        """The parts of a context clause that may name what "it" refers to, the nearest (last)
        first: the parts between its "and", "about", "for", "at", ... ("I'm writing an essay
        on international law and keep seeing the Palermo Protocol mentioned")."""
        rules = self._context
        if rules is None:
            return []
        named = rules.askers_time.sub(" ", self.expand_phrases(self.fold(context)))
        parts = [p for p in rules.antecedent_split.split(named) if self.tokens(p)]
        return parts[::-1]

    def refers_back(self, question: str) -> bool:
        """Whether a question points back at its context ("when is it?", "what do they do?"):
        it is then not a whole question on its own."""
        rules = self._context
        return rules is not None and bool(rules.referring.search(self.fold(question)))


class _Context:
    """A language's context rules, compiled."""

    def __init__(self, rules: ContextRules) -> None:
        self.clause_split = re.compile(rules.clause_split)
        self.opener = re.compile(rules.opener)
        self.asking = re.compile(rules.asking)
        self.min_statement_words = rules.min_statement_words
        self.antecedent_split = re.compile(rules.antecedent_split)
        self.askers_time = re.compile(rules.askers_time)
        self.referring = re.compile(rules.referring)

    def is_context(self, clause: str) -> bool:
        """A clause that asks nothing and either opens with the asker ("I'm a student") or is
        a statement of some length ("The acronym came up in a report I was reading")."""
        clause = clause.strip().strip("\"'")
        if self.asking.search(clause):
            return False
        return bool(self.opener.match(clause)) or len(clause.split()) >= self.min_statement_words


_NORMALISERS: dict[str, Normaliser] = {}


def normaliser(code: str) -> Normaliser:
    """The normaliser of one of LANGUAGES, loaded once."""
    if code not in _NORMALISERS:
        if code not in LANGUAGES:
            raise ValueError(f"no language file for {code!r}")
        _NORMALISERS[code] = Normaliser(code)
    return _NORMALISERS[code]


ENGLISH = normaliser("en")
expand_phrases = ENGLISH.expand_phrases
words = ENGLISH.words
word_tokens = ENGLISH.word_tokens
phrase_words = ENGLISH.phrase_words
tokens = ENGLISH.tokens
split_context = ENGLISH.split_context
antecedents = ENGLISH.antecedents
refers_back = ENGLISH.refers_back


OTHER_BODY_TOKENS = frozenset(
    {"un", "nato", "eu", "coe", "interpol", "europol", "unicef", "ilo", "iom", "unhcr", "unodc"}
    | {"ohchr", "unesco", "imf", "oecd", "wto", "asean", "fifa", "uefa", "commiss"}
)
"""The tokens of other organisations' names ("eu", "coe", "ilo")."""
GENERIC_ABOUT_TOKENS = frozenset(
    {"establish", "head", "member", "current", "list", "first", "former"}
)
"""Generic words that, with only another organisation's name, still ask about that organisation
("when was the EU founded", "who heads the ILO")."""


def about_another_body(found: Sequence[str]) -> bool:
    """Whether tokens ask only about another organisation itself: its name, and nothing but
    question words and generic words ("what is the Council of Europe", "when was the EU
    founded"), not something of it ("the EU day", "the Council of Europe Convention")."""
    content = set(found) - QUESTION_TOKENS - GENERIC_ABOUT_TOKENS
    return bool(content) and content <= OTHER_BODY_TOKENS


def slug(text: str) -> str:
    """An id-safe form of a name: "Mission to Skopje" -> "mission-to-skopje"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
