"""The one core call every front end makes: a question and today's date in, a `Reply` out.

`Responder` owns the knowledge base, its entries and the matcher. It checks membership
questions against the complete lists of participating States and Partners first (so that a
country in neither list gets a correct "no" instead of a guess), then matches, then renders.
It knows nothing of Telegram, the clock or the environment.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.answerability import missing_detail
from bot.answers import (
    EMPTY_TEXT,
    ENGLISH_ONLY_TEXT,
    FALLBACK_TEXT,
    Reply,
    SourceRef,
    Suggestion,
)
from bot.awareness import upcoming
from bot.dates import countdown, format_date, is_stale
from bot.distress import DistressClassifier
from bot.entries import Entry, build_entries, not_listed_entry, proclaimer
from bot.knowledge import KnowledgeBase
from bot.matching import CLARIFY_SCORE, Candidate, Match, Matcher
from bot.safety import detect_risk
from bot.safety_reply import SafetyReplies, is_safety_intent
from bot.schema import SOURCE_RANK, Source
from bot.text import QUESTION_TOKENS, fold, mostly_non_latin, tokens

MAX_QUERY_CHARS = 500
"""Longer messages are matched on their first characters only (no question is that long)."""
MAX_RELATED = 3
NO_QUOTE = "I have no quote for that."
STARTER_INTENTS = (
    "role-special-representative-current",
    "awareness-days",
    "help-numbers",
)
"""Offered when nothing matched: what most people come for."""

_NAME = r"(?P<name>[^\W\d_][\w .'’-]{0,60}?)"
_OSCE = r"(?:the\s+)?(?:osce|organi[sz]ation\s+for\s+security\s+and\s+co-?operation\s+in\s+europe)"
_ADVERB = r"(?:(?:still|really|already|also|even|actually|now)\s+)?"
_MEMBERSHIP_RES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"^(?:is|are)\s+{_NAME}\s+{_ADVERB}(?:an?\s+|one\s+of\s+the\s+)?(?:osce\s+)?"
        rf"(?:participating\s+(?:states?|countr(?:y|ies))|members?(?:\s+(?:states?|countr(?:y|ies)))?"
        rf"|partners?)(?:\s+(?:of|in)\s+{_OSCE})?(?:\s+yet)?$",
        rf"^(?:is|are)\s+{_NAME}\s+{_ADVERB}(?:in|part\s+of|inside|within|a\s+part\s+of)\s+{_OSCE}$",
        rf"^(?:does|do)\s+{_NAME}\s+{_ADVERB}(?:belong\s+to|take\s+part\s+in|participate\s+in)"
        rf"\s+{_OSCE}$",
        rf"^(?:has|have|did)\s+{_NAME}\s+{_ADVERB}join(?:ed)?\s+{_OSCE}$",
        rf"^{_NAME}\s*[,:-]?\s*(?:osce\s+)?(?:membership|member|participating\s+state)$",
    )
)
# A named country plus one of these, in a question that mentions the OSCE, asks about its
# membership however the rest is worded ("does turkey take part in the osce").
_MEMBERSHIP_CUE_RE = re.compile(
    r"\bmember(?:s|ship)?\b|\bparticipating (?:state|countr|nation)|\bpartners?\b|\bbelongs?\b"
    r"|\bjoin(?:ed|s)?\b|\btak(?:e|es|ing) part\b|\bparticipates?\b|\bseat\b|\bcounted\b"
    r"|\bamong\b|\binclud(?:e|es|ed|ing)\b|\blisted\b|\brelationship\b|\brelations\b"
    r"|\bstatus\b|\blinks?\b|\bties\b|\bpart of\b"
    r"|\b(?:in|inside|within|into|out of|left|leave) (?:the )?osce\b|\bosce (?:state|countr)"
)
_OSCE_MENTION_RE = re.compile(
    r"\bosce\b|\bcsce\b|\bparticipating (?:state|countr)|\bpartners? for co-?operation\b"
)
# Words that make a country question about something else (its mission, its Chair, a date).
_NOT_MEMBERSHIP_RE = re.compile(
    r"\b(?:mission|office|presence|centre|center|co-?ordinator|chair\w*"
    r"|minister|hotline|number|day|convention|protocol|report|conference|alliance|greta"
    r"|directive|decision|deport\w*|refugees?|victims?|children|how many)\b"
)
_WHEN_RE = re.compile(r"\b(?:when|since|year|date)\b")
# "US" is a country only in capitals or after "the"; lower-case "us" is a pronoun.
_US_RE = re.compile(r"\bU\.S\.(?:A\.)?|\bUSA?\b|\b[Tt]he\s+[Uu][Ss]\b")
MAX_COUNTRY_WORDS = 8
MIN_SLIP_NAME = 5
"""A country name this long is recognised with one slip (a swap, a missing or wrong letter)."""
MIN_DEMONYM_PREFIX = 4
_GREETING_RE = re.compile(
    r"^\s*(?:hi|hello|hey|hallo|greetings|dear bot|good (?:morning|afternoon|evening))"
    r"\b[\s,!.:;-]*",
    re.IGNORECASE,
)
_NAME_MATCH_CUTOFF = 88.0
MAX_NAME_WORDS = 4


MISSING_TEXT = "I don't have {detail} in my sources. Here is what I know about {topic}:"
SOURCES_PREFIX = "sources:"
"""Button data of the page that lists every source of an entry."""
SOURCES_BUTTON = "Sources"
MORE_PREFIX = "more:"
"""Button data of the page with an entry's further detail."""
MORE_BUTTON = "More"


def _asks_for_more(query: str, body: str, more: str) -> bool:
    """Whether the question names something only the "More" text has ("how many standards
    does the handbook have" when the count is in the detail)."""
    asked = set(tokens(query)) - QUESTION_TOKENS
    return bool(asked & set(tokens(more)) - set(tokens(body)))


def _date_key(source: Source) -> str:
    return source.date or ""


class Responder:
    """Answers questions from one knowledge base."""

    def __init__(self, kb: KnowledgeBase, classifier: DistressClassifier | None = None) -> None:
        self.kb = kb
        self.classifier = classifier
        """Hears distress the rules miss, in many languages; None: the rules alone."""
        self.safety = SafetyReplies(kb)
        self.entries = build_entries(kb)
        self._by_id = {entry.id: entry for entry in self.entries}
        for entry in self.entries:  # a merged entry's old ids still lead to its answer
            for alias in entry.aliases:
                self._by_id.setdefault(alias, entry)
        membership_ids = {f"member-{s.id}" for s in kb.participating_states} | {
            f"partner-{p.id}" for p in kb.partners
        }
        # Membership is answered only from the lists (`_membership`): left in the matcher, a
        # country name alone would pull "who is the president of France?" to France's entry.
        places = [
            *(op.place for op in kb.field_operations),
            *(institution.place for institution in kb.institutions),
            *(state.name for state in kb.participating_states),
            *(partner.name for partner in kb.partners),
        ]
        self.matcher = Matcher([e for e in self.entries if e.id not in membership_ids], places)
        self._country_entries: dict[str, Entry] = {}
        for state in kb.participating_states:
            for name in (state.name, *state.aliases):
                self._country_entries[_country_key(name)] = self._by_id[f"member-{state.id}"]
        for partner in kb.partners:
            for name in (partner.name, *partner.aliases):
                self._country_entries[_country_key(name)] = self._by_id[f"partner-{partner.id}"]
        self._country_keys = sorted(self._country_entries)
        self._host_countries = {_country_key(op.place.split(",")[-1]) for op in kb.field_operations}
        quote_ids = {q.id for q in kb.quotes}
        self._quote_matcher = Matcher(
            [e for e in self.entries if e.record in quote_ids and e.generated]
        )

    def entry(self, intent: str) -> Entry | None:
        """The entry with this id, if there is one."""
        return self._by_id.get(intent)

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
        answer = self._answer(text, today)
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
        membership = self._membership(query)
        if membership is not None:
            return self.render(text, membership, 100.0, today)
        match = self.matcher.match(query)
        if (
            match.kind == "answer"
            and match.entry is not None
            and _asks_later(query, match.entry, today)
        ):
            # "who will chair the OSCE in 2027": what holds now does not answer a later year
            match = Match("clarify", match.candidates)
        if match.kind == "answer" and match.entry is not None:
            detail = missing_detail(query, match.entry, today)
            if detail is not None:
                return self._missing(text, match.entry, match.score, detail)
        if match.kind in ("answer", "smalltalk") and match.entry is not None:
            return self.render(text, match.entry, match.score, today, asked=query)
        if match.kind == "clarify":
            return Reply(
                query=text,
                kind="clarify",
                intent=None,
                score=match.score,
                body="",
                suggestions=tuple(_suggestion(c.entry) for c in match.candidates),
            )
        if mostly_non_latin(query):  # "Кто специальный представитель?": say why, kindly
            return self._fallback(text, match, body=ENGLISH_ONLY_TEXT)
        return self._fallback(text, match)

    def reply_to_intent(self, intent: str, today: dt.date, query: str = "") -> Reply | None:
        """The answer of a known entry (for buttons and deep links); None if there is none."""
        if is_safety_intent(intent):
            return self.safety.reply_to_intent(intent)
        if intent.startswith(SOURCES_PREFIX):
            return self._sources_page(intent[len(SOURCES_PREFIX) :])
        if intent.startswith(MORE_PREFIX):
            return self._more_page(intent[len(MORE_PREFIX) :], today)
        entry = self._by_id.get(intent)
        return None if entry is None else self.render(query or entry.title, entry, 100.0, today)

    def render(
        self, query: str, entry: Entry, score: float, today: dt.date, *, asked: str = ""
    ) -> Reply:
        """An entry's answer with its sources (the primary publisher first; the rest behind a
        "Sources" button), "as of" date (flagged when over a year old) and related entries.
        `asked`: the question typed, whose words may call for the "More" text at once."""
        related = tuple(
            _suggestion(self._by_id[r])
            for r in entry.related
            if r in self._by_id and self._by_id[r].id != entry.id
        )[:MAX_RELATED]
        sources = self._ranked_sources(entry)
        body = entry.body(today)
        if entry.more and asked and _asks_for_more(asked, body, entry.more):
            body = f"{body} {entry.more}"  # what was asked is in the detail: say it at once
        elif entry.more:
            related = (Suggestion(f"{MORE_PREFIX}{entry.id}", MORE_BUTTON), *related)
        if len(sources) > 1 and not entry.compact_sources:
            related += (Suggestion(f"{SOURCES_PREFIX}{entry.id}", SOURCES_BUTTON),)
        return Reply(
            query=query,
            kind="smalltalk" if entry.kind == "smalltalk" else "answer",
            intent=None if entry.kind == "smalltalk" else entry.id,
            score=score,
            body=body,
            sources=sources,
            as_of=entry.as_of,
            stale=entry.as_of is not None and is_stale(entry.as_of, today),
            related=related,
            sources_label="Sources" if entry.compact_sources else None,
        )

    def _ranked_sources(self, entry: Entry) -> tuple[SourceRef, ...]:
        """An entry's sources, primary publishers first, then the most recent."""
        found = sorted((self.kb.sources[s] for s in entry.sources), key=_date_key, reverse=True)
        found.sort(key=lambda source: SOURCE_RANK[source.kind])
        return tuple(SourceRef.of(s) for s in found)

    def _more_page(self, intent: str, today: dt.date) -> Reply | None:
        """An entry's further detail (the "More" button), with its source line."""
        entry = self._by_id.get(intent)
        if entry is None or not entry.more:
            return None
        reply = self.render(entry.title, replace(entry, more=None), 100.0, today)
        return replace(reply, body=entry.more)

    def _missing(self, text: str, entry: Entry, score: float, detail: str) -> Reply:
        """The topic is known, the detail asked is not: say so, and offer what is known."""
        return Reply(
            query=text,
            kind="missing",
            intent=None,
            score=score,
            body=MISSING_TEXT.format(detail=detail, topic=entry.button_label),
            sources=self._ranked_sources(entry)[:1],
            suggestions=(_suggestion(entry),),
        )

    def _sources_page(self, intent: str) -> Reply | None:
        """Every source of one entry, in full (the "Sources" button)."""
        entry = self._by_id.get(intent)
        if entry is None or not entry.sources:
            return None
        return Reply(
            query="",
            kind="answer",
            intent=entry.id,
            score=100.0,
            body=f"Sources of “{entry.title}”:",
            sources=self._ranked_sources(entry),
            list_sources=True,
        )

    def quote(self, query: str, today: dt.date) -> Reply:
        """/quote: the best quote for a speaker or topic; the most recent one without a query."""
        if not query.strip():
            if not self.kb.quotes:
                return self._fallback(query, Match("fallback", ()), body=NO_QUOTE)
            latest = max(self.kb.quotes, key=lambda q: q.date)
            return self.render(query, self._by_id[latest.id], 100.0, today)
        query = query[:MAX_QUERY_CHARS]
        known = self._quote_matcher.vocabulary
        ranked = self._quote_matcher.rank(f"quote {query}")
        if (
            not ranked
            or ranked[0].score < CLARIFY_SCORE
            or not any(t in known for t in tokens(query))
        ):
            speakers = sorted({q.speaker for q in self.kb.quotes})
            body = f"{NO_QUOTE} Speakers I can quote: {', '.join(speakers)}."
            return self._fallback(query, Match("fallback", ()), body=body)
        return self.render(query, ranked[0].entry, ranked[0].score, today)

    def days(self, today: dt.date, limit: int) -> Reply:
        """/days: the next `limit` awareness days with countdowns, each with its origin."""
        items = upcoming(self.kb.awareness_days, today, limit)
        lines = []
        for item in items:
            origin = item.day.origin
            first = f", first observed {origin.first_observed}" if origin.first_observed else ""
            lines.append(
                f"{format_date(item.date)} ({countdown(item.days_until)}): "
                f"{item.day.name['en']}. Proclaimed by {proclaimer(origin.proclaimed_by)}{first}."
            )
        sources = tuple(dict.fromkeys(s for item in items for s in item.day.sources))
        return Reply(
            query=f"/days {limit}",
            kind="answer",
            intent="awareness-days",
            score=100.0,
            body="Awareness days coming up:\n" + "\n".join(lines),
            sources=tuple(SourceRef.of(self.kb.sources[s]) for s in sources),
        )

    def starters(self) -> tuple[Suggestion, ...]:
        """Questions to offer when nothing matched."""
        chosen = [self._by_id[i] for i in STARTER_INTENTS if i in self._by_id]
        if not chosen:
            chosen = [e for e in self.entries if e.kind == "answer"][:3]
        return tuple(_suggestion(e) for e in chosen)

    def _fallback(self, query: str, match: Match, body: str = FALLBACK_TEXT) -> Reply:
        weak = tuple(_suggestion(c.entry) for c in match.candidates if _offerable(c))
        return Reply(
            query=query,
            kind="fallback",
            intent=None,
            score=match.score,
            body=body,
            suggestions=weak or self.starters(),
        )

    def _membership(self, query: str) -> Entry | None:
        """A membership question about a named country, answered from the complete lists."""
        cleaned = " ".join(unicodedata.normalize("NFKC", query).split()).strip(" ?!.")
        for pattern in _MEMBERSHIP_RES:
            found = pattern.match(cleaned)
            if found is None:
                continue
            name = re.sub(r"^the\s+", "", found.group("name").strip(), flags=re.IGNORECASE)
            key = _country_key(name)
            if key in self._country_entries:
                return self._country_entries[key]
            close = process.extractOne(
                key,
                self._country_keys,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=_NAME_MATCH_CUTOFF,
            )
            if close is not None:
                return self._country_entries[close[0]]
            if len(key) >= MIN_SLIP_NAME:
                # "Cnaada": two letters swapped or one wrong, which the ratio scores too low
                # on a short name; never "not a participating State" for a mistyped one
                slipped = next(
                    (k for k in self._country_keys if OSA.distance(k, key, score_cutoff=1) <= 1),
                    None,
                )
                if slipped is not None:
                    return self._country_entries[slipped]
            people = self._country_of_people(key)
            if people is not None:
                return people
            if self._looks_like_a_country(name):
                return not_listed_entry(self.kb, name[:1].upper() + name[1:])
        return self._membership_by_cue(cleaned)

    def _membership_by_cue(self, query: str) -> Entry | None:
        """A listed country named in an OSCE membership question worded any other way."""
        text = fold(_US_RE.sub(" the United States ", query))
        if not _OSCE_MENTION_RE.search(text) or _NOT_MEMBERSHIP_RE.search(text):
            return None
        found = self._named_country(text)
        if found is None:
            return None
        entry, name = found
        if _WHEN_RE.search(text) and not entry.id.startswith("partner-"):
            return None  # "when did Mongolia join?": a history question, not a yes or no
        if _MEMBERSHIP_CUE_RE.search(text):
            return entry
        # "jordan and the osce": nothing asked but the country and the OSCE; "the osce in
        # albania" is its work there (a field operation), not its membership
        hosts = _country_key(name) in self._host_countries
        if hosts and re.search(rf"\bin (?:the )?{re.escape(name)}\b", text):
            return None
        rest = set(tokens(text)) - set(tokens(name)) - set(tokens("osce"))
        return entry if not rest else None

    def _named_country(self, text: str) -> tuple[Entry, str] | None:
        """The first participating State or Partner named in folded text, longest name first."""
        found_words = re.findall(r"[a-z]+", text.replace("-", " "))
        for start in range(len(found_words)):
            for size in range(min(MAX_COUNTRY_WORDS, len(found_words) - start), 0, -1):
                name = " ".join(found_words[start : start + size])
                if name == "north america":
                    break
                entry = self._country_entries.get(name)
                if entry is not None:
                    return entry, name
        return None

    def _country_of_people(self, key: str) -> Entry | None:
        """ "the Czechs", "Germans": a listed country whose name starts like the word."""
        if " " in key or len(key) < MIN_DEMONYM_PREFIX:
            return None
        for country in self._country_keys:
            first = country.split()[0]
            common = next(
                (i for i, (a, b) in enumerate(zip(key, first, strict=False)) if a != b),
                min(len(key), len(first)),
            )
            if common >= MIN_DEMONYM_PREFIX and common >= 0.7 * min(len(key), len(first)):
                return self._country_entries[country]
        return None

    def _looks_like_a_country(self, name: str) -> bool:
        """A short name made of words the knowledge base does not otherwise use."""
        name_words = name.split()
        if not 1 <= len(name_words) <= MAX_NAME_WORDS:
            return False
        if not all(w.replace("-", "").replace("'", "").isalpha() for w in name_words):
            return False
        known = self.matcher.vocabulary
        name_tokens = tokens(name)
        return bool(name_tokens) and not any(t in known for t in name_tokens)


def _asks_later(query: str, entry: Entry, today: dt.date) -> bool:
    """Whether a question names a year after this one while the entry says what holds now
    (it has an "as of" date) and nothing of that year."""
    if entry.as_of is None:
        return False
    named = {int(y) for y in re.findall(r"\b20\d\d\b", query)}
    said = set(re.findall(r"\b20\d\d\b", " ".join((entry.evidence, *entry.questions))))
    return any(year > today.year and str(year) not in said for year in named)


def _country_key(name: str) -> str:
    key = fold(name).replace("-", " ").strip()
    return re.sub(r"^the\s+", "", " ".join(key.split()))


def _suggestion(entry: Entry) -> Suggestion:
    return Suggestion(entry.id, entry.title, entry.button_label)


def _offerable(candidate: Candidate) -> bool:
    return candidate.entry.kind == "answer"
