"""Text normalisation for matching: folding, synonyms, abbreviations, stop words and stems.

Questions and phrasings go through the same steps, so that "Who's the SG?" and "Who is the
Secretary-General of the Organization for Security and Co-operation in Europe" meet on the
same tokens. The tables below are the domain vocabulary; they are data about language, not
about any one question. Typo correction needs the knowledge base's vocabulary, so it lives in
`matching`; this module is pure and has no state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

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


def fold(text: str) -> str:
    """Unicode-normalise, lower-case, strip accents and unify quotes and dashes."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))
    text = text.casefold().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Other organisations, whose officials are not the OSCE's ("the Council of Europe's Secretary
# General" is not the OSCE's): folded, after the names above are collapsed ("coe").
_OTHER_BODIES = (
    "un|nato|eu|coe|interpol|europol|unicef|ilo|iom|unhcr|unodc|ohchr|unesco|world bank|imf"
    "|oecd|wto|african union|asean|european (?:commission|parliament)|fifa|uefa"
)

# Generic words that, with only another organisation's name, still ask about that organisation
# ("when was the EU founded", "who heads the ILO").
_GENERIC_ABOUT = ("establish", "head", "member", "current", "list", "first", "former")

# Multi-word expressions, applied in order to folded text padded with spaces. Names are
# collapsed to their usual abbreviation (one distinctive token); wordings of the same idea
# are collapsed to one form. Longer patterns come before the shorter ones they contain.
_PHRASES: tuple[tuple[str, str], ...] = (
    # an age limit names children: "victims under 18", "below the age of 18"
    (r"\b(?:under|below) (?:the age of )?(?:18|eighteen)\b(?: years?(?: old)?)?", "children"),
    # first of all: "help me with my homework" asks for a hand with something, not for where to
    # get help (the danger itself is caught by the safety check before any matching)
    (r"\bhelp(?: me| us)? (?:with|on|to (?:write|understand|find|learn|prepare))\b", " "),
    # "116 000" and "116000" are one number (a thousands group written with a space)
    (r"(?<![\d.,])\b(\d{1,3})[ ,](\d{3})\b(?![.,]?\d)", r"\1\2"),
    # a decision number ("3/06", "No. 14/06") is one token, not two small numbers
    (r"(?<![\w/.])(\d{1,4}) ?/ ?(\d{2})(?![\w/])", r" \1of\2 "),
    (r"\bco-?\s?(operat|ordinat)", r"co\1"),
    (r"\be-mail\b", "email"),
    (r"\bnon-?\s?punish", "nonpunish"),
    # chat spellings of question words ("wat is", "whens that", "hw many")
    (r"\b(?:wat|wut|wht|whta|waht|wot)\b", "what"),
    (r"\b(?:whn|wen)\b", "when"),
    (r"\b(?:whr|wher|whre)\b", "where"),
    (r"\bhw\b", "how"),
    (r"\bwhens\b", "when is"),
    (r"\bwheres\b", "where is"),
    (r"\banti[- ]?trafficking\b", "anti trafficking"),
    # the worldwide anti-trafficking day is the World Day
    (
        r"\b(?:worldwide|global|international) anti trafficking day\b"
        r"|\banti trafficking day (?:worldwide|globally|around the world)\b",
        "world anti trafficking day",
    ),
    # victims "recognised as victims" are identified ones
    (r"\brecogni[sz]ed as (?:a )?victims?\b|\brecogni[sz]ed\b(?= victims?\b)", "identified"),
    # "1st" is the word that picks the first holder of a post
    (r"\b1st\b", "first"),
    (r"\bwhat's\b|\bwhats\b", "what is"),
    (r"\bwho's\b|\bwhos\b", "who is"),
    (r"\bwhere's\b", "where is"),
    (r"\bwhen's\b", "when is"),
    (r"\b(\w+)'s\b", r"\1"),
    (r"\borgani[sz]ation for security and cooperation in europe\b", "osce"),
    (r"\bconference on security and cooperation in europe\b", "csce"),
    (r"\boffice for democratic institutions and human rights\b", "odihr"),
    (r"\bhigh commissioner on national minorities\b", "hcnm"),
    (
        r"\brepresentative on (the )?freedom of (the )?media\b|\bmedia freedom representative\b"
        r"|\brepresentative (?:on|for) media freedom\b",
        "rfom",
    ),
    (
        r"\binternational survivors? of (human )?trafficking advisory council\b",
        "istac",
    ),
    (r"\bnational survivors? of (human )?trafficking advisory councils?\b", "nstac"),
    (
        r"\bgroup of experts on action against trafficking( in human beings)?\b",
        "greta",
    ),
    # GRETA named by what it is ("the Council of Europe's group of experts on trafficking")
    (r"\b(?:expert group|group of experts) (?:on|against) (?:\w+ ){0,3}?trafficking\b", "greta"),
    (r"\bwdatip\b", "world day against trafficking in persons"),
    # TIP (trafficking in persons) after "against"/"anti" ("the alliance against TIP")
    (r"\b(against|anti)[- ]tip\b", r"\1 trafficking"),
    (r"\bpolitical will\b", "politicalwill"),
    (r"\bnational referral mechanisms?\b", "nrm"),
    (r"\bnrms\b", "nrm"),
    (r"\bnational (anti-? ?trafficking )?co-?ordinators?\b", "nac"),
    (r"\bnational (anti-? ?trafficking )?rapporteurs?\b", "nar"),
    (r"\bnacs\b", "nac"),
    (r"\bnars\b", "nar"),
    (r"\b(osr|sr)\s*/\s*cthb\b|\bosr-cthb\b|\bcthb\b", " special representative "),
    (r"\bosr\b", " special representative office "),
    (r"\bspecial rep\b", "special representative"),
    # an envoy or rapporteur of the OSCE on trafficking is its Special Representative (a
    # national or UN special rapporteur is not)
    (r"(?<!special )(?<!un )(?<!and )\b(envoy|rapporteur|tsar|czar)\b", "special representative"),
    (
        r"\bname of (?=(the )?((current|osce|present|first|new) )*(special|secretar|chair|director"
        r"|head|high commissioner|sg|sr|cio|representative)\b)",
        "who ",
    ),
    (r"\bsr\b", "special representative"),
    (
        r"\bsecr?e?t[ae]?r(y|ies|ie|i)[- ]?(generals?|gen)\b|\bgeneral secretar(y|ies)\b"
        r"|\bsec[- ]?gen\b|\bsgs?\b",
        "secretarygeneral",
    ),
    (
        r"\bchair(man|woman|person)?[- ]in[- ]office\b|\bcio\b",
        "chairperson",
    ),
    (r"\bunited nations\b", "un"),
    (r"\bcouncil of europe\b|\bcoe\b", "coe"),
    (r"\beuropean union\b", "eu"),
    # another organisation's official is not the OSCE's ("who is the UN Secretary General")
    (
        rf"\b(?:{_OTHER_BODIES}) "
        r"(?:secretarygeneral|head|chief|president|spokes(?:person|man|woman)|high commissioner)\b"
        r"|\b(?:secretarygeneral|head|chief|president|spokes(?:person|man|woman)|high commissioner)"
        rf" of (?:the )?(?:{_OTHER_BODIES})\b",
        " otherpost ",
    ),
    # ... and another organisation's membership ("how many countries are in the EU")
    (
        r"\b(?:countries|states|nations|members|member (?:states|countries)) (?:are |is )?"
        r"(?:in|of) (?:the )?(?:eu|un|nato)\b",
        " otherpost ",
    ),
    (r"\bunited states( of america)?\b|\busa\b|\bu\.s\.a?\.?", "unitedstates"),
    (r"\bunited kingdom\b|\bu\.k\.", "unitedkingdom"),
    (
        r"\b(un )?(trafficking )?protocol to prevent,? suppress and punish trafficking"
        r" in persons(,? especially women and children)?\b",
        "palermo protocol",
    ),
    (r"\bun trafficking protocol\b|\btrafficking protocol\b", "palermo protocol"),
    (
        r"\b(human|people|persons?)[- ]trafficking\b"
        r"|\btrafficking (?:(?:in|of) )?(human beings?|persons?|people|humans?)\b",
        "trafficking",
    ),
    (r"\bthb\b", "trafficking"),
    (
        r"\bhow (many|much)\b|\bhow (?:meny|mny|manny|amny|mant)\b|\bhw many\b"
        r"|\bnumber of\b|\bwhat number\b|\bcount of\b",
        "howmany",
    ),
    # "which day is ..." keeps its day: awareness days are named by it
    (r"\b(?:what|which) day(?: of the year)?\b", "when day"),
    (r"\b(what|which) (year|date|month)\b|\bsince when\b", "when"),
    # an embedded question ("can you explain what the OSCE is?") asks what it is too
    (
        r"\bwhat (?!is\b|are\b|was\b|were\b)((?:[\w.'-]+ ){1,6}?)(?:is|are|means?)"
        r"(?:\s*[?.!]|\s*$|\s+(?=(?:to|for) (?:someone|somebody|me|us|a|an)\b|exactly\b))",
        r"whatis \1",
    ),
    # "what did Richey say" asks for a quote, not what something is
    (
        r"\bwhat (?:did|has|have) ((?:[\w'.-]+ ){1,5}?)(?:say|said|stated|declared)\b",
        r"quote \1 say",
    ),
    (r"\bwhat (is|are|was|were|does|do|did)\b", r"whatis \g<0>"),
    (r"\bwhat (?:kinds?|sorts?|types?) of\b", "whatis"),
    # "countries that participate in the OSCE" are its participating States
    (
        r"\b(?:states|countries|nations|governments) (?:that |which )?(?:currently )?"
        r"(?:participate|are participating|take part)\b",
        "participatingstate",
    ),
    # "which field operations ...": a plural after which/what asks for the list (before the
    # field operations become one token, and lose their plural)
    (
        r"\b(?:which|what) (?:are (?:the )?|does (?:the )?osce (?:have|run) (?:as )?)?(?:osce )?"
        r"field (?:operations|ops|missions|offices|presences)\b",
        "list fieldop",
    ),
    (r"\bfield (operations?|ops?|missions?|offices?|presences?)\b", "fieldop"),
    (
        r"\b(participating|member) (states?|countr(y|ies)|nations?)\b",
        "participatingstate",
    ),
    (r"\bpartners? for co-?operation\b|\bpartner (states?|countr(y|ies))\b", "partner"),
    (r"\bhow (big|large)\b|\bsize of\b", "howmany"),
    (r"\b(in )?(what|which) (city|town)\b", "where"),
    (r"\btak(e|es|ing|en) part\b|\btook part\b", "member"),
    (
        r"\b(?:in |over )?the (?:coming|next|following)(?: (?:few|couple of|several))?"
        r" (?:days|weeks|months)\b",
        " next ",
    ),
    # "the purpose of X" asks what X is (not "for the purpose of exploitation")
    (r"(?<!for )\bthe (?:main )?(?:purpose|aim|point|goal) of\b", " whatis "),
    # the asker's own circle is not the topic ("my NGO wants to post ...", "our teacher")
    (
        r"\b(?:my|our) (?:ngo|charity|organi[sz]ation|company|employer|office|team|school"
        r"|class|classmates|course|professor|teacher|lecturer|tutor|boss|manager|colleagues?"
        r"|students|pupils|friends?|family|group|club|university|uni|college)\b"
        r"|\b(?:at|from) work\b|\bin class\b|\b(?:i'?m|i am|we'?re|we are) new to\b",
        " ",
    ),
    # "share a quote" asks for one, not for a share (a percentage)
    (r"\bshare (?=(?:a|an|one|some|something|any|anything|me|with|your)\b)", "give "),
    # who the question is for is not its topic ("for my school", "at our NGO")
    (
        r"\b(?:for|at|in|with) (?:my|our) (?:school|class|classmates|course|project|presentation"
        r"|essay|homework|newsletter|blog|podcast|lesson|students|pupils|team|colleagues|work"
        r"|job|university|uni|college|speech|poster|thesis|ngo|charity|group|club)\b",
        " ",
    ),
    # observances are awareness days
    (r"\bobservances?\b", "awareness days awarenessday"),
    # "which country chairs ...": the present tense asks for the current holder
    (
        r"\b(?:which|what) (?:country|state|(?:foreign )?minister) (?:currently )?"
        r"(?:chairs|is chairing|holds the chair\w*|has the chair\w*)\b",
        "who current chairperson",
    ),
    # "(all) the people who have been ...": the list of holders, not the current one
    (
        r"\b(?:all )?(?:the )?(?:people|persons|those|everyone|everybody) who (?:have|has|had)"
        r" (?:been|served|held)\b",
        "list former",
    ),
    # a relative "who" ("someone who never heard of it", "victims who are forced") asks
    # nothing
    (
        r"\b(someone|somebody|anyone|anybody|everyone|people|persons?|those|victims?|survivors?"
        r"|children|women|men|girls|boys|workers?|migrants?|refugees?|traffickers?) who\b",
        r"\1",
    ),
    (r"\b(every|each) year\b|\byearly\b|\bannually\b", "annual"),
    # a question ending in "year" asks when ("osce action plan year")
    (r"(?<!this )(?<!per )(?<!a )(?<!last )(?<!next )(?<!the )\byear\s*\W*\s*$", "when "),
    (r"\bnot (be |being )?punish", "nonpunish"),
    (r"\b(three|3) ?p('?s)?\b", "3p"),
    (r"\b(four|4) ?p('?s)?\b", "3p partnership"),
    (r"\bcriminal (exploitation|activit(y|ies))\b", "forced criminality"),
    (r"\bsocial media\b", "technology"),
    (r"\bset[- ]up\b", "establish"),
    # a majority or everyone agreeing is how decisions are taken: consensus
    (
        r"\b(?:by )?(?:a )?(?:simple )?majority(?: vote| voting)?\b|\bunanim(?:ous|ously|ity)\b"
        r"|\b(?:everyone|everybody|all (?:states|countries)) (?:has to |have to |must |needs? to )?"
        r"agree\b",
        " consensus ",
    ),
    # how something is organised is its structure (organised crime is not)
    (r"\borgani[sz]ed\b(?! crime)", "structure"),
    (r"\b(?:come|comes|came|coming) into (?:being|existence)\b", "establish"),
    # how a day or a meeting is put says nothing of which one ("set aside as", "takes place")
    (r"\bset aside\b|\b(?:take|takes|took|taking|taken) place\b", " "),
    (r"\bhome (?:city|town|base)\b|\b(?:city|town)\b", "where"),
    (r"\bin charge\b", "head"),
    # "the OSCE's top official on trafficking" is the head of that work (plural officials are
    # the leadership as a whole)
    (r"\b(?:top|senior|chief|lead|leading|main) (?:official|person|officer)\b", "head"),
    (r"\bat the moment\b|\bright now\b|\bthese days\b|\bnowadays\b|\bthis year\b", "current"),
    # "since when has X existed", "how old is X", "how long has X been there": its founding
    (r"(\bwhen\b[^?]*?)\bexist(?:s|ed|ence)?\b", r"\1establish"),
    (r"\bhow long (?:has|have|did)\b", "when establish"),
    # jobs at the OSCE (vacancies, internships) are not its work: nothing here answers them
    (
        r"\b(?:get|find|apply for|applying for|looking for|search for) (?:a |an )?(?:jobs?|work"
        r"|internships?|positions?)\b|\bjob (?:openings?|offers?|vacanc\w+|applications?|ads?)\b"
        r"|\bvacanc(?:y|ies)\b|\binternships?\b|\bcareers? (?:at|with|in) (?:the )?osce\b"
        r"|\bosce careers?\b|\bcareer opportunit\w*|\bhiring\b|\bsalar(?:y|ies)\b",
        " jobseeking ",
    ),
    # the bot itself ("who are you", "what can you do", "are you a robot")
    (
        r"\bwho are you\b|\bwhat are you\b|\bwhat can you do\b|\bwhat do you (?:do|know)\b"
        r"|\bare you (?:an? )?(?:real |actual )?(?:human|person|bot|robot|machine|ai|chatbot"
        r"|computer|program)\b|\bwhat is your name\b|\bhow do you work\b|\bhow old are you\b",
        " aboutbot ",
    ),
    # the clock is not a topic: "what time is it in Tokyo" must not match Tokyo's entry
    (r"\bwhat time is it\b|\b(?:what is )?the (?:local )?time (?:in|now)\b", " clock "),
    (
        r"\bheld (?:captive|hostage|prisoner|against (?:my|our|his|her|their) will)\b"
        r"|\b(?:kept|locked) (?:up|in|captive|prisoner)\b|\btrapped\b",
        "danger",
    ),
    (r"\bhelp ?line\b|\bhot ?line\b|\bphone number\b|\btelephone\b", "hotline"),
    (r"\bmodern[- ]day slavery\b", "modern slavery"),
    (r"\bawareness days?\b|\binternational days?\b|\bworld days?\b", r"\g<0> awarenessday"),
    # "which countries ...", "what institutions ...": a plural after which/what asks for a
    # list, not a count or a single item
    (
        r"\b(?:which|what) (?!(?:country|state|nation|city|town|year|day|date|month|person"
        r"|one|office|mission|body|organi[sz]ation|institution|agency|official)\b)"
        r"(?=(?:[a-z]+ ){0,2}?(?!(?:is|was|has|does|this|its|his|us|as|yes"
        r"|always|perhaps|across|unless|plus|thus|whatis|osce|csce|greta|istac|odihr|nrm|nac|nar"
        r"|happens|means|makes|causes|helps|works|looks|seems|counts|matters|remains|follows"
        r"|applies|needs|comes|goes|gets|takes|gives|keeps|leads|lets|says|stands)\b)"
        r"[a-z]{3,}[^su\W]s\b)",
        "list ",
    ),
)
_PHRASES += (
    # missions in general (not one named "Mission to ...") are the field operations
    (r"\bmissions\b(?! (?:to|in)\b)", "fieldop"),
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_PHRASES += (
    # a day of a month is one token ("30 July", "july 30th" -> july30): small numbers alone
    # weigh little, but a date names one awareness day
    (rf"\b([0-3]?\d)(?:st|nd|rd|th)? (?:of )?({_MONTHS})\b", r"\2\1"),
    (rf"\b({_MONTHS}) ([0-3]?\d)(?:st|nd|rd|th)?\b", r"\1\2"),
)
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_UNIT_ORDINALS = {"first": 1, **{w: n for w, n in _ORDINALS.items() if n < 10}}


def _ordinal(number: int) -> str:
    """23 -> "23rd": the form people type, so "twenty-third" meets "23rd"."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


_PHRASES += (
    # ordinals in words are ordinals in figures ("the twenty-third conference" is the 23rd);
    # "first" alone stays a word (it picks the first holder of a post)
    *(
        (rf"\b{tens}[- ]?{unit}\b", _ordinal(base + n))
        for tens, base in (("twenty", 20), ("thirty", 30))
        for unit, n in _UNIT_ORDINALS.items()
    ),
    *((rf"\b{word}\b", _ordinal(n)) for word, n in _ORDINALS.items()),
    # "who runs X" asks for its head ("who runs the OSCE Secretariat")
    (r"\bwho (?:runs|is running|manages|directs)\b", "who head"),
    # "the (first) holder of the post" asks who held it
    (r"\bholders? of\b", "who"),
    # "a large part of the victims" asks for a share
    (r"\b(?:large|big|significant|major|huge|small|what) (?:part|portion|chunk)s? of\b", " % of "),
    (r"\bmajority of\b", " % of "),
    # prosecuted, jailed or charged victims are punished ones (the non-punishment principle)
    (
        r"\b(be|being|get|getting|are|were|is) (?:prosecuted|charged|jailed|convicted"
        r"|penali[sz]ed|criminali[sz]ed|arrested|imprisoned|detained)\b",
        r"\1 punished",
    ),
    # "how many showed up / turned up": attendance
    (r"\b(?:showed|turned) up\b|\bturnout\b", "attended"),
)
_PHRASE_RES = tuple((re.compile(p), r) for p, r in _PHRASES)

# Single words with the same meaning here, mapped to one form before stemming.
_WORD_SYNONYMS: dict[str, str] = {
    "organisation": "organization",
    "organisations": "organization",
    "organizations": "organization",
    "programme": "program",
    "programmes": "program",
    "centre": "center",
    "labor": "labour",
    "kid": "child",
    "kids": "child",
    "children": "child",
    "minor": "child",
    "minors": "child",
    "underage": "child",
    "teenager": "child",
    "teenagers": "child",
    "teens": "child",
    "youngsters": "child",
    "countries": "state",
    "country": "state",
    "nation": "state",
    "nations": "state",
    "states": "state",
    "founded": "establish",
    "found": "establish",
    "founding": "establish",
    "foundation": "establish",
    "created": "establish",
    "create": "establish",
    "creation": "establish",
    "established": "establish",
    "establishment": "establish",
    "launched": "establish",
    "launch": "establish",
    "formed": "establish",
    "began": "establish",
    "start": "establish",
    "started": "establish",
    "inception": "establish",
    "opened": "establish",
    "fight": "combat",
    "fighting": "combat",
    "fights": "combat",
    "combating": "combat",
    "combatting": "combat",
    "counter": "combat",
    "countering": "combat",
    "tackle": "combat",
    "tackling": "combat",
    "boss": "head",
    "leader": "head",
    "leads": "head",
    "chief": "head",
    "heads": "head",
    "now": "current",
    "currently": "current",
    "serves": "current",
    "serving": "current",
    "today": "current",
    "present": "current",
    "presently": "current",
    "incumbent": "current",
    "located": "where",
    "host": "where",
    "hosts": "where",
    "hosted": "where",
    "hosting": "where",
    "location": "where",
    "based": "where",
    "headquarters": "where",
    "headquartered": "where",
    "hq": "where",
    "seat": "where",
    "situated": "where",
    "address": "where",
    "chair": "chairperson",
    "chairman": "chairperson",
    "chairmanship": "chairperson",
    "chairpersonship": "chairperson",
    "chairs": "chairperson",
    "chaired": "chairperson",
    "chairing": "chairperson",
    "presides": "chairperson",
    "preside": "chairperson",
    "presiding": "chairperson",
    "gather": "meeting",
    "gathered": "meeting",
    "gathering": "meeting",
    "gatherings": "meeting",
    "convened": "meeting",
    "met": "meeting",
    "presidency": "chairperson",
    "define": "definition",
    "defined": "definition",
    "definitions": "definition",
    "quotes": "quote",
    "quotation": "quote",
    "citation": "quote",
    "citations": "quote",
    "cite": "quote",
    "offence": "crime",
    "offences": "crime",
    "offense": "crime",
    "offenses": "crime",
    "quotations": "quote",
    "position": "post",
    "positions": "post",
    "words": "quote",
    "said": "say",
    "says": "say",
    "statement": "say",
    "stated": "say",
    "remarks": "say",
    "wrote": "say",
    "percent": "%",
    "percentage": "%",
    "share": "%",
    "proportion": "%",
    "fraction": "%",
    "phone": "hotline",
    "call": "hotline",
    "numbers": "hotline",
    "dial": "hotline",
    "telephone": "hotline",
    "anti": "against",
    "vs": "against",
    "conf": "conference",
    "conferences": "conference",
    "rep": "representative",
    "reps": "representative",
    "member": "member",
    "members": "member",
    "membership": "member",
    "belong": "member",
    "belongs": "member",
    "join": "member",
    "joined": "member",
    "un's": "un",
    "trafficked": "trafficking",
    "compelled": "forced",
    "coerced": "forced",
    "folks": "people",
    "folk": "people",
    "traffickers": "trafficker",
    "all": "list",
    "every": "list",
    "everyone": "list",
    "everybody": "list",
    "full": "list",
    "entire": "list",
    "complete": "list",
    "whole": "list",
    "inaugural": "first",
    "original": "first",
    "previous": "former",
    "past": "former",
    "earlier": "former",
    "prior": "former",
    "predecessor": "former",
    "predecessors": "former",
    "slogan": "theme",
    "slogans": "theme",
    "motto": "theme",
    "mottos": "theme",
    "themes": "theme",
    "total": "howmany",
    "altogether": "howmany",
    "count": "howmany",
    "size": "howmany",
    "referral": "refer",
    "referrals": "refer",
    "referred": "refer",
    "referring": "refer",
    "focus": "priority",
    "focuses": "priority",
    "focused": "priority",
    "priorities": "priority",
    "agenda": "priority",
    "goals": "priority",
    "clause": "principle",
    "provision": "principle",
    "tech": "technology",
    "technologies": "technology",
    "technological": "technology",
    "ict": "technology",
    "internet": "technology",
    "apps": "technology",
    "european": "eu",
    "europe": "eu",
    "upcoming": "next",
    "coming": "next",
    "soon": "next",
    "future": "next",
}

# Function words that carry no topic. Question words that distinguish intents (who, when,
# where, howmany) are kept; "what" and "how" alone are too common to help.
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "taken",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "about",
        "as",
        "into",
        "onto",
        "than",
        "and",
        "or",
        "but",
        "if",
        "then",
        "so",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "i",
        "me",
        "my",
        "mine",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "what",
        "which",
        "how",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "please",
        "tell",
        "know",
        "explain",
        "explained",
        "explains",
        "explaining",
        "explanation",
        "explainer",
        "give",
        "show",
        "let",
        "want",
        "wanted",
        "wants",
        "like",
        "need",
        "some",
        "any",
        "there",
        "here",
        "s",
        "t",
        "d",
        "ll",
        "re",
        "ve",
        "m",
        "just",
        "also",
        "really",
        "very",
        "exactly",
        "actually",
        "info",
        "information",
        "details",
        "detail",
        "something",
        "anything",
        "thing",
        "things",
        "more",
        "most",
        "much",
        "many",
        "mean",
        "meaning",
        "means",
        "stand",
        "stands",
        "called",
        "name",
        "named",
        "kind",
        "sort",
        "type",
        "okay",
        "ok",
        "yeah",
        "yes",
        "yep",
        "whatever",
        "against",
        "up",
        "out",
        "over",
        "get",
        "got",
        "have",
        "has",
        "had",
        "whose",
        "whom",
        "one",
        "ones",
        "well",
        "describe",
        "description",
        "overview",
        "summary",
        "regarding",
        "concerning",
        # "the difference between X and Y" is a frame: X and Y are the topic
        "difference",
        "differences",
        "between",
        "pls",
        "plz",
        "u",
        "ur",
        "im",
        "exist",
        "exists",
        "existing",
        "available",
        "kindly",
        # conversation around a question, not its topic
        "essay",
        "thesis",
        "homework",
        "assignment",
        "student",
        "journalist",
        "researcher",
        "research",
        "researching",
        "writing",
        "article",
        "wonder",
        "wondering",
        "wondered",
        "curious",
        "question",
        "quick",
        "quickly",
        "briefly",
        "remind",
        "simple",
        "simply",
        "understand",
        "honestly",
        "basically",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "friend",
        "heard",
        "hear",
        "hearing",
        "mention",
        "mentioned",
        "mentions",
        "mentioning",
        "seeing",
        "saw",
        "discussed",
        "discussing",
        "dedicate",
        "dedicates",
        "devoted",
        "read",
        "reading",
        "keep",
        "always",
        "forget",
        "sure",
        "maybe",
        "perhaps",
        "possibly",
        "think",
        "guess",
        "still",
        "even",
        "though",
        "although",
        "because",
        "bit",
        "little",
        "lot",
        "right",
        "true",
        "correct",
        "famous",
        "dedicated",
        "ever",
        "never",
    }
)

# Tokens that only say what kind of question it is: they count, but little.
QUESTION_TOKENS = frozenset({"who", "when", "where", "howmany", "whatis"})

_TOKEN_RE = re.compile(r"[^\W_]+|%", re.UNICODE)


@lru_cache(maxsize=1)
def _english_stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


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


def expand_phrases(folded: str) -> str:
    """Apply the multi-word expressions to already folded text."""
    text = f" {_PHONE_RE.sub(_join_phone_number, folded)} "
    for pattern, replacement in _PHRASE_RES:
        text = pattern.sub(replacement, text)
    return text


def words(text: str) -> list[str]:
    """The folded words of a text, before synonyms (used to build the typo vocabulary)."""
    return _TOKEN_RE.findall(fold(text).replace("-", " "))


@lru_cache(maxsize=65536)
def word_tokens(word: str) -> str | None:
    """One word to its token: synonym, then stop word filter, then stem (None = dropped)."""
    word = _WORD_SYNONYMS.get(word, word)
    if word in _STOPWORDS or (len(word) == 1 and word.isalpha()):  # "Feridun H. ..."
        return None
    if word in QUESTION_TOKENS or word == "%" or not word.isascii():
        return word
    if len(word) <= 3 or word.isdigit():
        return word
    stem: str = _english_stemmer().stemWord(word)
    return stem


def phrase_words(text: str) -> list[str]:
    """Folded text after the multi-word expressions, split into words."""
    expanded = expand_phrases(fold(text))
    expanded = re.sub(r"(?<=\w)-(?=\w)|[-/]", " ", expanded)
    return _TOKEN_RE.findall(expanded)


def tokens(text: str) -> list[str]:
    """The content tokens of a text, in order, duplicates removed."""
    seen: dict[str, None] = {}
    for word in phrase_words(text):
        token = word_tokens(word)
        if token is not None:
            seen.setdefault(token, None)
    return list(seen)


OTHER_BODY_TOKENS = frozenset(
    {"un", "nato", "eu", "coe", "interpol", "europol", "unicef", "ilo", "iom", "unhcr", "unodc"}
    | {"ohchr", "unesco", "imf", "oecd", "wto", "asean", "fifa", "uefa", "commiss"}
)
"""The tokens of other organisations' names ("eu", "coe", "ilo")."""
GENERIC_ABOUT_TOKENS = frozenset(_GENERIC_ABOUT)


def about_another_body(found: Sequence[str]) -> bool:
    """Whether tokens ask only about another organisation itself: its name, and nothing but
    question words and generic words ("what is the Council of Europe", "when was the EU
    founded"), not something of it ("the EU day", "the Council of Europe Convention")."""
    content = set(found) - QUESTION_TOKENS - GENERIC_ABOUT_TOKENS
    return bool(content) and content <= OTHER_BODY_TOKENS


def mostly_non_latin(text: str) -> bool:
    """Whether most letters of a text are of another script than Latin (Cyrillic, Greek,
    Armenian, Georgian, Arabic, ...): a question the bot, which reads English, cannot."""
    letters = [c for c in text if c.isalpha()]
    other = sum(not unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return bool(letters) and other * 2 > len(letters)


def slug(text: str) -> str:
    """An id-safe form of a name: "Mission to Skopje" -> "mission-to-skopje"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# A clause that only gives the context of a question ("I want to organise an event at my
# school", "our NGO is planning a campaign") opens with the asker (I, we, my, our ...), or
# sets aside what is not meant ("not the climate activist"), and asks nothing.
_CLAUSE_SPLIT_RE = re.compile(
    r"(?<=[.?!;])\s+|\s*[,:]\s+|\s+-+\s+|\s*\(\s*|\s*\)\s*"
    # "I'm writing an essay and need to know when ...": the question starts at "need to know"
    r"|(?<!\bi)(?<!\bwe)\s+(?=(?:and |so )?(?:i |we )?(?:need|want|wanted|would like|'d like"
    r"|have) to"
    r" (?:know|find out|learn|ask|check)\b)"
)
_CONTEXT_OPENER_RE = re.compile(
    r"^(?:(?:and|but|so|well|ok|okay|also|btw|honestly|basically|because|since|as)\s+)*"
    r"(?:i|im|i'm|i've|ive|i'd|i'll|we|we're|we've|we'd|our|my|me|as an?|for (?:my|our|an?)"
    r"|at (?:my|our)|in (?:my|our)|not)\b"
)
MIN_STATEMENT_WORDS = 4
"""A clause this long that asks nothing is context even without "I" or "we" ("In the year
2023, ..." is not; "The acronym came up in a report, ..." is)."""
_ASKING_RE = re.compile(
    r"\b(?:who|whom|whose|what|whats|when|where|which|why|how|whether|if)\b|\?\s*$"
)


def split_context(text: str) -> tuple[str, str] | None:
    """(context, question) of a message that has both: the clauses that only give the asker's
    context ("I'm writing an essay on international law"), and the rest ("What's the date of
    the World Day? I want to organise an event at my school" asks for the date). None when no
    clause can be left out (one clause, or every clause is context)."""
    clauses = [c for c in _CLAUSE_SPLIT_RE.split(fold(text).strip()) if c and c.strip()]
    if len(clauses) < 2:
        return None
    kept = [c for c in clauses if not _context_clause(c)]
    if len(kept) == len(clauses) or not any(_ASKING_RE.search(c) for c in kept):
        return None
    return " ".join(c for c in clauses if c not in kept), " ".join(kept)


# The things a context clause names, which "it" in the question then refers to: the parts
# between its "and", "about", "for", "at", ... ("I'm writing an essay on international law and
# keep seeing the Palermo Protocol mentioned").
_ANTECEDENT_SPLIT_RE = re.compile(
    r"\b(?:and|about|for|called|named|on|regarding|concerning|of the|around|at|with|during"
    r"|through)\s+"
)


# when the asker does something is not what they name ("a meeting at ODIHR next month")
_ASKERS_TIME_RE = re.compile(
    r"\b(?:next|last|this|coming) (?:week|month|weekend|spring|summer|autumn|fall|winter)\b"
    r"|\btomorrow\b|\byesterday\b|\btonight\b"
)


def antecedents(context: str) -> list[str]:
    """The parts of a context clause that may name what "it" refers to, the nearest (last)
    first (see _ANTECEDENT_SPLIT_RE)."""
    named = _ASKERS_TIME_RE.sub(" ", expand_phrases(fold(context)))
    parts = [p for p in _ANTECEDENT_SPLIT_RE.split(named) if tokens(p)]
    return parts[::-1]


# "it" or "they" anywhere, "this", "that" or "one" only at the end ("what is this?", "do
# you have one?", but "who chairs it this year" does not point back by its "this")
_REFERRING_RE = re.compile(
    r"\b(?:it|its|they|them|their|he|she|him)\b|\b(?:this|that|these|those|one|any)\W*$"
)


def refers_back(question: str) -> bool:
    """Whether a question points back at its context ("when is it?", "what do they do?"):
    it is then not a whole question on its own."""
    return bool(_REFERRING_RE.search(fold(question)))


def _context_clause(clause: str) -> bool:
    """A clause that asks nothing and either opens with the asker ("I'm a student") or is a
    statement of some length ("The acronym came up in a report I was reading")."""
    clause = clause.strip().strip("\"'")
    if _ASKING_RE.search(clause):
        return False
    return bool(_CONTEXT_OPENER_RE.match(clause)) or len(clause.split()) >= MIN_STATEMENT_WORDS
