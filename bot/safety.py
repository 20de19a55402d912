"""Detecting messages from people who may be in danger, before any normal matching.

This module owns one decision: does a message describe danger or exploitation (in the first
person or about someone close), or plead for help? If so the bot puts emergency and hotline
information first. It is pure: plain text in, a `SafetySignal` or None out.

Each signal is a regular expression over folded text that ties a person ("I", "we", "my
sister", "he") to a harm ("took my passport", "forced to work", "can't leave the house"). A
harm word alone does not fire, so questions about the topic in general ("what is forced
labour?", "is withholding passports a sign of trafficking?") stay ordinary questions. Where a
phrase is ambiguous the patterns lean towards firing: a needless safety notice costs a few
lines, a missed one may cost much more. tests/data/safety.yaml holds both directions.

Patterns are matched one sentence at a time (split on . ! ? ; : and new lines), their word
windows are bounded and never cross a comma, so a long message costs linear time and a harm
in one sentence is not pinned on a person named in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.knowledge import read_yaml
from bot.text import fold

PHRASES_FILE = Path(__file__).resolve().parent / "safety_phrases.yaml"


@dataclass(frozen=True)
class SafetySignal:
    """Why a message was routed to the safety reply: a short label, never the text itself."""

    reason: str


REASONS = (
    "documents-taken",
    "sexual-exploitation",
    "forced-work",
    "unpaid",
    "confinement",
    "threats-violence",
    "sold-or-taken",
    "fear",
    "debt-bondage",
    "harm-described",
    "plea",
)
"""Every label `detect_risk` can give, in the order the signals are tried."""

MAX_CHARS = 4096
"""Telegram's message limit; longer input is cut there, so the cost per message is bounded."""

_SENTENCE_END_RE = re.compile(r"[.!?;:\n\r\u2026\u3002\u061f\u00a1\u00bf]+")
_COMMA_RE = re.compile(r"\s*[,\u060c\u3001]\s*")
_NON_WORD_RE = re.compile(r"[^\w,]+|_+")
_SPACES_RE = re.compile(r" {2,}")

# --- vocabulary, in folded form: lower case, no accents, no apostrophes ("can't" -> "cant") -

_PLEASE = r"(?:please|pleas|plese|pleeease|pls+|plz+|plis|pliz|plx)"
_RELATIVE = (
    r"(?:sister|brother|sis|bro|daughter|son|friend|bestie|girlfriend|boyfriend|gf|bf|wife"
    r"|husband|mother|mom|mum|mam|mama|father|dad|papa|cousin|niece|nephew|aunt|auntie|uncle"
    r"|neighbou?r|child|children|kid|kids|baby|family|colleague|coworker|partner|fiancee?"
    r"|relative|grand\w+|roommate|flatmate|mate|parent|girl|boy|people|sibling|stepdaughter"
    r"|stepson|stepmother|stepfather)s?"
)
# The person a harm happens to: the writer, their group, or someone close to them.
_SUBJECT = rf"(?:i|im|ive|we|he|hes|she|shes|(?:my|our) (?:\w+ )?{_RELATIVE})"
_OBJECT = rf"(?:me|us|him|her|myself|ourselves|(?:my|our) (?:\w+ )?{_RELATIVE})"
_POSSESSIVE = r"(?:my|our|his|her)"
_NOT = (
    r"(?:dont|do not|doesnt|does not|didnt|did not|wont|will not|wouldnt|would not|never"
    r"|not|refuses? to|refused to)"
)
_CANT = r"(?:cant|can not|cannot|cnt|couldnt|could not|unable to|not able to)"
_NOT_ALLOWED = r"(?:not allowed to|forbidden to|not permitted to|never allowed to)"
_DOCUMENT = (
    r"(?:pass?p?o?rts?|passaports?|documents?|documnets?|dokuments?|docs|papers|id|ids"
    r"|id cards?|identity cards?|visas?|residence permits?|work permits?)"
)
# Where a person can be kept: "can't leave the house" is confinement, "can't leave a review"
# is not.
_PLACE = (
    r"(?:house|home|apartment|appartment|flat|room|building|farm|factory|place|job|country"
    r"|compound|site|camp|boat|ship|hotel|club|bar|basement|cellar|warehouse|container|shed"
    r"|garage|restaurant|kitchen|village|city|town|brothel|workplace|property|premises)"
)
_CLAUSE_END = r"(?=\s*(?:,|$))"
_LEAVE = (
    rf"leave(?: (?:the|this|that|my|our|his|her) (?:\w+ )?{_PLACE}\b| (?:here|home|them|him"
    rf"|work|anywhere|without|because|until|unless|alone|at all|now|ever|either|or|and)\b"
    rf"|{_CLAUSE_END})"
)
_GET_AWAY = (
    rf"(?:{_LEAVE}|escape|run away|get out|go (?:out|outside|home|back|anywhere|away)\b"
    r"(?! (?:yesterday|today|tonight|tomorrow|last|this (?:week|weekend|evening|year))\b)"
    rf"|go{_CLAUSE_END}|out{_CLAUSE_END}|out of)"
)
_CONTACT = (
    r"(?:call|phone|contact|talk|speak|see|visit|text|write|meet)(?: to| with)? (?:my|our|his"
    r"|her|anyone|anybody|any|family|home|the police|police|us|me|him|friends|people)\b"
)
# Present-tense "take/keep/have" after these words is the writer's own plan ("should I take
# my passport", "do I need to have my ID"), not something done to them.
_NOT_AFTER_OWN = r"(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bto )(?<!\bcan )(?<!\bshould )"

# --- signals -------------------------------------------------------------------------------

_DOCUMENTS_TAKEN = (
    # "they took my passport", "the boss has my documents", "the men take her passport"
    rf"{_NOT_AFTER_OWN}\b(?:took|take|takes|taken|taking|keep|keeps|kept|keeping|hold|holds"
    rf"|held|holding|has|have|had|hide|hides|hid|hidden|hiding|confiscated?|confiscates"
    rf"|confiscating|withheld|withhold|withholds|withholding|grabbed|stole) (?:away )?"
    rf"(?:all )?{_POSSESSIVE} (?:\w+ )?(?:\w+ (?:and|or) )?{_DOCUMENT}\b",
    # "he won't give me back my papers"
    rf"\b(?:{_NOT}|{_CANT}) (?:give|return|hand) (?:{_OBJECT} )?back (?:{_POSSESSIVE} )?"
    rf"(?:\w+ )?{_DOCUMENT}\b",
    rf"\b(?:{_NOT}|{_CANT}) (?:give|return|hand) (?:{_OBJECT} )?{_POSSESSIVE} (?:\w+ )?"
    rf"{_DOCUMENT} back\b",
    # "my id card was taken by the agency"
    rf"\b{_POSSESSIVE} (?:\w+ )?{_DOCUMENT} (?:(?:and|or) (?:{_POSSESSIVE} )?{_DOCUMENT} )?"
    rf"(?:is|are|was|were|has been|have been|got|get|gets|been) (?:\w+ )?"
    rf"(?:taken|confiscated|kept|withheld|held|hidden|locked up)\b",
    # "my passport is with my boss"
    rf"\b{_POSSESSIVE} (?:\w+ )?{_DOCUMENT} (?:is|are|was|were|stays?|remains?) (?:still )?"
    rf"(?:with|at) (?:them|him|her|(?:the|my|our|his|her|their) (?:\w+ )?(?:boss|employer"
    rf"|agency|agent|owner|manager|family|husband|recruiter|landlord|man|woman|people))\b",
)

_SEXUAL = (
    # "they make me sleep with men for money"
    r"\b(?:sleep|sleeping|slept|have sex|having sex|had sex|sex) with (?:men|man|clients?"
    r"|customers?|guys|strangers|them|him|many men|other men|old men)\b",
    rf"\b(?:make|makes|made|force|forces|forced|forcing) {_OBJECT} (?:to )?(?:do |into )?"
    rf"(?:sex|prostitut\w*|escort\w*|sell (?:my|our|her|him|them)sel\w*)",
    rf"\b{_SUBJECT}(?: \w+){{0,3}} (?:forced|made|pushed|sold) into (?:prostitution|sex)",
)

_FORCED_WORK = (
    # "I am forced to work", "my son is being forced to sell drugs", "we were made to beg"
    rf"\b{_SUBJECT}(?: \w+){{0,3}} (?:forced|made|obliged|compelled|coerced) (?:to|into)\b"
    r"(?! (?:feel|look|understand|believe|think|wait|realise|realize|see)\b)",
    # "they force us to beg", "they make me work every day"
    rf"\b(?:force|forces|forced|forcing|make|makes|made|making|compel\w*|oblige\w*|coerce\w*) "
    rf"{_OBJECT} (?:to |into )?(?:work|working|beg|begging|steal|stealing|sell|selling|do"
    rf"|have|sleep|marry|stay|deal|carry|clean|cook|prostitut\w*|pay|go out)\b",
)

_UNPAID = (
    # "they don't pay me", "my boss doesnt pay us anything"
    rf"\b{_NOT} (?:\w+ )?(?:pay|paying|paid) (?:me|us|him|her|{_POSSESSIVE})\b",
    # "they take all my money", "he keeps our wages"
    rf"\b(?:take|takes|took|taking|keep|keeps|kept|keeping) (?:all |most )?(?:of )?"
    rf"{_POSSESSIVE} (?:money|salary|salaries|wages?|pay|earnings|tips)\b",
    # "we have not been paid", "I am forced to work and not paid"
    rf"\b{_SUBJECT}(?: \w+){{0,6}} (?:not|never|no longer|havent|hasnt|hadnt|wasnt|werent"
    rf"|isnt|arent|aint) (?:been |being |getting |get |got )?paid\b",
    # "I was made to work for no money"
    rf"\b{_SUBJECT}(?: \w+){{0,6}} (?:without (?:any )?|for no |with no )"
    rf"(?:pay|payment|salary|wages?|money)\b",
)

_CONFINEMENT = (
    # "my boss locks us in", "they keep me locked in a room", "we are locked in"
    rf"\b(?:lock|locks|locked|locking) {_OBJECT} (?:in|up|inside|away)\b",
    rf"\b{_SUBJECT}(?: \w+){{0,4}} (?:locked|lock) (?:in|up|inside)\b",
    r"\b(?:they|he|she) (?:\w+ )?(?:locks?|locked) (?:the|all the) (?:door|doors|gate|gates)\b",
    # "I can't leave the house", "I'm not allowed to leave", "she is not allowed to call us"
    rf"\b{_SUBJECT}(?: \w+){{0,3}} (?:{_CANT}|{_NOT_ALLOWED}) (?:\w+ )?{_GET_AWAY}",
    rf"\b{_SUBJECT}(?: \w+){{0,3}} {_NOT_ALLOWED} (?:\w+ )?{_CONTACT}",
    # "they don't let me go outside", "he won't let her leave the house"
    rf"\b{_NOT} let {_OBJECT} (?:\w+ )?(?:{_GET_AWAY}|{_CONTACT}|have (?:a |my |her |his )?phone)",
    # "I'm trapped", "we are kept in a basement"
    rf"\b{_SUBJECT}(?: \w+){{0,4}} (?:trapped|imprisoned|held captive|held hostage|caged"
    rf"|held prisoner|a prisoner)\b",
    rf"\b(?:{_SUBJECT}(?: \w+){{0,3}} kept|(?:keep|keeps|kept|hold|holds|held|holding) "
    rf"{_OBJECT}) (?:locked )?(?:in|inside) (?:a|the|this|an) (?:\w+ )?{_PLACE}\b",
)

_VIOLENCE = (
    # "they beat me", "he threatens my family", "they will kill me"
    rf"\b(?:threaten|threatens|threatened|threatening|beat|beats|beaten|beating|hit|hits"
    rf"|hitting|hurt|hurts|hurting|rape|rapes|raped|raping|abuse|abuses|abused|abusing|kill"
    rf"|punish|punishes|punished|torture|tortures|tortured|slap|slaps|slapped|kick|kicks"
    rf"|kicked|burn|burned|burnt|starve|starves|starved|attack|attacks|attacked) {_OBJECT}\b",
    # "they threaten to report me to immigration"
    r"\b(?:threaten|threatens|threatened|threatening) to (?:report|deport|kill|hurt|call|send"
    r"|sell|tell|harm|beat|find|take)\b",
    # "I got beaten", "she is abused"
    rf"\b{_SUBJECT}(?: \w+){{0,2}} (?:is|am|are|was|were|been|being|get|gets|got) "
    rf"(?:beaten|raped|abused|tortured|threatened)\b",
)

_SOLD_OR_TAKEN = (
    # "someone is selling my sister", "he sells me to other men"
    rf"\b(?:sell|sells|selling|sold|bought|buy|buys|buying|traded|trading) {_OBJECT}\b"
    r"(?! on\b)",
    # "my cousin was sold", "my friend was taken abroad", "my neighbour is being trafficked"
    rf"\b{_SUBJECT}(?: \w+){{0,3}} (?:sold|bought|trafficked|kidnapped|abducted|smuggled"
    rf"|taken abroad|taken away|exploited|enslaved)\b(?! on\b)",
    rf"\b(?:my|our) (?:\w+ )?{_RELATIVE}(?: \w+){{0,2}} (?:was|were|got|has been|have been"
    rf"|is|are|been) taken(?: (?:abroad|away|from|by|out of|to (?:another|a different|an"
    rf" unknown|some))\b| and\b|{_CLAUSE_END})",
    # "she doesn't answer my calls", "I haven't heard from my sister since she left"
    rf"\b(?:my|our) (?:\w+ )?{_RELATIVE}\b(?: \w+){{0,12}} (?:doesnt|does not|dont|do not"
    rf"|stopped|no longer|never|not|cant|cannot) (?:\w+ )?(?:answer|answering|respond"
    rf"|responding|reply|replying|pick up|picking up)\b",
    rf"\b(?:not|havent|hasnt|never|no longer) (?:\w+ )?heard (?:anything )?from (?:her|him|them"
    rf"|(?:my|our) (?:\w+ )?{_RELATIVE})\b",
    rf"\b(?:my|our) (?:\w+ )?{_RELATIVE}(?: \w+){{0,2}} (?:is|are|has gone|went|have gone"
    rf"|has been|have been|been|got) missing\b",
    rf"\b(?:my|our) (?:\w+ )?{_RELATIVE}(?: \w+){{0,2}} (?:has |have )?disappeared\b",
    # "I think I am a victim of trafficking", "my friend is a victim"
    rf"\b{_SUBJECT}(?: \w+){{0,2}} (?:is|am|are|was|were|be|being|im|might be|may be) "
    rf"(?:a |the |also )?(?:victim|victims|survivor|survivors) of\b",
)

_FEAR = (
    # "I'm scared to go back", "I am scared of my boss", "I'm afraid they will hurt my kids"
    rf"\b{_SUBJECT}(?: \w+){{0,3}} (?:scared|afraid|frightened|terrified|fear|feared|fearful) "
    rf"(?:\w+ )?(?:to go (?:back|home|out|outside|to the police)|to (?:leave|escape|run|call"
    rf" the police|go to police|report|tell anyone|say no|refuse|complain)\b|of (?:my|our|the"
    rf"|him|her|them|this|these|those)\b|(?:that )?(?:they|he|she) (?:will|would|might|could"
    rf"|are going to|is going to|gonna)\b|for (?:my|our|her|his) (?:life|lives|safety|family"
    rf"|kids|children)\b)",
    # "I am in danger", "I want to escape"
    rf"\b{_SUBJECT}(?: \w+){{0,2}} (?:in danger|not safe|in great danger|in serious danger)\b"
    r"(?! of\b)",
    rf"\b{_SUBJECT}(?: \w+){{0,3}} (?:want|wants|wanted|trying|try|tried|need|needs|have) to "
    rf"(?:escape|run away|flee)\b(?! (?:the|this|that|my|from (?:the|this) (?:heat|rain|city)))",
    # "I'm so scared" at the end of a clause
    r"\b(?:im|i am|we are|i feel|she is|he is) (?:so |very |really |too )?"
    rf"(?:scared|terrified|frightened)(?: now| right now| here)?{_CLAUSE_END}",
)

# A plea ends its clause ("help me please"), so "help me find the report" is a request.
_PLEA_TAIL = rf"(?: {_PLEASE}| now| someone| anyone| asap| urgently| quickly| fast)*{_CLAUSE_END}"
_NOT_A_TASK = (
    r"(?! (?:with|on|for|in|understand\w*|find\w*|writing|making|getting|choosing|research\w*"
    r"|learning|reading|about)\b| to (?!escape|get out|leave|run))"
)
_PLEA = (
    # "help me please", "save me", "someone help us", "plz help"
    rf"(?<!\byou )(?<!\bu )\b(?:help|save|rescue) (?:me|us|her|him|my \w+){_PLEA_TAIL}",
    rf"\b{_PLEASE} (?:\w+ )?(?:help|save|rescue)(?: (?:me|us|her|him|my \w+))?{_PLEA_TAIL}",
    rf"\bhelp {_PLEASE}{_PLEA_TAIL}",
    rf"\b(?:someone|somebody|anyone|anybody) (?:{_PLEASE} )?(?:help|save|rescue)"
    rf"(?: (?:me|us|her|him|my \w+))?{_PLEA_TAIL}",
    # "I need help", "I need help urgently", but not "I need help with my essay"
    r"\b(?:i|we|she|he) (?:really |urgently |desperately |badly |do )?(?:need|needs) "
    rf"(?:your |some |urgent |immediate )?(?:help|rescue|to be rescued|to escape){_NOT_A_TASK}",
    rf"^sos(?: {_PLEASE}| help| me| us)*$",
    r"\b(?:get|take) (?:me|us) out of (?:here|this|there)\b",
)

# Pleas in other languages the bot's users write in (`safety_phrases.yaml`): verbs ("помогите",
# "aidez-moi") must end their clause; lone nouns ("hilfe", "ayuda") must be the whole clause,
# since "wo finde ich Hilfe" or "ayuda para víctimas" are questions.


def _clean(sentence: str) -> str:
    """Words separated by single spaces; commas kept as their own token; nothing else."""
    sentence = _COMMA_RE.sub(" , ", sentence)
    sentence = _NON_WORD_RE.sub(" ", sentence.replace("'", ""))
    return _SPACES_RE.sub(" ", sentence).strip(" ")


def _alternation(phrases: tuple[str, ...]) -> str:
    """Phrases in the cleaned, folded form the signals see, longest first."""
    cleaned = sorted({_clean(fold(phrase)) for phrase in phrases}, key=len, reverse=True)
    return "|".join(re.escape(phrase) for phrase in cleaned)


@cache
def _phrase_file() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(PHRASES_FILE)
    return data


def _phrases(section: str) -> tuple[str, ...]:
    """Every phrase of one section of `safety_phrases.yaml`: lists per language, or lists of
    any language."""
    groups = _phrase_file().get(section) or ()
    lists = groups.values() if isinstance(groups, dict) else groups
    return tuple(phrase for group in lists for phrase in group)


_FOREIGN_PLEA_PHRASES = _phrases("plea")
_FOREIGN_PLEA_WORDS = _phrases("plea_words")
_FOREIGN_POLITE_WORD = rf"(?:{_alternation(_phrases('polite'))}|{_PLEASE})"
_FOREIGN = (
    rf"\b(?:{_alternation(_FOREIGN_PLEA_PHRASES)})(?: {_FOREIGN_POLITE_WORD})*{_CLAUSE_END}",
    rf"(?:^|, )(?:{_FOREIGN_POLITE_WORD} )*(?:{_alternation(_FOREIGN_PLEA_WORDS)})"
    rf"(?: {_FOREIGN_POLITE_WORD})*{_CLAUSE_END}",
)

# "help!" or "hilfe!!" opening a sentence; matched before punctuation is dropped.
_EXCLAIMED_PLEA = re.compile(
    rf"(?:^|[.!?\n]\s*)(?:{_PLEASE}\s+)?(?:help|hilfe|ayuda|socorro|aiuto|pomocy)"
    r"(?:\s+(?:me|us))?\s*!"
)

# "HELP" shouted on its own; "help" is the ordinary command.
_SHOUTED_PLEA = re.compile(r"^\W*(?:HELP|SOS)(?:\s+(?:ME|US))?\W*$")

# The debt itself is no sign; a debt that binds someone to work or to stay is.
_DEBT = re.compile(r"\b(?:owe|owes|owed|owing|debt|debts|indebted)\b")
_DEBT_BINDS = re.compile(
    r"\b(?:must|have to|has to|had to|need to|needs to|forced to|made to|make me|makes me"
    r"|make us|makes us) (?:\w+ )?(?:work|pay)\b"
    r"|\buntil (?:i|we|he|she|they) (?:\w+ )?(?:pay|repay|paid|repaid)\b"
    r"|\bwork (?:it |this |that )?off\b"
    r"|\bkeeps? (?:growing|going up|increasing|getting bigger)\b"
    rf"|\b{_CANT} (?:\w+ )?(?:leave|go|escape)\b"
    r"|\bnever (?:be able to )?(?:pay|repay)\b"
)
_PERSON = re.compile(r"\b(?:i|im|ive|me|my|myself|we|us|our|he|she|him|her|his)\b")

_HARMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile("|".join(f"(?:{p})" for p in patterns)))
    for reason, patterns in (
        ("documents-taken", _DOCUMENTS_TAKEN),
        ("sexual-exploitation", _SEXUAL),
        ("forced-work", _FORCED_WORK),
        ("unpaid", _UNPAID),
        ("confinement", _CONFINEMENT),
        ("threats-violence", _VIOLENCE),
        ("sold-or-taken", _SOLD_OR_TAKEN),
        ("fear", _FEAR),
    )
)
_PLEA_RE = re.compile("|".join(f"(?:{p})" for p in _PLEA + _FOREIGN))


def _word_list(section: str) -> re.Pattern[str]:
    """Whole words or phrases of one section of `safety_phrases.yaml`."""
    phrases = _phrases(section)
    return re.compile(rf"\b(?:{_alternation(phrases)})\b") if phrases else re.compile(r"(?!)")


_FOREIGN_HARM = _word_list("harm")
"""Harm described in the region's other languages (`safety_phrases.yaml`)."""
_EVERYDAY = _word_list("everyday")
EVERYDAY_REASONS = frozenset({"confinement", "threats-violence"})
"""Harms that an everyday thing in the same sentence explains ("trapped in the elevator")."""
_FRAMING = _word_list("framing")


def sentences(text: str) -> list[str]:
    """The folded, cleaned sentences of a message, as the signals see them."""
    return _sentences(_fold(text))


def detect_risk(text: str) -> SafetySignal | None:
    """The first safety signal in a message, or None for an ordinary message."""
    folded = _fold(text)
    parts = _sentences(folded)
    if _FRAMING.search(folded):
        return None  # research, teaching, a training exercise, a danger that is over
    for reason, pattern in _HARMS:
        for sentence in parts:
            if pattern.search(sentence) and not (
                reason in EVERYDAY_REASONS and _EVERYDAY.search(sentence)
            ):
                return SafetySignal(reason)
    if _debt_binds([sentence for sentence in parts if not _EVERYDAY.search(sentence)]):
        return SafetySignal("debt-bondage")
    if any(_FOREIGN_HARM.search(sentence) for sentence in parts):
        return SafetySignal("harm-described")
    if _EVERYDAY.search(folded):
        return None  # "Hilfe, mein Laptop geht nicht": a plea about an everyday thing
    if (
        any(_PLEA_RE.search(sentence) for sentence in parts)
        or _EXCLAIMED_PLEA.search(folded)
        or _SHOUTED_PLEA.match(text[:MAX_CHARS])
    ):
        return SafetySignal("plea")
    return None


def _fold(text: str) -> str:
    # Folding can expand a character many times over (U+FDFA is 18 letters): cut both sides.
    return fold(text[:MAX_CHARS])[: 2 * MAX_CHARS].replace("'", "")


def _sentences(folded: str) -> list[str]:
    cleaned = (_clean(part) for part in _SENTENCE_END_RE.split(folded))
    return [sentence for sentence in cleaned if sentence]


def _debt_binds(parts: list[str]) -> bool:
    return any(
        _DEBT.search(sentence) and _DEBT_BINDS.search(sentence) and _PERSON.search(sentence)
        for sentence in parts
    )
