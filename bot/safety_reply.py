"""The reply to a message that may come from someone in danger, or be about someone in danger:
short enough to read on a phone, in the person's language, with the numbers that fit them.

In a private chat: 112 first; then the one or two hotline numbers of the country the message
names (else the country the sender's Telegram language suggests, else a request to name it);
then that it is not their fault and that this bot cannot report anything but these people can;
one short source line. Everything else sits behind buttons: every help number, how to hide
this chat, and the answer to their question if they also asked one. In a group the reply is
public, so it is only 112 and a button that opens a private chat with the bot.

Pure. The sentences come from `knowledge/safety/replies.yaml` (`SafetyGuide`), the numbers and
their sources from the help lines of `help.yaml`, so every number shown has a source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.answers import Reply, SourceRef, Suggestion
from bot.dates import is_stale
from bot.entry import Entry
from bot.i18n import N_, translations
from bot.knowledge import KnowledgeBase
from bot.language_id import identify, script_of
from bot.lookups import NOT_A_CASE
from bot.safety_guide import SafetyGuide, SafetyTexts
from bot.schema import HelpLine
from bot.text import fold
from bot.typos import slip_of

EN = "en"
INTENT_PREFIX = "safety-"
ALL_NUMBERS = "safety-all-"
HIDE_CHAT = "safety-hide-"
PRIVATE_HELP = "safety-help-"
NUMBERS_PER_COUNTRY = 2
MAX_COUNTRIES = 2
FALLBACK_TEXT = (
    "If you or someone else is in immediate danger, call 112 (the European emergency number) "
    "or the local emergency number."
)
_NOT_PER_COUNTRY = frozenset({"emergency", "missing_children"})
"""112 leads every reply anyway; 116 000 is for a missing child, not for every person in danger."""
_KIND_ORDER = ("hotline", "citizens_abroad", "other", "missing_children", "police", "emergency")
HELP_OVERVIEW = "help-numbers"
IN_DANGER = N_("In immediate danger, call 112 or the local emergency number.")
LINES_IN = N_("Help lines in {country}:")
NO_LINE_IN = N_("I have no anti-trafficking hotline for {country} in my sources.")


class SafetyReplies:
    """Builds safety replies from one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.guide: SafetyGuide | None = kb.safety_guide
        # every country's stems ("ukrain") and whole words ("uk"), as one expression run once
        # over a message (every message is looked at), longest first
        self._code_of: dict[str, str] = {}
        stems, words = set(), set()
        for code, country in (self.guide.countries if self.guide else {}).items():
            for stem in country.stems:
                self._code_of.setdefault(stem, code)
                stems.add(stem)
            for word in country.words:
                self._code_of.setdefault(word, code)
                words.add(word)
        self._help_words: dict[tuple[str, str], frozenset[str]] = {}
        self._asking = {
            code: frozenset(fold(word) for word in texts.asking)
            for code, texts in (self.guide.languages.items() if self.guide else ())
        }
        self._asking_any = frozenset().union(*self._asking.values())
        languages = self.guide.languages.values() if self.guide else ()
        counting = {fold(word) for texts in languages for word in texts.counting}
        self._counting = re.compile(r"(?<!\w)(?:" + _longest_first(counting) + r")(?!\w)")
        self._countries = re.compile(
            r"(?<!\w)(?:(" + _longest_first(stems) + r")|(" + _longest_first(words) + r")(?!\w))"
        )

    # --- the reply ----------------------------------------------------------------------

    def reply(
        self,
        query: str,
        normal: Reply,
        *,
        user_language: str | None = None,
        public: bool = False,
    ) -> Reply:
        """The safety reply to `query`; `normal` is what the bot would have answered."""
        language = self.language_of(query, user_language)
        answered = normal.kind == "answer" and normal.intent is not None
        if self.guide is None:
            return Reply(query, "safety", "help-numbers", 100.0, FALLBACK_TEXT)
        texts = self.guide.texts(language)
        if public:
            return Reply(
                query=query,
                kind="safety",
                intent=None,
                score=100.0,
                body=texts.group,
                deep_link=Suggestion(f"{PRIVATE_HELP}{language}", texts.group_button),
            )
        named = self.countries_in(query)
        countries = named or self.countries_of_language(user_language)
        lines = self.numbers_for(countries)
        buttons = [
            Suggestion(f"{ALL_NUMBERS}{language}", texts.all_numbers),
            Suggestion(f"{HIDE_CHAT}{language}", texts.delete_chat_button),
        ]
        if answered and normal.intent is not None:
            buttons.insert(0, Suggestion(normal.intent, texts.your_question))
        return Reply(
            query=query,
            kind="safety",
            intent=normal.intent if answered else "help-numbers",
            score=100.0,
            body=self._body(texts, language, countries, lines, named),
            sources=self._sources(lines),
            related=tuple(buttons),
            sources_label=texts.sources,
        )

    def _body(
        self,
        texts: SafetyTexts,
        language: str,
        countries: list[str],
        lines: list[HelpLine],
        named: list[str],
    ) -> str:
        """112, then each country's numbers; a country the message names without a line of
        its own is said to have none (never "tell me which country you are in")."""
        parts = [texts.emergency]
        for code in countries:
            own = [line for line in lines if code in line.countries]
            country = self.country_name(code, language)
            if own:
                numbers = (f"• {line.number}: {texts.kinds[line.kind]}" for line in own)
                parts.append("\n".join([texts.numbers.format(country=country), *numbers]))
            elif code in named:
                parts.append(texts.no_line.format(country=country))
        if len(parts) == 1:
            parts.append(texts.no_country)
        parts.append(f"{texts.not_to_blame} {texts.cannot_report}")
        return "\n\n".join(parts)

    def _sources(
        self, lines: list[HelpLine], *, emergency_first: bool = True
    ) -> tuple[SourceRef, ...]:
        emergency = [line for line in self.kb.help if line.kind == "emergency"][:1]
        ordered = [*emergency, *lines] if emergency_first else [*lines, *emergency]
        ids = dict.fromkeys(s for line in ordered for s in line.sources[:1])
        return tuple(SourceRef.of(self.kb.sources[s]) for s in ids if s in self.kb.sources)

    # --- a question about one country's numbers ---------------------------------------

    def country_help(
        self,
        query: str,
        normal: Reply,
        today: dt.date,
        content_words: Callable[[str], list[str]],
        overview: Entry | None,
        button: Suggestion | None,
    ) -> Reply | None:
        """The help lines of the country a message names, when it asks for help numbers ("the
        hotline in Germany": `normal` is the overview of every number, or the rest of the
        message has only words of the overview's own phrasings) or is only a country's name,
        as people answer the safety reply's "tell me which country you are in"; None
        otherwise (a question about one number, or how many calls a hotline took).
        `content_words` reads text in the message's language; `overview` is the entry listing
        every number, and `button` opens it."""
        if self.guide is None or normal.language not in (EN, "ru"):
            return None
        countries = self.countries_in(query)
        if not countries:
            return None
        asked = set(content_words(self._without(query, countries)))
        only_numbers = self.asks_for_numbers(query, normal.language)
        if self._counting.search(fold(query)) and not only_numbers:
            return None  # "how many victims in Ukraine" counts something; it asks for no number
        if not (
            (normal.kind == "answer" and normal.intent == HELP_OVERVIEW)
            or asked <= self._words_of(overview, normal.language, content_words)
            or only_numbers
        ):
            return None
        language = normal.language
        _ = translations(language).gettext
        parts = [_(IN_DANGER)]
        shown: list[HelpLine] = []
        for code in countries:
            own = [h for h in self.kb.help if code in h.countries and h.kind != "emergency"]
            own.sort(key=lambda line: _KIND_ORDER.index(line.kind))
            country = self.country_name(code, language)
            if not any(line.kind not in _NOT_PER_COUNTRY for line in own):
                parts.append(_(NO_LINE_IN).format(country=country))
            if own:
                rows = [f"• {h.number}: {h.name.get(language, h.name[EN])}" for h in own]
                parts.append("\n".join([_(LINES_IN).format(country=country), *rows]))
            shown += own
        parts.append(_(NOT_A_CASE))
        as_of = min((h.as_of for h in shown if h.as_of), default=None)
        buttons = (button,) if button is not None else ()
        # no line of the country's own: "I don't have that", never a confident answer
        known = any(line.kind not in _NOT_PER_COUNTRY for line in shown)
        return Reply(
            query=query,
            kind="answer" if known else "missing",
            intent=HELP_OVERVIEW if known else None,
            score=100.0,
            body="\n\n".join(parts),
            sources=self._sources(shown, emergency_first=False),
            as_of=as_of,
            stale=as_of is not None and is_stale(as_of, today),
            related=buttons if known else (),
            suggestions=() if known else buttons,
            language=language,
        )

    def asks_for_numbers(self, query: str, language: str | None = None) -> bool:
        """Whether a message only asks for a country's help numbers, in `language` (None: in
        any language of the safety reply): a country's name alone ("Україна", "Republica
        Moldova"), as people answer "tell me which country you are in", or with words that ask
        for its numbers and nothing else ("гаряча лінія в Україні", "Notrufnummer Deutschland")."""
        countries = self.countries_in(query)
        asking = self._asking_any if language is None else self._asking.get(language, frozenset())
        rest = self._without(query, countries).split() if countries else ()
        return bool(countries) and all(_asks(fold(word), asking) for word in rest)

    def _words_of(
        self, overview: Entry | None, language: str, content_words: Callable[[str], list[str]]
    ) -> frozenset[str]:
        """The words of the overview's own phrasings, read once per language."""
        if overview is None:
            return frozenset()
        key = (overview.id, language)
        if key not in self._help_words:
            self._help_words[key] = frozenset(
                w for q in overview.questions for w in content_words(q)
            )
        return self._help_words[key]

    def _without(self, text: str, countries: list[str]) -> str:
        """`text` without the words that name a country ("North Macedonia" whole)."""
        assert self.guide is not None
        names = {
            word
            for code in countries
            for name in self.guide.countries[code].names.values()
            for word in re.findall(r"\w+", name.casefold())
        }
        return " ".join(
            word
            for word in re.findall(r"\w+", text.casefold())
            if word not in names and not self._countries.match(word)
        )

    # --- behind the buttons -------------------------------------------------------------

    def reply_to_intent(self, intent: str) -> Reply | None:
        """The pages behind the safety reply's buttons and its deep link; None if unknown."""
        if self.guide is None or not intent.startswith(INTENT_PREFIX):
            return None
        for prefix, page in (
            (ALL_NUMBERS, self.all_numbers),
            (HIDE_CHAT, self.hide_chat),
            (PRIVATE_HELP, self.private_help),
        ):
            if intent.startswith(prefix):
                language = intent[len(prefix) :]
                if language in self.guide.languages:
                    return page(language)
        return None

    def all_numbers(self, language: str) -> Reply:
        """Every help number, general ones first, then by country."""
        assert self.guide is not None
        texts = self.guide.texts(language)
        general = [line for line in self.kb.help if not line.countries]
        blocks = ["\n".join(f"• {line.number}: {texts.kinds[line.kind]}" for line in general)]
        ordered = sorted(
            {c for line in self.kb.help for c in line.countries},
            key=lambda code: self.country_name(code, language),
        )
        for code in ordered:
            own = [line for line in self.kb.help if code in line.countries]
            rows = [f"• {line.number}: {texts.kinds[line.kind]}" for line in own]
            blocks.append("\n".join([f"{self.country_name(code, language)}:", *rows]))
        return Reply(
            query="",
            kind="safety",
            intent="help-numbers",
            score=100.0,
            body="\n\n".join([texts.all_numbers_intro, *[b for b in blocks if b]]),
            sources=self._sources(list(self.kb.help)),
            related=(Suggestion(f"{HIDE_CHAT}{language}", texts.delete_chat_button),),
            sources_label=texts.sources,
        )

    def hide_chat(self, language: str) -> Reply:
        """How to delete this chat."""
        assert self.guide is not None
        texts = self.guide.texts(language)
        return Reply("", "safety", None, 100.0, texts.delete_chat)

    def private_help(self, language: str) -> Reply:
        """What a group's short reply opens in a private chat (no country known yet)."""
        normal = Reply("", "fallback", None, 0.0, "")
        return self.reply("", normal, user_language=language)

    # --- reading the person -------------------------------------------------------------

    def language_of(self, text: str, user_language: str | None) -> str:
        """The language to reply in: the message's own, else the sender's, else English."""
        if self.guide is None:
            return EN
        hint = (user_language or "").split("-")[0].lower() or None
        found = identify(text, fallback=hint) if text.strip() else hint
        if found in self.guide.languages:
            return found
        if script_of(text) == "cyrillic" and "ru" in self.guide.languages:
            return "ru"  # Kazakh, Kyrgyz, Tajik, Belarusian ...: Russian is widely read
        return hint if hint in self.guide.languages else EN

    def countries_in(self, text: str) -> list[str]:
        """Countries the message names, in order, at most MAX_COUNTRIES."""
        ordered: dict[str, None] = {}
        for hit in self._countries.finditer(text.casefold()):
            ordered.setdefault(self._code_of[hit.group(1) or hit.group(2)], None)
            if len(ordered) == MAX_COUNTRIES:
                break
        return list(ordered)

    def countries_of_language(self, user_language: str | None) -> list[str]:
        """Countries the sender's Telegram language points to (Ukrainian: Ukraine)."""
        if self.guide is None or not user_language:
            return []
        language = user_language.split("-")[0].lower()
        return [c for c, country in self.guide.countries.items() if language in country.languages][
            :MAX_COUNTRIES
        ]

    def numbers_for(self, countries: list[str]) -> list[HelpLine]:
        """The numbers that fit: each country's hotlines first, a few per country."""
        chosen: list[HelpLine] = []
        for code in countries:
            own = [line for line in self.kb.help if code in line.countries]
            own.sort(key=lambda line: _KIND_ORDER.index(line.kind))
            per_country = NUMBERS_PER_COUNTRY if len(countries) == 1 else 1
            chosen += [line for line in own if line.kind not in _NOT_PER_COUNTRY][:per_country]
        return chosen

    def country_name(self, code: str, language: str) -> str:
        """A country's name in `language` (English when not given)."""
        assert self.guide is not None
        names = self.guide.countries[code].names
        return names.get(language, names.get(EN, code))


def _asks(word: str, asking: frozenset[str]) -> bool:
    """`word` is one of the `asking` words, or a slip of one ("грячая", "hotlne"): people
    asking for help in a hurry type fast."""
    return word in asking or slip_of(word, asking)


def _longest_first(strings: set[str]) -> str:
    """An alternation of `strings`, the longer tried first (one that matches nothing if none)."""
    ordered = sorted(strings, key=lambda s: (-len(s), s))
    return "|".join(map(re.escape, ordered)) or "(?!)"


def is_safety_intent(intent: str) -> bool:
    """Button data and deep links that open a safety page."""
    return intent.startswith(INTENT_PREFIX)
