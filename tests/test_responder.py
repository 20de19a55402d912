"""The core call on the small knowledge base: answers, clarifications, fallbacks, lookups."""

from __future__ import annotations

import pytest

from bot.responder import Responder
from bot.text import slug
from tests.conftest import TODAY

# question -> expected (kind, intent)
TABLE = [
    ("When was the OSR/CTHB created?", "answer", "osr-created"),
    ("osr founding yr", "answer", "osr-created"),
    ("When did the OSCE set up the anti-trafficking office", "answer", "osr-created"),
    ("palermo protocl", "answer", "palermo-protocol"),
    ("tell me about the UN trafficking protocol", "answer", "palermo-protocol"),
    ("Is Canada an OSCE participating State?", "answer", "member-canada"),
    ("is turkey in the osce", "answer", "member-turkiye"),
    ("Is Türkiye a member of the OSCE?", "answer", "member-turkiye"),
    ("Is Japan in the OSCE?", "answer", "partner-japan"),
    ("Is Brazil an OSCE member?", "answer", "member-not-listed"),
    ("does turkey take part in the osce", "answer", "member-turkiye"),
    ("is canada really in the osce even though it is far away", "answer", "member-canada"),
    ("mongolia - osce participating state yes or no", "answer", "member-mongolia"),
    ("japan's status in the osce", "answer", "partner-japan"),
    ("japan and the osce", "answer", "partner-japan"),
    ("are the turks in the osce", "answer", "member-turkiye"),
    ("is china still a member of the osce", "answer", "member-not-listed"),
    ("who is the sg", "answer", "role-secretary-general-current"),
    ("Who is the Secretary-General now?", "answer", "role-secretary-general-current"),
    ("Who was the first Secretary General?", "answer", "role-secretary-general-first"),
    ("When was the Mission to Skopje established?", "answer", "fieldop-mission-to-skopje"),
    ("When is world anti-trafficking day", "answer", "day-world-day"),
    ("what did richey say about political will", "answer", "quote-richey-political-will"),
    ("I am in danger", "safety", "help-numbers"),
    ("hello", "smalltalk", None),
    ("Hi! who is the SG?", "answer", "role-secretary-general-current"),
    ("qwerty", "fallback", None),
    ("Who painted the Mona Lisa?", "fallback", None),
    ("How do I reset my iPhone?", "fallback", None),
    ("", "fallback", None),
    ("   \n\t ", "fallback", None),
    ("🙂🙂🙂", "fallback", None),
]


@pytest.mark.parametrize(("question", "kind", "intent"), TABLE)
def test_table(mini: Responder, question: str, kind: str, intent: str | None) -> None:
    reply = mini.reply(question, TODAY)
    assert (reply.kind, reply.intent) == (kind, intent), reply.text


def test_not_listed_country_names_the_country(mini: Responder) -> None:
    reply = mini.reply("Is Brazil an OSCE member?", TODAY)
    assert reply.body.startswith("No. Brazil is neither")
    assert "3 participating States" in reply.body
    assert reply.sources


def test_topic_question_is_not_taken_for_a_country(mini: Responder) -> None:
    reply = mini.reply("Is the Palermo Protocol in the OSCE?", TODAY)
    assert reply.intent != "member-not-listed"


def test_fallback_offers_suggestions_and_never_a_fact(mini: Responder) -> None:
    reply = mini.reply("What's the weather in Vienna tomorrow?", TODAY)
    assert reply.kind == "fallback"
    assert reply.intent is None
    assert reply.sources == ()
    assert 1 <= len(reply.suggestions) <= 3
    assert "/help" in reply.text


def test_clarify_when_two_entries_are_equally_close(mini: Responder) -> None:
    reply = mini.reply("OSCE anti-trafficking", TODAY)
    assert reply.kind == "clarify"
    intents = {s.intent for s in reply.suggestions}
    assert {"osr-created", "sr-tasks"} <= intents
    assert 2 <= len(reply.suggestions) <= 3


def test_answer_carries_sources_and_as_of(mini: Responder) -> None:
    reply = mini.reply("What does the Special Representative do?", TODAY)
    assert reply.intent == "sr-tasks"
    assert "As of December 2025." in reply.text
    assert "Source: OSCE, 30 July 2024, https://www.osce.org/example" in reply.text


def test_related_entries_are_offered(mini: Responder) -> None:
    reply = mini.reply("OSR founding year", TODAY)
    assert [s.intent for s in reply.related] == ["palermo-protocol"]


def test_further_detail_sits_behind_a_more_button(mini: Responder) -> None:
    reply = mini.reply("What is the Palermo Protocol?", TODAY)
    assert "Transnational Organized Crime" not in reply.text
    more_button = reply.related[0]
    assert more_button.intent == "more:palermo-protocol" and more_button.question == "More"
    more = mini.reply_to_intent("more:palermo-protocol", TODAY)
    assert more is not None and more.intent == "palermo-protocol"
    assert more.text.startswith("It supplements the UN Convention")
    assert "Source: " in more.text and not any(s.intent.startswith("more:") for s in more.related)
    assert mini.reply_to_intent("more:osr-created", TODAY) is None  # it has no more to say
    assert mini.reply_to_intent("more:no-such-entry", TODAY) is None


def test_more_text_counts_as_what_the_entry_knows(mini: Responder) -> None:
    entry = next(e for e in mini.entries if e.id == "palermo-protocol")
    assert "Transnational Organized Crime" in entry.evidence


def test_reply_to_intent_and_unknown_intent(mini: Responder) -> None:
    reply = mini.reply_to_intent("palermo-protocol", TODAY)
    assert reply is not None and reply.intent == "palermo-protocol"
    assert mini.reply_to_intent("no-such-entry", TODAY) is None


@pytest.mark.parametrize(
    "junk",
    [
        "a" * 5000,
        "\x00\x01\x02\x7f",
        "‮ʇɐɥʍ‬",
        "'; DROP TABLE subscriptions; --",
        "<b>bold</b> & <script>",
        "ÿ" * 100,
        "ОБСЕ торговля людьми",
        "\u200b\u200b\u200b",
    ],
)
def test_bad_input_never_crashes(mini: Responder, junk: str) -> None:
    reply = mini.reply(junk, TODAY)
    assert reply.kind in ("answer", "clarify", "fallback", "smalltalk")
    assert reply.text


def test_huge_input_is_matched_on_its_start(mini: Responder) -> None:
    reply = mini.reply("What is the Palermo Protocol? " + "x " * 3000, TODAY)
    assert reply.kind != "answer" or reply.intent == "palermo-protocol"


def test_a_country_named_in_another_question_is_not_a_membership_question(
    mini: Responder,
) -> None:
    for question in (
        "Who is the president of Canada?",
        "when did mongolia join the osce",
        "how many troops does canada have",
    ):
        reply = mini.reply(question, TODAY)
        assert not (reply.intent or "").startswith("member-"), (question, reply.intent)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Is the US in the OSCE?", "member-united-states-of-america"),
        ("does the U.S. belong to the osce", "member-united-states-of-america"),
        ("are the czechs in the osce", "member-czechia"),
        ("how many osce participating states are there", "osce-participating-states-count"),
        ("list of osce participating states", "list-participating-states"),
        ("when did the osce open its office in tirana", "fieldop-presence-in-albania"),
        ("what does the osce do in warsaw", "institution-odihr"),
    ],
)
def test_real_knowledge_base(real: Responder, question: str, intent: str) -> None:
    reply = real.reply(question, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent)


def test_lower_case_us_is_a_pronoun(real: Responder) -> None:
    reply = real.reply("tell us about the osce", TODAY)
    assert reply.intent != "member-united-states-of-america"


def test_merged_entry_keeps_its_old_id(real: Responder) -> None:
    merged = real.entry("osr-global-estimate")
    assert merged is not None and merged.id == "figure-global-victims-27-6-million"
    reply = real.reply_to_intent("role-secretary-general-list", TODAY)
    assert reply is not None and reply.intent == "osce-secretaries-general-history"
    assert all(s.intent != reply.intent for s in reply.related)


def test_swapped_letters_are_a_typo(real: Responder) -> None:
    assert real.matcher.analyse("wolrd day").tokens == real.matcher.analyse("world day").tokens


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # the specific entry, named by its ordinal, year or decision number, over its overview
        ("23rd alliance conference attendance", "alliance-23rd-2023"),
        ("odihr national referral mechanisms handbook 2022", "concept-nrm-handbook-2022"),
        ("ministerial decision 3/06", "osr-mc-decision-3-06"),
        ("first holder of the special representative post", "role-special-representative-first"),
        # the one close entry with every rare word of the question
        ("who runs the OSCE secretariat", "role-secretary-general-current"),
    ],
)
def test_distinctive_tokens_decide_between_close_entries(
    real: Responder, question: str, intent: str
) -> None:
    reply = real.reply(question, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent)


def test_a_year_alone_does_not_move_a_question_to_another_post(real: Responder) -> None:
    reply = real.reply("secretry general osce 2025", TODAY)
    assert reply.intent != "osce-chair-2025"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        (
            "What's the date of the World Day against Trafficking? I want to organise an event"
            " at my school",
            "day-world-day-against-trafficking",
        ),
        (
            "our ngo is planning a campaign, could you remind me what date the eu"
            " anti-trafficking day falls on?",
            "day-eu-anti-trafficking-day",
        ),
    ],
)
def test_context_clauses_do_not_hide_the_question(
    real: Responder, question: str, intent: str
) -> None:
    reply = real.reply(question, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent)


def test_context_clause_alone_does_not_answer_off_topic(real: Responder) -> None:
    reply = real.reply("I'm organising a charity run, what should I wear?", TODAY)
    assert reply.kind not in ("answer", "safety"), reply.intent


def test_a_quote_is_found_by_its_own_words(real: Responder) -> None:
    reply = real.reply("kravchenko never seen traffickers", TODAY)
    assert (reply.kind, reply.intent) == ("answer", "quote-kravchenko-2019-never-seen-traffickers")
    # a word phrasings already use is not taken from a quote: it points elsewhere
    reply = real.reply("what fraction of humanity is in modern slavery", TODAY)
    assert reply.intent != "quote-schmid-2022-worst-on-record"


@pytest.mark.parametrize(
    ("question", "kind", "intent"),
    [
        ("help", "answer", "help-numbers"),
        ("where can I get help", "answer", "help-numbers"),
        ("can you help me with my homework", "fallback", None),
        ("help me to understand the action plan", "answer", "action-plan"),
        ("help me please", "safety", "help-numbers"),
    ],
)
def test_help_with_something_is_not_a_call_for_help(
    real: Responder, question: str, kind: str, intent: str | None
) -> None:
    reply = real.reply(question, TODAY)
    assert (reply.kind, reply.intent) == (kind, intent)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("I read about ISTAC in the news, what is it?", "concept-istac"),
        ("someone told me about GRETA yesterday. what is that?", "greta"),
        ("I like pizza, what is it?", None),
    ],
)
def test_a_question_that_only_says_it_asks_about_what_the_context_named(
    real: Responder, question: str, intent: str | None
) -> None:
    reply = real.reply(question, TODAY)
    assert reply.intent == intent
    assert (reply.kind == "answer") is (intent is not None)


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # the question points back ("it"): what the context named last
        ("I'm a volunteer and I keep hearing about GRETA, what is it?", "greta"),
        (
            "We are preparing a school assembly for the EU anti-trafficking day, when is it?",
            "day-eu-anti-trafficking-day",
        ),
        # a whole question on its own is answered whatever the context is about
        ("I'm new to this field, can you explain what ODIHR is?", "institution-odihr"),
        (
            "I'm a volunteer in the Balkans looking for contacts, which OSCE field operations"
            " exist?",
            "list-field-operations",
        ),
        # ... but a context that says who asks still counts when the answer needs it
        ("I'm a refugee from Ukraine, where can I get help?", "help-be-safe-ukraine"),
        # when the asker goes there is not what they name
        ("I have an interview at ODIHR next week, where is it?", "institution-odihr"),
        ("could you explain what the OSCE is to someone like me", "osce-what-is"),
    ],
)
def test_chatty_messages_are_answered_from_their_question(
    real: Responder, message: str, intent: str
) -> None:
    reply = real.reply(message, TODAY)
    assert (reply.kind, reply.intent) in (("answer", intent), ("safety", intent))


@pytest.mark.parametrize(
    "message",
    [
        "what is the Council of Europe",
        "when was the EU founded",
        "who heads UNODC",
        "what is the European Commission",
        "I like pizza, what is it?",
        "I'm bored, what is the weather today?",
        # a question that asks only in unknown words, whatever its context names
        "I heard about Kari Johnstone, is she married?",
        "I'm a journalist covering the OSCE, how do I get accredited?",
        # a place the knowledge base knows, asked about in words it does not
        "will it rain in Warsaw",
        "weather in Skopje",
        "cheap hotels in Vienna",
        "population of Albania",
        "what is the Hague Convention",
        # jobs at the OSCE are not its work
        "how do I get a job at the OSCE",
        "OSCE internship salary",
    ],
)
def test_another_organisation_or_an_idle_context_is_never_answered(
    real: Responder, message: str
) -> None:
    assert real.reply(message, TODAY).kind in ("clarify", "fallback")


def test_include_is_a_membership_question(real: Responder) -> None:
    reply = real.reply("Does the OSCE include Canada?", TODAY)
    assert (reply.kind, reply.intent) == ("answer", "member-canada")


@pytest.mark.parametrize(("place", "intent"), [("Skopje", "fieldop-mission-to-skopje")])
def test_a_place_alone_still_finds_its_entry(real: Responder, place: str, intent: str) -> None:
    reply = real.reply(place, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent)


@pytest.mark.parametrize(
    "message", ["who are you?", "what can you do", "are you a real person?", "what's your name"]
)
def test_questions_about_the_bot_get_the_bots_own_answer(real: Responder, message: str) -> None:
    reply = real.reply(message, TODAY)
    assert reply.kind == "smalltalk"
    assert "not a person" in reply.text and "/help" in reply.text


def test_a_persons_career_is_not_a_job_search(real: Responder) -> None:
    reply = real.reply("Valiant Richey career", TODAY)
    assert (reply.kind, reply.intent) == ("answer", "richey-background")


def test_a_later_year_is_not_answered_with_what_holds_now(real: Responder) -> None:
    later = real.reply(f"who will chair the OSCE in {TODAY.year + 1}", TODAY)
    assert later.kind == "clarify"
    assert [s.intent for s in later.suggestions] == ["role-chairperson-in-office-current"]
    # a year the answer speaks of, or a day that comes back every year, is still answered
    assert real.reply("when is the world day in 2030", TODAY).kind == "answer"


@pytest.mark.parametrize("message", ["what a great bot", "great britain", "what is great"])
def test_an_everyday_word_is_not_read_as_a_mistyped_name(real: Responder, message: str) -> None:
    # "great" is two swapped letters from GRETA; it answered with GRETA before
    assert real.reply(message, TODAY).intent != "greta"


@pytest.mark.parametrize("message", ["what is gseta", "what is GRETa", "wat is greta"])
def test_a_mistyped_name_is_still_read_as_the_name(real: Responder, message: str) -> None:
    reply = real.reply(message, TODAY)
    assert (reply.kind, reply.intent) == ("answer", "greta")


@pytest.mark.parametrize(
    "message", ["Is Cnaada an OSCE participating State?", "is caanda in the OSCE"]
)
def test_a_mistyped_country_is_never_said_not_to_be_a_member(real: Responder, message: str) -> None:
    reply = real.reply(message, TODAY)
    assert (reply.kind, reply.intent) == ("answer", "member-canada")


@pytest.mark.parametrize(
    ("message", "intent"),
    [("what is 112", "help-112"), ("what is 1547?", "help-ukraine-1547")],
)
def test_a_help_number_on_its_own_says_what_it_is(
    real: Responder, message: str, intent: str
) -> None:
    reply = real.reply(message, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent)
    assert "cannot report a case" in reply.text and reply.sources


def test_a_speaker_with_one_quote_has_one_entry_under_both_names(real: Responder) -> None:
    # Eva Biaudet has two quotes: her own entry; someone with one quote is that quote
    single = [
        s
        for s in {q.speaker for q in real.kb.quotes}
        if sum(q.speaker == s for q in real.kb.quotes) == 1
    ]
    assert single
    for speaker in single:
        reply = real.reply(f"Give me a quote from {speaker}", TODAY)
        assert reply.kind == "answer"
        entry = real.entry(reply.intent or "")
        assert entry is not None and entry.record is not None
        assert real.entry(f"quotes-{slug(speaker)}") is entry


def test_suggestions_show_proper_questions_that_fit_on_a_button(real: Responder) -> None:
    reply = real.reply("what is the Council of Europe", TODAY)  # offered, never answered
    assert reply.kind == "clarify" and reply.suggestions
    for suggestion in reply.suggestions:
        assert suggestion.question[:1].isupper() and suggestion.question.endswith("?")
    titles = [e.title for e in real.entries if e.kind == "answer"]
    assert sum(t.endswith("?") for t in titles) == len(titles)


@pytest.mark.parametrize(
    "message",
    [
        "what is the difference between smuggling and trafficking",
        "is smuggling the same as trafficking",
    ],
)
def test_trafficking_versus_smuggling_has_its_own_answer(real: Responder, message: str) -> None:
    reply = real.reply(message, TODAY)
    assert (reply.kind, reply.intent) == ("answer", "core-trafficking-vs-smuggling")


def test_a_question_for_the_detail_gets_it_at_once(mini: Responder) -> None:
    reply = mini.reply("Which UN convention does the Palermo Protocol supplement?", TODAY)
    assert reply.intent == "palermo-protocol"
    assert "Transnational Organized Crime" in reply.text
    assert not any(s.intent.startswith("more:") for s in reply.related)
