"""The one core call every front end makes: a question and today's date in, a `Reply` out.

`Responder` owns the knowledge base, its entries and the matcher. It checks membership
questions against the complete lists of participating States and Partners first (so that a
country in neither list gets a correct "no" instead of a guess), then matches, then renders.
It knows nothing of Telegram, the clock or the environment.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.answerability import asks_later, missing_detail
from bot.answers import (
    EMPTY_TEXT,
    FALLBACK_TEXT,
    Reply,
    Suggestion,
)
from bot.build_cache import BuildCache
from bot.deciding import CLARIFY_SCORE, Candidate, Match
from bot.distress import CrossLingualIndex, DistressClassifier
from bot.entries import Entry, build_entries
from bot.i18n import INTERFACE_LANGUAGES, N_, SOURCE_LANGUAGE, translations
from bot.knowledge import KnowledgeBase
from bot.languages import (
    ANSWERED,
    LANGUAGE_MARK,
    Localised,
    other_language_text,
    reading_language,
    script_of,
)
from bot.matching import Matcher
from bot.membership import Membership, country_places, membership_ids
from bot.rendering import MORE_PREFIX, SOURCES_PREFIX, Renderer, suggestion
from bot.safety import detect_risk
from bot.safety_reply import HELP_OVERVIEW, SafetyReplies, is_safety_intent
from bot.text import tokens

MAX_QUERY_CHARS = 500
"""Longer messages are matched on their first characters only (no question is that long)."""
CROSS_LINGUAL_CHOICES = 3
CROSS_LINGUAL_FLOOR = 0.35
"""Cosine similarity from which an English question is offered to a message in another
language (measured on translated questions: see the README)."""
NO_QUOTE = N_("I have no quote for that.")
STARTER_INTENTS = (
    "role-special-representative-current",
    "awareness-days",
    "help-numbers",
)
"""Offered when nothing matched: what most people come for."""

_GREETING_RE = re.compile(
    r"^\s*(?:hi|hello|hey|hallo|greetings|dear bot|good (?:morning|afternoon|evening))"
    r"\b[\s,!.:;-]*",
    re.IGNORECASE,
)


class Responder:
    """Answers questions from one knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        classifier: DistressClassifier | None = None,
        cache: BuildCache | None = None,
    ) -> None:
        """`cache`: where the matchers are kept between starts (`build_cache`); None: built
        afresh."""
        self.kb = kb
        self.cache = cache
        self.classifier = classifier
        """Hears distress the rules miss, in many languages; None: the rules alone."""
        self.safety = SafetyReplies(kb)
        self.entries = build_entries(kb)
        self._by_id = {entry.id: entry for entry in self.entries}
        for entry in self.entries:  # a merged entry's old ids still lead to its answer
            for alias in entry.aliases:
                self._by_id.setdefault(alias, entry)
        # Membership is answered only from the lists (`Membership`): left in the matcher, a
        # country name alone would pull "who is the president of France?" to France's entry.
        places = [
            *(op.place for op in kb.field_operations),
            *(institution.place for institution in kb.institutions),
            *(state.name for state in kb.participating_states),
            *(partner.name for partner in kb.partners),
        ]
        self.matcher = Matcher(
            [e for e in self.entries if e.id not in membership_ids(kb)], places, cache=cache
        )
        self._membership = Membership(kb, self._by_id, self.matcher.vocabulary)
        quote_ids = {q.id for q in kb.quotes}
        self._quote_matcher = Matcher(
            [e for e in self.entries if e.record in quote_ids and e.generated],
            cache=cache,
            name="quotes",
        )
        self._cross_lingual = (
            None
            if classifier is None
            else CrossLingualIndex(
                classifier.encoder,
                [(e.id, e.title) for e in self.entries if e.kind == "answer"],
            )
        )
        self._places = {language: country_places(kb, language) for language in INTERFACE_LANGUAGES}
        self._localised: dict[str, Localised] = {
            language: Localised(kb, language, cache)
            for language in INTERFACE_LANGUAGES
            if language != SOURCE_LANGUAGE
        }
        self._renderer = Renderer(kb, self._entries_by_id)

    def languages(self) -> tuple[str, ...]:
        """The languages other than English that the bot answers in."""
        return tuple(self._localised)

    def matcher_for(self, language: str) -> Matcher:
        """The matcher of one language (English: `matcher`)."""
        localised = self._localised.get(language)
        return self.matcher if localised is None else localised.matcher

    def _entries_by_id(self, language: str) -> dict[str, Entry]:
        localised = self._localised.get(language)
        return self._by_id if localised is None else localised.by_id

    def entry(self, intent: str, language: str = SOURCE_LANGUAGE) -> Entry | None:
        """The entry with this id, if there is one."""
        return self._entries_by_id(language).get(intent)

    def reply(
        self,
        text: str,
        today: dt.date,
        *,
        user_language: str | None = None,
        public: bool = False,
    ) -> Reply:
        """Answer one free-text question; a message that may come from someone in danger, or
        be about someone in danger, gets help first (kind "safety"): in the sender's language
        (`user_language` is their Telegram setting, used when the text does not tell), and in
        its short public form in a group (`public`)."""
        language = reading_language(text, user_language)
        if language in self._localised:
            answer = self._answer_in(text, today, language)
        elif language == SOURCE_LANGUAGE or script_of(text) == "latin":
            # a few words in Latin letters can look like another language ("no", "die"): the
            # English answer stands when there is one
            answer = self._answer(text, today)
            if language != SOURCE_LANGUAGE and answer.kind not in ANSWERED:
                answer = self._other_language(text, language)
        else:
            answer = self._other_language(text, language)
        asks_numbers = answer.kind not in ANSWERED and self.safety.asks_for_numbers(text)
        unread = language not in (SOURCE_LANGUAGE, *self._localised)
        if asks_numbers and unread and script_of(text) != "latin":
            # "гаряча лінія в Україні", or "Україна" after "tell me which country you are
            # in": the safety reply has the country's numbers in the person's own language.
            # (In Latin letters the language is a guess: "hotline in Türkiye" is English.)
            return self.safety.reply(text, answer, user_language=user_language, public=public)
        overview = self.entry(HELP_OVERVIEW, answer.language)
        for_country = self.safety.country_help(
            text,
            answer,
            today,
            self.matcher_for(answer.language).language.tokens,
            overview,
            None if overview is None else suggestion(overview, answer.language),
        )  # "the hotline in Germany", or only "Germany": that country's numbers
        if for_country is not None:
            answer = for_country
        elif asks_numbers:  # "Notrufnummer Deutschland", read as English
            return self.safety.reply(text, answer, user_language=user_language, public=public)
        if detect_risk(text) is None and not self._sounds_like_distress(text):
            return answer
        return self.safety.reply(text, answer, user_language=user_language, public=public)

    def _sounds_like_distress(self, text: str) -> bool:
        return self.classifier is not None and self.classifier.is_distress(text)

    def _answer(self, text: str, today: dt.date) -> Reply:
        query = text[:MAX_QUERY_CHARS]
        if not any(ch.isalnum() for ch in query):  # blank, emoji, punctuation, control chars
            return self._fallback(text, Match("fallback", ()), body=EMPTY_TEXT)
        remainder = _GREETING_RE.sub("", query, count=1)
        if remainder.strip() and tokens(remainder):
            query = remainder  # "hi, who is the SG?" is a question, not a greeting
        membership = self._membership.entry(query)
        if membership is not None:
            return self._renderer.render(text, membership, 100.0, today)
        match = self.matcher.match(query)
        if (
            match.kind == "answer"
            and match.entry is not None
            and asks_later(query, match.entry, today)
        ):
            # "who will chair the OSCE in 2027": what holds now does not answer a later year
            match = Match("clarify", match.candidates)
        if match.kind == "answer" and match.entry is not None:
            detail = missing_detail(query, match.entry, today, places=self._places["en"])
            if detail is not None:
                return self._renderer.missing(text, match.entry, match.score, detail)
        if match.kind in ("answer", "smalltalk") and match.entry is not None:
            return self._renderer.render(text, match.entry, match.score, today, asked=query)
        if match.kind == "clarify":
            return Reply(
                query=text,
                kind="clarify",
                intent=None,
                score=match.score,
                body="",
                suggestions=tuple(suggestion(c.entry) for c in match.candidates),
            )
        return self._fallback(text, match)

    def _answer_in(self, text: str, today: dt.date, language: str) -> Reply:
        """`_answer` in another language than English: its own entries and matcher."""
        query = text[:MAX_QUERY_CHARS]
        if not any(ch.isalnum() for ch in query):
            return self._fallback(text, Match("fallback", ()), body=EMPTY_TEXT, language=language)
        match = self._localised[language].matcher.match(query)
        if match.kind == "answer" and match.entry is not None:
            detail = missing_detail(
                query, match.entry, today, language, self._places.get(language, ())
            )
            if detail is not None:
                return self._renderer.missing(text, match.entry, match.score, detail, language)
        if match.kind in ("answer", "smalltalk") and match.entry is not None:
            return self._renderer.render(
                text, match.entry, match.score, today, asked=query, language=language
            )
        if match.kind == "clarify":
            return Reply(
                query=text,
                kind="clarify",
                intent=None,
                score=match.score,
                body="",
                suggestions=tuple(suggestion(c.entry, language) for c in match.candidates),
                language=language,
            )
        return self._fallback(text, match, language=language)

    def _other_language(self, text: str, language: str) -> Reply:
        """A message in a language the bot cannot read: say so in that language where the
        safety texts have it (with the emergency line), and in English and Russian; offer the
        English entries closest in meaning when the multilingual encoder is there."""
        close: tuple[Suggestion, ...] = ()
        if self._cross_lingual is not None:
            found = self._cross_lingual.nearest(
                text[:MAX_QUERY_CHARS], CROSS_LINGUAL_CHOICES, CROSS_LINGUAL_FLOOR
            )
            close = tuple(suggestion(self._by_id[i]) for i in found)
        return Reply(
            query=text,
            kind="fallback",
            intent=None,
            score=0.0,
            body=other_language_text(self.kb, language),
            suggestions=close or self.starters(),
        )

    def reply_to_intent(self, intent: str, today: dt.date, query: str = "") -> Reply | None:
        """The answer of a known entry (for buttons and deep links); None if there is none.
        An intent marked with a language ("ru~day-eu-day") is answered in that language."""
        if is_safety_intent(intent):
            return self.safety.reply_to_intent(intent)
        language, mark, rest = intent.partition(LANGUAGE_MARK)
        if mark:
            if language not in self._localised:
                return None
            intent = rest
        else:
            language = SOURCE_LANGUAGE
        if intent.startswith(SOURCES_PREFIX):
            return self._renderer.sources_page(intent[len(SOURCES_PREFIX) :], language)
        if intent.startswith(MORE_PREFIX):
            return self._renderer.more_page(intent[len(MORE_PREFIX) :], today, language)
        entry = self._entries_by_id(language).get(intent)
        if entry is None:
            return None
        return self._renderer.render(query or entry.title, entry, 100.0, today, language=language)

    def render(
        self, query: str, entry: Entry, score: float, today: dt.date, **options: str
    ) -> Reply:
        """An entry's reply (`rendering.Renderer.render`)."""
        return self._renderer.render(query, entry, score, today, **options)

    def quote(self, query: str, today: dt.date) -> Reply:
        """/quote: the best quote for a speaker or topic, in the query's language (English
        or Russian); the most recent one without a query."""
        if not query.strip():
            if not self.kb.quotes:
                return self._fallback(query, Match("fallback", ()), body=NO_QUOTE)
            latest = max(self.kb.quotes, key=lambda q: q.date)
            return self._renderer.render(query, self._by_id[latest.id], 100.0, today)
        query = query[:MAX_QUERY_CHARS]
        language = reading_language(query)
        localised = self._localised.get(language)
        matcher = self._quote_matcher if localised is None else localised.quote_matcher
        language = SOURCE_LANGUAGE if localised is None else language
        known = matcher.vocabulary
        ranked = matcher.rank(f"quote {query}" if localised is None else query)
        if (
            not ranked
            or ranked[0].score < CLARIFY_SCORE
            or not any(t in known for t in matcher.language.tokens(query))
        ):
            _ = translations(language).gettext
            speakers = sorted({q.in_language(language).speaker for q in self.kb.quotes})
            body = f"{_(NO_QUOTE)} " + _("Speakers I can quote: {names}.").format(
                names=", ".join(speakers)
            )
            return self._fallback(query, Match("fallback", ()), body=body, language=language)
        return self._renderer.render(
            query, ranked[0].entry, ranked[0].score, today, language=language
        )

    def starters(self, language: str = SOURCE_LANGUAGE) -> tuple[Suggestion, ...]:
        """Questions to offer when nothing matched."""
        by_id = self._entries_by_id(language)
        chosen = [by_id[i] for i in STARTER_INTENTS if i in by_id]
        if not chosen:
            chosen = [e for e in by_id.values() if e.kind == "answer"][:3]
        return tuple(suggestion(e, language) for e in chosen)

    def _fallback(
        self,
        query: str,
        match: Match,
        body: str = FALLBACK_TEXT,
        language: str = SOURCE_LANGUAGE,
    ) -> Reply:
        weak = tuple(suggestion(c.entry, language) for c in match.candidates if _offerable(c))
        return Reply(
            query=query,
            kind="fallback",
            intent=None,
            score=match.score,
            body=translations(language).gettext(body),
            suggestions=weak or self.starters(language),
            language=language,
        )


def _offerable(candidate: Candidate) -> bool:
    return candidate.entry.kind == "answer"
