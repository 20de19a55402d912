"""Membership questions ("Is Kazakhstan in the OSCE?"), answered from the complete lists.

A country named in a membership question gets the answer of its participating-State or
Partner entry, found by its name, a close spelling, a slip of one letter or the word for its
people; a country in neither list gets a correct "no" instead of a guess. Left to the matcher, a
country name alone would pull "who is the president of France?" to France's entry, so these
entries are answered only here. English wording; other languages match their membership
entries with their own matcher.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.answerability import Place
from bot.entries import Entry, not_listed_entry
from bot.knowledge import KnowledgeBase
from bot.schema import ParticipatingState, Partner
from bot.text import fold, normaliser, tokens

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
_NAME_MATCH_CUTOFF = 88.0
MAX_NAME_WORDS = 4


def membership_ids(kb: KnowledgeBase) -> set[str]:
    """The ids of the membership entries (answered here, not by the matcher)."""
    return {f"member-{s.id}" for s in kb.participating_states} | {
        f"partner-{p.id}" for p in kb.partners
    }


class Membership:
    """Finds the membership entry a question asks about, from the lists alone."""

    def __init__(
        self, kb: KnowledgeBase, by_id: Mapping[str, Entry], vocabulary: frozenset[str]
    ) -> None:
        """`vocabulary`: the matcher's tokens; a name made of none of them may be a country."""
        self.kb = kb
        self._vocabulary = vocabulary
        self._country_entries: dict[str, Entry] = {}
        for state in kb.participating_states:
            for name in (state.name, *state.aliases):
                self._country_entries[_country_key(name)] = by_id[f"member-{state.id}"]
        for partner in kb.partners:
            for name in (partner.name, *partner.aliases):
                self._country_entries[_country_key(name)] = by_id[f"partner-{partner.id}"]
        self._country_keys = sorted(self._country_entries)
        self._host_countries = {_country_key(op.place.split(",")[-1]) for op in kb.field_operations}

    def entry(self, query: str) -> Entry | None:
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
        return self._by_cue(cleaned)

    def _by_cue(self, query: str) -> Entry | None:
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
        known = self._vocabulary
        name_tokens = tokens(name)
        return bool(name_tokens) and not any(t in known for t in name_tokens)


def _country_key(name: str) -> str:
    key = fold(name).replace("-", " ").strip()
    return re.sub(r"^the\s+", "", " ".join(key.split()))


def country_places(kb: KnowledgeBase, language: str) -> tuple[Place, ...]:
    """The participating States and Partners as a question in `language` may name them (in
    Russian, by their Russian and their English names), for the answerability check."""
    tokens_of = normaliser(language).tokens
    places = []
    records: list[ParticipatingState | Partner] = [*kb.participating_states, *kb.partners]
    for record in records:
        local = record.in_language(language)
        names = {local.name, *local.aliases, record.name, *record.aliases}
        places.append(Place(local.name, tuple(frozenset(tokens_of(n)) for n in sorted(names))))
    return tuple(places)
